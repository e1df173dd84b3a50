/**
 * Finding the first event of an export that differs from what the service notarised, with O(log n) inclusion
 * proofs (docs/audit.md, "Verifying"). An inclusion proof verified against the signed root authenticates the
 * notarised hash of its leaf and of every sibling subtree on its path. Those subtrees, with the leaf, partition the
 * tree; the leftmost of them whose hash differs from the same range hashed from the export holds the first
 * differing leaf. Ask for the proof of that range's first leaf and repeat, until the range is one leaf.
 */

import { largestPowerOfTwoBelow, verifyInclusion } from '@escrow/audit';
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

/** Hashes of disjoint ranges of the export's leaves, in one pass over the file. */
export async function exportRangeHashes(file: string, ranges: readonly LeafRange[]): Promise<Buffer[]> {
  const roots = ranges.map(() => new StreamingRoot());
  const end = Math.max(...ranges.map((range) => range.end));
  for await (const leaf of exportLeaves(file, end)) {
    const at = ranges.findIndex((range) => leaf.index >= range.start && leaf.index < range.end);
    if (at !== -1) roots[at].append(leaf.hash);
  }
  return roots.map((root) => root.root());
}

export type TamperingLocation =
  | { kind: 'event'; position: number; notarisedLeafHash?: Buffer }
  | { kind: 'service-proof-invalid'; position: number }
  | { kind: 'not-found' };

/**
 * The first position of the export (whose first `treeSize` events hash to another root than `rootHash`) whose event
 * is not the one notarised. Positions are leaf index + 1 (the embedded store's contiguous positions).
 */
export async function locateFirstTamperedEvent(file: string, treeSize: number, rootHash: Buffer, proofs: InclusionProofSource): Promise<TamperingLocation> {
  let first = 0;
  // Each round at least halves the range; the bound only guards against a misbehaving proof source.
  for (let round = 0; round <= 2 * Math.log2(treeSize + 1) + 2; round += 1) {
    const position = first + 1;
    const answer = await proofs.inclusionProof(position, treeSize);
    const claim = { leafIndex: first, treeSize, leafHash: answer.leafHash, auditPath: answer.auditPath, rootHash };
    if (answer.leafIndex !== first || !verifyInclusion(claim)) return { kind: 'service-proof-invalid', position };
    const pathRanges = auditPathRanges(first, treeSize);
    const candidates = [
      { range: { start: first, end: first + 1 }, notarised: answer.leafHash },
      ...pathRanges.map((range, i) => ({ range, notarised: answer.auditPath[i] })).filter(({ range }) => range.start > first),
    ].sort((a, b) => a.range.start - b.range.start);
    const computed = await exportRangeHashes(file, candidates.map(({ range }) => range));
    const differing = candidates.findIndex(({ notarised }, i) => !notarised.equals(computed[i]));
    if (differing === -1) return { kind: 'not-found' };
    const { range, notarised } = candidates[differing];
    if (range.end - range.start === 1) return { kind: 'event', position: range.start + 1, notarisedLeafHash: notarised };
    first = range.start;
  }
  return { kind: 'not-found' };
}
