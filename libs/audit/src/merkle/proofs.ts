/**
 * Roots and proofs of RFC 6962 §2.1 computed from a store of complete subtrees. The definitions recurse on a
 * range of leaves, split at the largest power of two smaller than its size; every left part of a split is then a
 * complete aligned subtree, one lookup, so each call costs O(log² n) lookups at most, whatever the tree size.
 */

import { CompleteSubtrees } from './complete-subtrees';
import { EMPTY_TREE_ROOT, largestPowerOfTwoBelow, nodeHash } from './hashes';

function checkSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
}

/** log2 of `size` when it is a power of two and `start` is aligned to it; otherwise undefined. */
function completeSubtreeLevel(start: number, size: number): number | undefined {
  let level = 0;
  let width = 1;
  while (width < size) {
    width *= 2;
    level += 1;
  }
  return width === size && start % size === 0 ? level : undefined;
}

/** MTH(D[start : start + size]) for size ≥ 1. */
function rangeHash(start: number, size: number, subtrees: CompleteSubtrees): Buffer {
  const level = completeSubtreeLevel(start, size);
  if (level !== undefined) return subtrees.hash(level, start / size);
  const k = largestPowerOfTwoBelow(size);
  return nodeHash(rangeHash(start, k, subtrees), rangeHash(start + k, size - k, subtrees));
}

/** The root hash of the tree of the first `treeSize` leaves (EMPTY_TREE_ROOT for 0). */
export function rootAt(treeSize: number, subtrees: CompleteSubtrees): Buffer {
  checkSize('treeSize', treeSize);
  return treeSize === 0 ? EMPTY_TREE_ROOT : rangeHash(0, treeSize, subtrees);
}

/** PATH(m, D[start : start + size]), leaf first, root side last. */
function path(m: number, start: number, size: number, subtrees: CompleteSubtrees): Buffer[] {
  if (size === 1) return [];
  const k = largestPowerOfTwoBelow(size);
  if (m < k) return [...path(m, start, k, subtrees), rangeHash(start + k, size - k, subtrees)];
  return [...path(m - k, start + k, size - k, subtrees), rangeHash(start, k, subtrees)];
}

/** RFC 6962 PATH(m, D[n]): the audit path of leaf `leafIndex` in the tree of `treeSize` leaves. */
export function inclusionProof(leafIndex: number, treeSize: number, subtrees: CompleteSubtrees): Buffer[] {
  checkSize('leafIndex', leafIndex);
  checkSize('treeSize', treeSize);
  if (leafIndex >= treeSize) throw new RangeError(`leaf index ${leafIndex} is not in a tree of ${treeSize} leaves`);
  return path(leafIndex, 0, treeSize, subtrees);
}

/** SUBPROOF(m, D[start : start + size], completeOld). */
function subproof(m: number, start: number, size: number, completeOld: boolean, subtrees: CompleteSubtrees): Buffer[] {
  if (m === size) return completeOld ? [] : [rangeHash(start, size, subtrees)];
  const k = largestPowerOfTwoBelow(size);
  if (m <= k) return [...subproof(m, start, k, completeOld, subtrees), rangeHash(start + k, size - k, subtrees)];
  return [...subproof(m - k, start + k, size - k, false, subtrees), rangeHash(start, k, subtrees)];
}

/**
 * RFC 6962 PROOF(m, D[n]): the consistency proof from the tree of `fromSize` leaves to the tree of `toSize`.
 * Empty when m = n or m = 0 (nothing to prove); a RangeError when m > n.
 */
export function consistencyProof(fromSize: number, toSize: number, subtrees: CompleteSubtrees): Buffer[] {
  checkSize('fromSize', fromSize);
  checkSize('toSize', toSize);
  if (fromSize > toSize) throw new RangeError(`a tree of ${fromSize} leaves is not a prefix of one of ${toSize}`);
  if (fromSize === 0 || fromSize === toSize) return [];
  return subproof(fromSize, 0, toSize, true, subtrees);
}
