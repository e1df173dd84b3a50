import type { RevisionCondition } from '../commands/revision-condition';

/**
 * Reads an If-Match header (RFC 9110 §13.1.1) into the condition the executor checks: `*`, or the stream
 * revisions its strong entity tags name. The service's entity tags are `"<revision>"`; a weak tag (`W/"3"`)
 * never matches under the strong comparison If-Match uses, and a strong tag that names no revision matches
 * nothing, so both are kept out of the list (a list left empty always fails with 412). A bare revision (`3`)
 * is read as `"3"`, as the service has always accepted it. Returns undefined when the value is malformed.
 */
export function parseIfMatch(text: string): RevisionCondition | undefined {
  const value = text.trim();
  if (value === '*') return '*';
  if (/^-?\d{1,15}$/.test(value)) return revisionOf(value) ?? undefined;
  const revisions: number[] = [];
  let rest = value;
  let tags = 0;
  // entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, in a comma-separated list that may hold empty elements.
  const element = /^[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(,|$)/;
  while (rest.length > 0) {
    const match = element.exec(rest);
    if (!match || match[0].length === 0) return undefined;
    if (match[2] !== undefined) {
      tags++;
      const revision = match[1] === undefined ? revisionOf(match[2]) : undefined;
      if (revision !== undefined && !revisions.includes(revision)) revisions.push(revision);
    }
    rest = rest.slice(match[0].length);
  }
  if (tags === 0) return undefined;
  // One strong tag names one revision, and a refusal names it as such.
  return tags === 1 && revisions.length === 1 ? revisions[0] : revisions;
}

/** A stream revision as the service writes it in an entity tag: -1 (no event yet) or a non-negative integer. */
function revisionOf(opaque: string): number | undefined {
  if (!/^(-1|0|[1-9]\d{0,14})$/.test(opaque)) return undefined;
  return Number(opaque);
}
