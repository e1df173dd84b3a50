import type { RecordedEvent } from '@escrow/event-store/port';
import { canonicalJson, leafBytes, NotCanonicalJsonError } from './leaf-bytes';

/**
 * Input and expected output files of the JCS reference test data, github.com/cyberphone/json-canonicalization,
 * testdata/input/*.json and testdata/output/*.json (commit 19d51d7fe467d4706a3ff08adf8a748f29fc21e0), by the
 * author of RFC 8785; `values` and `weird` are also the examples of RFC 8785 §3.2.2 and §3.2.3. The inputs are
 * parsed with JSON.parse, as an event's stored JSON is. Non-ASCII characters are written as \u escapes here so the
 * file stays ASCII; the expected outputs contain those characters raw.
 */
const REFERENCE_CASES: { name: string; input: string; output: string }[] = [
  { name: 'arrays', input: '[\n  56,\n  {\n    "d": true,\n    "10": null,\n    "1": [ ]\n  }\n]\n', output: '[56,{"1":[],"10":null,"d":true}]' },
  {
    name: 'french',
    input: '{\n  "peach": "This sorting order",\n  "p\u00e9ch\u00e9": "is wrong according to French",\n  "p\u00eache": "but canonicalization MUST",\n  "sin":   "ignore locale"\n}\n',
    output: '{"peach":"This sorting order","p\u00e9ch\u00e9":"is wrong according to French","p\u00eache":"but canonicalization MUST","sin":"ignore locale"}',
  },
  {
    name: 'structures',
    input: '{\n  "1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0},\n  "10": { },\n  "": "empty",\n  "a": { },\n  "111": [ {"e": "yes","E": "no" } ],\n  "A": { }\n}',
    output: '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{},"a":{}}',
  },
  { name: 'unicode', input: '{\n  "Unnormalized Unicode":"A\\u030a"\n}\n', output: '{"Unnormalized Unicode":"A\u030a"}' },
  {
    name: 'values',
    input:
      '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}',
    output: '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  },
  {
    name: 'weird',
    input:
      '{\n  "\\u20ac": "Euro Sign",\n  "\\r": "Carriage Return",\n  "\\u000a": "Newline",\n  "1": "One",\n  "\\u0080": "Control\\u007f",\n  "\\ud83d\\ude02": "Smiley",\n  "\\u00f6": "Latin Small Letter O With Diaeresis",\n  "\\ufb33": "Hebrew Letter Dalet With Dagesh",\n  "</script>": "Browser Challenge"\n}\n',
    output:
      '{"\\n":"Newline","\\r":"Carriage Return","1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  },
];

describe('canonicalJson (RFC 8785)', () => {
  it.each(REFERENCE_CASES)('reproduces the reference output of $name', ({ input, output }) => {
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  it('sorts member names by UTF-16 code units, not by code point or locale', () => {
    // U+FB33 is above the surrogates D800-DFFF as a code unit, below U+1F602 as a code point: JCS puts the emoji first.
    expect(canonicalJson({ '\ufb33': 1, '\ud83d\ude02': 2, b: 3, B: 4, '\u00e9': 5 })).toBe('{"B":4,"b":3,"\u00e9":5,"\ud83d\ude02":2,"\ufb33":1}');
    expect(canonicalJson({ ab: 1, a: 2, '': 3 })).toBe('{"":3,"a":2,"ab":1}');
  });

  it('escapes as JSON.stringify does: controls as \\u00xx or short forms, quote and backslash, nothing else', () => {
    expect(canonicalJson('\u0000\b\t\n\f\r\u001f"\\/\u007f\u00e9\u2028')).toBe('"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/\u007f\u00e9\u2028"');
  });

  it('serialises numbers as ECMAScript does, -0 as 0', () => {
    expect(canonicalJson([0, -0, 1, -1, 1.5, 1e21, 1e-7, 123456789012345680000, 5e-324, Number.MAX_SAFE_INTEGER])).toBe(
      '[0,0,1,-1,1.5,1e+21,1e-7,123456789012345680000,5e-324,9007199254740991]',
    );
  });

  it('keeps array order and sorts nested objects at every depth, without whitespace', () => {
    expect(canonicalJson({ z: [{ y: 1, x: [3, { b: null, a: true }] }, []], a: {} })).toBe('{"a":{},"z":[{"x":[3,{"a":true,"b":null}],"y":1},[]]}');
  });

  it('drops undefined members', () => {
    expect(canonicalJson({ a: undefined, b: 1, c: { d: undefined } })).toBe('{"b":1,"c":{}}');
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', { amount: Infinity }],
    ['-Infinity', [-Infinity]],
    ['a bigint', { amount: BigInt(1) }],
    ['a function', { f: () => 1 }],
    ['a symbol', [Symbol('s')]],
    ['undefined in an array', [1, undefined]],
    ['undefined itself', undefined],
    ['a Date', { at: new Date(0) }],
    ['a Map', new Map()],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(NotCanonicalJsonError);
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 1;
    bare.a = 2;
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
  });
});

describe('leafBytes', () => {
  const event: RecordedEvent = {
    position: 12,
    streamId: 'contract-7',
    revision: 3,
    id: '0b0e6b86-5f9a-4c1e-9d7e-3f1f1b2a9c01',
    type: 'ContractFunded',
    data: { amount: 11000, currency: 'JPY', note: '\u652f\u6255\u3044' },
    metadata: { schemaVersion: 1, occurredAt: '2026-11-30T10:00:00.000Z', actor: { id: 'settlement-1', role: 'system' }, correlationId: 'c', causationId: 'k' },
    recordedAt: '2026-11-30T10:00:00.123Z',
  };

  it('is the UTF-8 of the canonical JSON of exactly the eight members', () => {
    const expected =
      '{"data":{"amount":11000,"currency":"JPY","note":"\u652f\u6255\u3044"},"id":"0b0e6b86-5f9a-4c1e-9d7e-3f1f1b2a9c01",' +
      '"metadata":{"actor":{"id":"settlement-1","role":"system"},"causationId":"k","correlationId":"c","occurredAt":"2026-11-30T10:00:00.000Z","schemaVersion":1},' +
      '"position":12,"recordedAt":"2026-11-30T10:00:00.123Z","revision":3,"streamId":"contract-7","type":"ContractFunded"}';
    expect(leafBytes(event).equals(Buffer.from(expected, 'utf8'))).toBe(true);
    // The Japanese note is three 3-byte UTF-8 sequences, not \u escapes.
    expect(leafBytes(event).includes(Buffer.from([0xe6, 0x94, 0xaf]))).toBe(true);
  });

  it('does not depend on member order and ignores members outside the eight', () => {
    const { recordedAt, position, ...rest } = event;
    const reordered = JSON.parse(JSON.stringify({ recordedAt, extra: 'ignored', ...rest, position })) as RecordedEvent;
    expect(leafBytes(reordered).equals(leafBytes(event))).toBe(true);
  });

  it('changes with one changed digit of the data', () => {
    expect(leafBytes({ ...event, data: { ...event.data, amount: 1100 } }).equals(leafBytes(event))).toBe(false);
  });
});
