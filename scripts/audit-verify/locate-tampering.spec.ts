import fc from 'fast-check';
import { inclusionProof, leafHash, MemorySubtrees, rootOfLeaves } from '@escrow/audit';
import { auditPathRanges } from './locate-tampering';
import { StreamingRoot } from './streaming-root';

const leavesOf = (size: number): Buffer[] => Array.from({ length: size }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));

describe('the streaming root', () => {
  it('equals the straight MTH after every append', () => {
    const leaves = leavesOf(300);
    const root = new StreamingRoot();
    expect(root.root().equals(rootOfLeaves([]))).toBe(true);
    leaves.forEach((leaf, i) => {
      root.append(leaf);
      expect(root.root().equals(rootOfLeaves(leaves.slice(0, i + 1)))).toBe(true);
    });
    expect(root.size).toBe(300);
  });
});

describe('auditPathRanges', () => {
  it('names the range of leaves each element of the audit path is the hash of', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }))), ([size, leafIndex]) => {
        const leaves = leavesOf(size);
        const path = inclusionProof(leafIndex, size, MemorySubtrees.ofLeafHashes(leaves));
        const ranges = auditPathRanges(leafIndex, size);
        expect(ranges).toHaveLength(path.length);
        ranges.forEach(({ start, end }, i) => expect(rootOfLeaves(leaves.slice(start, end)).equals(path[i])).toBe(true));
        // With the leaf they partition the tree.
        const covered = [{ start: leafIndex, end: leafIndex + 1 }, ...ranges].sort((a, b) => a.start - b.start);
        covered.forEach((range, i) => expect(range.start).toBe(i === 0 ? 0 : covered[i - 1].end));
        expect(covered[covered.length - 1].end).toBe(size);
      }),
      { numRuns: 200 },
    );
  });
});
