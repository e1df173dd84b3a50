import fc from 'fast-check';
import { calendarDate, deliverableUri, freeText, instant } from './field-rules';

const CONTROLS_REFUSED = [
  ...Array.from({ length: 0x20 }, (_, unit) => unit).filter((unit) => unit !== 0x09 && unit !== 0x0a),
  ...Array.from({ length: 0x21 }, (_, offset) => 0x7f + offset),
].map((unit) => String.fromCharCode(unit));

/** Text of printable characters from the whole of Unicode (surrogate pairs included), with newlines and tabs. */
const acceptableText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\n', '\t', ' ', 'a', 'é', '語', '😀'),
    fc.integer({ min: 0x20, max: 0x10ffff }).filter((cp) => !(cp >= 0x7f && cp <= 0x9f) && !(cp >= 0xd800 && cp <= 0xdfff)).map((cp) => String.fromCodePoint(cp)),
  ),
  maxLength: 40,
});

describe('the free-text rule', () => {
  it('accepts text of any script, emoji (surrogate pairs), newlines and tabs', () => {
    fc.assert(fc.property(acceptableText, (text) => freeText(text, 'title') === undefined));
    expect(freeText('修正をお願いします。\n\t- ロゴ 😀', 'reason')).toBeUndefined();
  });

  it('refuses NUL and every other control character anywhere in the text, naming the field and the rule', () => {
    fc.assert(
      fc.property(acceptableText, acceptableText, fc.constantFrom(...CONTROLS_REFUSED), (before, after, control) => {
        const breach = freeText(before + control + after, 'title');
        return breach?.rule === 'freeText' && breach.message.startsWith('title must not contain control characters');
      }),
    );
    expect(freeText('a\u0000b', 'reason')?.message).toContain('U+0000 at index 1');
    expect(freeText('line\r\nbreak', 'reason')?.message).toContain('U+000D');
  });

  it('refuses a lone high or low surrogate, and a pair written backwards', () => {
    for (const text of ['\ud800', 'a\ud83dz', '\udc00', 'x\ude00', '\ude00\ud83d']) {
      expect(freeText(text, 'message')).toEqual({ rule: 'freeText', message: expect.stringContaining('unpaired UTF-16 surrogate') });
    }
    expect(freeText('\ud83d\ude00', 'message')).toBeUndefined();
  });

  it('refuses what is not text', () => {
    expect(freeText(42, 'title')?.rule).toBe('freeText');
  });
});

describe('the calendar date rule', () => {
  it('accepts real dates from 2000-01-01 to 2100-12-31, leap days included', () => {
    for (const date of ['2000-01-01', '2024-02-29', '2000-02-29', '2027-12-31', '2100-12-31']) expect(calendarDate(date, 'dueDate')).toBeUndefined();
  });

  it('refuses dates the calendar does not have, dates out of bounds, and other shapes', () => {
    for (const date of ['2027-02-30', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '0000-01-01', '1999-12-31', '2101-01-01', '2026-1-01', '20260101', '', 20260101]) {
      expect(calendarDate(date, 'dueDate')).toEqual({
        rule: 'calendarDate',
        message: 'dueDate must be a real calendar date YYYY-MM-DD from 2000-01-01 to 2100-12-31',
      });
    }
  });

  it('agrees with the calendar on every day of the bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const real = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
        return (calendarDate(text, 'd') === undefined) === real;
      }),
    );
  });
});

describe('the instant rule', () => {
  it('accepts real instants with an offset within the bounds', () => {
    for (const value of ['2026-11-30T15:00:00Z', '2026-11-30T15:00Z', '2026-11-30T15:00:00.123456+09:00', '2000-01-01T00:00:00Z', '2100-12-31T23:59:59.999Z']) {
      expect(instant(value, 'asOf')).toBeUndefined();
    }
  });

  it('refuses impossible dates and times, missing offsets and instants out of bounds', () => {
    for (const value of ['2027-02-30T00:00:00Z', '2026-11-30T24:00:00Z', '2026-11-30T12:60:00Z', '2026-11-30T12:00:00', '1999-12-31T23:59:59Z', '2101-01-01T00:00:00Z', '2100-12-31T20:00:00-05:00', 'yesterday', 0]) {
      expect(instant(value, 'asOf')?.rule).toBe('instant');
    }
  });
});

describe('the deliverable URI rule', () => {
  it('accepts https: anywhere and http: on a loopback host', () => {
    for (const uri of ['https://files.example.com/d/42.zip?x=1#y', 'http://localhost:8080/a', 'http://127.0.0.1/a', 'http://127.12.0.9/a', 'http://[::1]:3000/a', 'HTTPS://EXAMPLE.COM/a']) {
      expect(deliverableUri(uri, 'uri')).toBeUndefined();
    }
  });

  it('refuses other schemes, http: elsewhere, credentials, spaces and relative references', () => {
    const refused = [
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'file:///etc/passwd',
      'ftp://files.example.com/a',
      'vbscript:msgbox(1)',
      'http://files.example.com/a',
      'http://127.0.0.1.example.com/a',
      'http://localhost.example.com/a',
      'https://user:secret@files.example.com/a',
      'https://files.example.com/a b',
      '/relative/path',
      'https://' + 'a'.repeat(2100) + '.com',
      '',
    ];
    for (const uri of refused) expect(deliverableUri(uri, 'deliverables[0].uri')?.rule).toBe('deliverableUri');
  });
});
