/**
 * The two hash functions of an RFC 6962 / RFC 9162 Merkle tree over SHA-256. The one-byte prefixes keep a
 * leaf from ever being mistaken for an interior node (a second-preimage defence).
 */

import { createHash } from 'node:crypto';

/** Bytes in every hash of the tree. */
export const HASH_LENGTH = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x00 ‖ leafBytes). */
export function leafHash(leafBytes: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leafBytes).digest();
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) = SHA-256 of the empty string: the root of a tree with no leaves. */
export const EMPTY_TREE_ROOT: Buffer = createHash('sha256').digest();

/**
 * The largest power of two strictly smaller than n (n ≥ 2): where RFC 6962 splits a range of n leaves.
 * Plain arithmetic rather than bit operations, so sizes past 2^31 stay exact.
 */
export function largestPowerOfTwoBelow(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`a split needs at least 2 leaves, got ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
