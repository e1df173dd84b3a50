import fc from 'fast-check';
import { csvCell, csvRecord } from './csv';

/** Reads one RFC 4180 record back (without its CRLF). */
function readRecord(text: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (text[i] === '"') break;
        else cell += text[i++];
      }
      i++;
    } else while (i < text.length && text[i] !== ',') cell += text[i++];
    cells.push(cell);
    if (i >= text.length) return cells;
    i++;
  }
}

describe('CSV cells and records', () => {
  it('quotes a field holding a comma, a quote, CR or LF, doubling its quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvRecord(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });

  it('defuses a text cell a spreadsheet would run as a formula, and leaves numbers as they are', () => {
    expect(csvCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvCell('+81')).toBe("'+81");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell(-9900)).toBe('-9900');
    expect(csvCell(0)).toBe('0');
    expect(() => csvCell(1.5)).toThrow(RangeError);
  });

  it('defuses a text cell starting with a line feed, which free text may hold (a reason, a transfer reference, an answer)', () => {
    expect(csvCell('\n=HYPERLINK("http://x","y")')).toBe('"\'\n=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('\n\n@cmd')).toBe('"\'\n\n@cmd"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('reads back, by RFC 4180, every text as written (with the guard) and every integer exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer({ min: -1e12, max: 1e12 })), { minLength: 1, maxLength: 6 }), (cells) => {
        const record = csvRecord(cells);
        expect(record.endsWith('\r\n')).toBe(true);
        const read = readRecord(record.slice(0, -2));
        expect(read).toEqual(
          cells.map((cell) => (typeof cell === 'number' ? String(cell) : /^[=+\-@\t\r\n]/.test(cell) ? `'${cell}` : cell)),
        );
      }),
    );
  });
});
