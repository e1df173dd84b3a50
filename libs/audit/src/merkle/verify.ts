/**
 * Proof verification written from the text of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), which
 * are also the steps docs/audit.md gives an auditor. Right shifts are divisions by two, so sizes past 2^31 stay
 * exact. Every hash must be 32 bytes; anything malformed is "not verified", never an exception.
 */

import { EMPTY_TREE_ROOT, HASH_LENGTH, largestPowerOfTwoBelow, nodeHash } from './hashes';

const isHash = (value: unknown): value is Buffer => Buffer.isBuffer(value) && value.length === HASH_LENGTH;
const isSize = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;
const isOdd = (value: number): boolean => value % 2 === 1;
const half = (value: number): number => Math.floor(value / 2);

export interface InclusionClaim {
  leafIndex: number;
  treeSize: number;
  leafHash: Buffer;
  auditPath: readonly Buffer[];
  rootHash: Buffer;
}

/** RFC 9162 §2.1.3.2: does `auditPath` prove leaf `leafIndex` with `leafHash` is in the tree with `rootHash`? */
export function verifyInclusion({ leafIndex, treeSize, leafHash, auditPath, rootHash }: InclusionClaim): boolean {
  if (!isSize(leafIndex) || !isSize(treeSize) || !isHash(leafHash) || !isHash(rootHash) || !auditPath.every(isHash)) return false;
  // 1. leaf_index must be inside the tree.
  if (leafIndex >= treeSize) return false;
  // 2-3. fn is the leaf's index, sn the last index; r starts as the leaf hash.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  // 4. Climb one path element at a time.
  for (const p of auditPath) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // A right-most node without a right sibling is promoted: skip the levels where it has none.
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 5. The whole path was used and the computed root is the claimed one.
  return sn === 0 && r.equals(rootHash);
}

export interface ConsistencyClaim {
  fromSize: number;
  toSize: number;
  fromRoot: Buffer;
  toRoot: Buffer;
  consistencyPath: readonly Buffer[];
}

/**
 * RFC 9162 §2.1.4.2: is the tree of `fromSize` leaves with `fromRoot` a prefix of the tree of `toSize` leaves with
 * `toRoot`? The trivial cases the RFC leaves to the caller: equal sizes need equal roots and an empty path; an
 * empty old tree needs the empty-tree root and an empty path; a shrinking tree is never consistent.
 */
export function verifyConsistency({ fromSize, toSize, fromRoot, toRoot, consistencyPath }: ConsistencyClaim): boolean {
  if (!isSize(fromSize) || !isSize(toSize) || !isHash(fromRoot) || !isHash(toRoot) || !consistencyPath.every(isHash)) return false;
  if (fromSize > toSize) return false;
  if (fromSize === toSize) return consistencyPath.length === 0 && fromRoot.equals(toRoot);
  if (fromSize === 0) return consistencyPath.length === 0 && fromRoot.equals(EMPTY_TREE_ROOT);
  // 1. A proof between two different non-empty sizes is never empty.
  if (consistencyPath.length === 0) return false;
  // 2. When the old tree is a complete subtree, its root is the proof's implicit first element.
  const path = isPowerOfTwo(fromSize) ? [fromRoot, ...consistencyPath] : [...consistencyPath];
  // 3. fn and sn are the last indexes of the two trees.
  let fn = fromSize - 1;
  let sn = toSize - 1;
  // 4. Skip the levels where the old tree's last node is a right child of a complete subtree.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5. Both roots are rebuilt from the first element.
  let fr = path[0];
  let sr = path[0];
  // 6. Each further element extends the old root (left siblings only) and the new root (both sides).
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7. Both roots match and the whole new tree was climbed.
  return sn === 0 && fr.equals(fromRoot) && sr.equals(toRoot);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/** MTH(D[n]) straight from RFC 6962's definition, over leaf hashes: the reference the stores are checked against. */
export function rootOfLeaves(leafHashes: readonly Buffer[]): Buffer {
  if (leafHashes.length === 0) return EMPTY_TREE_ROOT;
  if (leafHashes.length === 1) return leafHashes[0];
  const k = largestPowerOfTwoBelow(leafHashes.length);
  return nodeHash(rootOfLeaves(leafHashes.slice(0, k)), rootOfLeaves(leafHashes.slice(k)));
}
