/**
 * Finding the first event of an export that differs from what the service notarised, with O(log n) inclusion
 * proofs (docs/audit.md, "Verifying"). An inclusion proof verified against the signed root authenticates the
 * notarised hash of its leaf and of every sibling subtree on its path. Those subtrees, with the leaf, partition the
 * tree; the leftmost of them whose hash differs from the same range hashed from the export holds the first
 * differing leaf. Ask for the proof of that range's first leaf and repeat, until the range is one leaf.
 */

import { largestPowerOfTwoBelow, verifyInclusion } from '@escrow/audit';
import type { PositionRule } from './arguments';
import { exportLeaves } from './export-leaves';
import { InclusionProofSource } from './service-client';
import { StreamingRoot } from './streaming-root';

/** Leaves [start, end). */
export interface LeafRange {
  start: number;
  end: number;
}

/** The ranges of the subtrees whose hashes make up the audit path of `leafIndex`, in the path's order. */
export function auditPathRanges(leafIndex: number, treeSize: number): LeafRange[] {
  const ranges: LeafRange[] = [];
  let start = 0;
  let size = treeSize;
  let m = leafIndex;
  // Walk down from the root; each split contributes the sibling of the half holding the leaf.
  while (size > 1) {
    const k = largestPowerOfTwoBelow(size);
    if (m < k) {
      ranges.push({ start: start + k, end: start + size });
      size = k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
      size -= k;
      m -= k;
    }
  }
  // The path lists the leaf's side first, the root's side last.
  return ranges.reverse();
}

/** A range of the export's leaves hashed: its subtree hash, and the position and leaf hash of its first leaf. */
export interface RangeHash {
  hash: Buffer;
  firstPosition: number;
  firstLeafHash: Buffer;
}

/** Hashes of disjoint ranges of the export's leaves, in one pass over the file. */
export async function exportRangeHashes(file: string, ranges: readonly LeafRange[], positions: PositionRule = 'contiguous'): Promise<RangeHash[]> {
  const roots = ranges.map(() => new StreamingRoot());
  const firstLeaves = ranges.map((): { position: number; hash: Buffer } => ({ position: 0, hash: Buffer.alloc(0) }));
  const end = Math.max(...ranges.map((range) => range.end));
  for await (const leaf of exportLeaves(file, end, positions)) {
    const at = ranges.findIndex((range) => leaf.index >= range.start && leaf.index < range.end);
    if (at === -1) continue;
    if (leaf.index === ranges[at].start) firstLeaves[at] = leaf;
    roots[at].append(leaf.hash);
  }
  return roots.map((root, i) => ({ hash: root.root(), firstPosition: firstLeaves[i].position, firstLeafHash: firstLeaves[i].hash }));
}

export type TamperingLocation =
  /** The export's event at this position (its line: leafIndex + 1) is not the event notarised at that leaf. */
  | { kind: 'event'; position: number; leafIndex: number; notarisedLeafHash?: Buffer }
  /**
   * The export has this position at leafIndex; the service has it at another leaf (its proof verifies against the
   * signed root). `sameEvent`: that notarised leaf is this very event, so events before it are missing or added.
   */
  | { kind: 'moved'; position: number; leafIndex: number; notarisedLeafIndex: number; sameEvent: boolean }
  /** The export has this position at leafIndex; the service says the tree of that size holds no such position. */
  | { kind: 'not-in-tree'; position: number; leafIndex: number }
  | { kind: 'service-proof-invalid'; position: number }
  | { kind: 'not-found' };

/**
 * The first event of the export (whose first `treeSize` events hash to another root than `rootHash`) that is not the
 * one notarised at its leaf. The descent works on leaf indexes (line − 1); the service's inclusion route takes a
 * position, so each round asks for the position the export holds at the leaf it needs. On the embedded store that is
 * leaf index + 1; on EventStoreDB, whatever commit position the line holds. When the service proves that position to
 * be at another leaf, or says it is not in the tree, that leaf of the export is the first that differs (every leaf
 * before it matched already).
 */
export async function locateFirstTamperedEvent(
  file: string,
  treeSize: number,
  rootHash: Buffer,
  proofs: InclusionProofSource,
  positions: PositionRule = 'contiguous',
): Promise<TamperingLocation> {
  let first = 0;
  let { firstPosition: position, firstLeafHash } = (await exportRangeHashes(file, [{ start: 0, end: 1 }], positions))[0];
  // Each round at least halves the range; the bound only guards against a misbehaving proof source.
  for (let round = 0; round <= 2 * Math.log2(treeSize + 1) + 2; round += 1) {
    const answer = await proofs.inclusionProof(position, treeSize);
    if (answer === undefined) return { kind: 'not-in-tree', position, leafIndex: first };
    const claim = { leafIndex: answer.leafIndex, treeSize, leafHash: answer.leafHash, auditPath: answer.auditPath, rootHash };
    if (!verifyInclusion(claim)) return { kind: 'service-proof-invalid', position };
    if (answer.leafIndex !== first) {
      return { kind: 'moved', position, leafIndex: first, notarisedLeafIndex: answer.leafIndex, sameEvent: answer.leafHash.equals(firstLeafHash) };
    }
    const pathRanges = auditPathRanges(first, treeSize);
    const candidates = [
      { range: { start: first, end: first + 1 }, notarised: answer.leafHash },
      ...pathRanges.map((range, i) => ({ range, notarised: answer.auditPath[i] })).filter(({ range }) => range.start > first),
    ].sort((a, b) => a.range.start - b.range.start);
    const computed = await exportRangeHashes(file, candidates.map(({ range }) => range), positions);
    const differing = candidates.findIndex(({ notarised }, i) => !notarised.equals(computed[i].hash));
    if (differing === -1) return { kind: 'not-found' };
    const { range, notarised } = candidates[differing];
    if (range.end - range.start === 1) return { kind: 'event', position: computed[differing].firstPosition, leafIndex: range.start, notarisedLeafHash: notarised };
    first = range.start;
    ({ firstPosition: position, firstLeafHash } = computed[differing]);
  }
  return { kind: 'not-found' };
}
