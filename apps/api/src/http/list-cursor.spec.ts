import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH, patternCursor, positionCursor } from './list-cursor';

const positions = positionCursor('audit');
const days = patternCursor('revenue-day', /^\d{4}-\d{2}-\d{2}$/, (text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)));
const position = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe('list cursors', () => {
  it('give back the key they were written with', () => {
    fc.assert(fc.property(position, (key) => decodeCursor(positions, encodeCursor(positions, key)) === key));
    expect(decodeCursor(days, encodeCursor(days, '2026-11-30'))).toBe('2026-11-30');
  });

  it('are opaque base64url within the documented length', () => {
    fc.assert(
      fc.property(position, (key) => {
        const cursor = encodeCursor(positions, key);
        return /^[A-Za-z0-9_-]+$/.test(cursor) && cursor.length <= MAX_CURSOR_LENGTH;
      }),
    );
  });

  it('decode any text to nothing, or to a whole number within the safe range that a cursor of its own spells', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.base64String(), fc.stringMatching(/^[A-Za-z0-9_-]{0,140}$/)),
        (text) => {
          const key = decodeCursor(positions, text);
          if (key === undefined) return true;
          return Number.isSafeInteger(key) && key >= 0 && encodeCursor(positions, key) === text;
        },
      ),
    );
  });

  it('decode the bytes of any text to nothing, or to a key a cursor of the list would carry', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (inside) => {
        const cursor = Buffer.from(inside, 'utf8').toString('base64url');
        const key = decodeCursor(positions, cursor);
        return key === undefined || Buffer.from(encodeCursor(positions, key), 'base64url').toString('utf8') === inside;
      }),
    );
  });

  it('refuse an altered cursor, another list’s cursor, padding, a key out of range and an overlong text', () => {
    const cursor = encodeCursor(positions, 42);
    expect(decodeCursor(positions, `${cursor}=`)).toBeUndefined();
    expect(decodeCursor(positions, `${cursor}A`)).toBeUndefined();
    expect(
      decodeCursor(
        positions,
        cursor.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')),
      ),
    ).toBeUndefined();
    expect(decodeCursor(positionCursor('parked'), cursor)).toBeUndefined();
    expect(decodeCursor(days, encodeCursor(positionCursor('revenue-day'), 5))).toBeUndefined();
    // Correctly checked texts whose key is not one the list writes are refused as well.
    const checked = (text: string) =>
      Buffer.from(`${text}~${createHash('sha256').update(text).digest('hex').slice(0, 8)}`).toString('base64url');
    expect(decodeCursor(positions, checked('audit:42'))).toBe(42);
    for (const inside of [
      'audit:-1',
      'audit:01',
      'audit:1.5',
      'audit:1e3',
      'audit: 1',
      'audit:9007199254740992',
      'audit:',
      'audit',
      'parked:1',
    ]) {
      expect(decodeCursor(positions, checked(inside))).toBeUndefined();
      expect(decodeCursor(positions, Buffer.from(inside).toString('base64url'))).toBeUndefined();
    }
    expect(decodeCursor(days, checked('revenue-day:2026-13-45'))).toBeUndefined();
    expect(decodeCursor(days, checked("revenue-day:2026-01-01' OR 1=1"))).toBeUndefined();
    expect(decodeCursor(positions, 'A'.repeat(MAX_CURSOR_LENGTH + 4))).toBeUndefined();
    expect(decodeCursor(positions, '')).toBeUndefined();
  });
});
