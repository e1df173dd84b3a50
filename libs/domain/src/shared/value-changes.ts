/**
 * What changed between two plain values (the views of a piece of work before and after an event): one entry per leaf
 * whose value differs, named by its path (`weeks.2.status`). Arrays are compared index by index, so an element added
 * at the end shows as new paths; objects key by key. Pure and order-stable: the same two values give the same list.
 */
export interface ValueChange {
  path: string;
  before: unknown;
  after: unknown;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function valueChanges(before: unknown, after: unknown, path = ''): ValueChange[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: ValueChange[] = [];
    for (let index = 0; index < Math.max(before.length, after.length); index += 1) {
      changes.push(...valueChanges(before[index], after[index], join(path, String(index))));
    }
    return changes;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => valueChanges(before[key], after[key], join(path, key)));
  }
  return Object.is(before, after) ? [] : [{ path, before: before ?? null, after: after ?? null }];
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
