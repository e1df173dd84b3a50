/**
 * What a command's If-Match asks of its stream before it may append (RFC 9110, strong comparison):
 * - a revision: the stream is at exactly that revision (-1: it has no event yet);
 * - a list of revisions: the stream is at any of them (an empty list, where every tag was weak or named no
 *   revision, never holds);
 * - `*`: the stream exists, whatever its revision.
 */
export type RevisionCondition = number | readonly number[] | '*';

export function revisionConditionHolds(condition: RevisionCondition, revision: number): boolean {
  if (condition === '*') return revision >= 0;
  if (typeof condition === 'number') return condition === revision;
  return condition.includes(revision);
}

/** The condition in words, for the refusal's message. */
export function describeRevisionCondition(condition: RevisionCondition): string {
  if (condition === '*') return 'If-Match: * needs the stream to exist';
  if (typeof condition === 'number') return `If-Match names revision ${condition}`;
  if (condition.length === 0) return 'If-Match names no revision by a strong entity tag (a weak tag never matches)';
  return `If-Match names revisions ${condition.join(', ')}`;
}
