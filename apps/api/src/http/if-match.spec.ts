import { revisionConditionHolds } from '../commands/revision-condition';
import { parseIfMatch } from './if-match';

describe('If-Match', () => {
  it('reads *, one strong tag, a list of tags, and the bare revision the service has always taken', () => {
    expect(parseIfMatch('*')).toBe('*');
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch(' 3 ')).toBe(3);
    expect(parseIfMatch('"-1"')).toBe(-1);
    expect(parseIfMatch('"1", "4",,"1"')).toEqual([1, 4]);
  });

  it('keeps weak tags and tags that name no revision out: they never match', () => {
    expect(parseIfMatch('W/"3"')).toEqual([]);
    expect(parseIfMatch('W/"3", "5"')).toEqual([5]);
    expect(parseIfMatch('"abc"')).toEqual([]);
    expect(parseIfMatch('"a,b", "2"')).toEqual([2]);
    expect(revisionConditionHolds(parseIfMatch('W/"3"')!, 3)).toBe(false);
  });

  it('refuses what is not * or a list of entity tags', () => {
    for (const malformed of ['', ',', '"3', '3"', 'W/3', '*, "3"', '"3" "4"', 'abc', '03', '"3";', 'w/"3"']) expect(parseIfMatch(malformed)).toBeUndefined();
  });

  it('holds * only for a stream with an event, a revision only at that revision, a list at any of its revisions', () => {
    expect(revisionConditionHolds('*', 0)).toBe(true);
    expect(revisionConditionHolds('*', -1)).toBe(false);
    expect(revisionConditionHolds(-1, -1)).toBe(true);
    expect(revisionConditionHolds(2, 3)).toBe(false);
    expect(revisionConditionHolds([2, 3], 3)).toBe(true);
    expect(revisionConditionHolds([], 0)).toBe(false);
  });
});
