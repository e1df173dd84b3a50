import { jsonDepthExceeds } from './server-edges';

describe('the JSON depth limit', () => {
  it('counts nested arrays and objects, not brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"title":"[[[[[[{{{{{{"}', 1)).toBe(false);
    expect(jsonDepthExceeds('{"title":"quote \\" then [[[["}', 1)).toBe(false);
    expect(jsonDepthExceeds('{"title":"backslash \\\\", "x":[[1]]}', 2)).toBe(true);
  });

  it('finds deep nesting anywhere, also after shallow siblings', () => {
    expect(jsonDepthExceeds('[1,[2],{"a":{}},' + '['.repeat(33) + ']'.repeat(33) + ']', 32)).toBe(true);
    expect(jsonDepthExceeds('['.repeat(32) + ']'.repeat(32), 32)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(100_000), 32)).toBe(true);
  });
});
