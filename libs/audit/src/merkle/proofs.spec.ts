import fc from 'fast-check';
import { MemorySubtrees, nodesCompletedBy } from './complete-subtrees';
import { leafHash, nodeHash } from './hashes';
import { consistencyProof, inclusionProof, rootAt } from './proofs';
import { rootOfLeaves, verifyConsistency, verifyInclusion } from './verify';

/** Distinct leaf hashes for a tree of `size` leaves; the seed varies their content between runs. */
function leavesOf(size: number, seed: number): Buffer[] {
  return Array.from({ length: size }, (_, index) => leafHash(Buffer.from(`leaf ${seed}:${index}`)));
}

const treeSize = fc.integer({ min: 1, max: 300 });
const seed = fc.integer({ min: 0, max: 1_000_000 });
/** A tree size with an index inside it. */
const sizeAndIndex = treeSize.chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }), seed));
/** Two tree sizes m ≤ n with 1 ≤ m. */
const twoSizes = treeSize.chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n), seed));
const flip = (hash: Buffer): Buffer => {
  const copy = Buffer.from(hash);
  copy[copy.length - 1] ^= 1;
  return copy;
};

describe('complete subtrees', () => {
  it('nodesCompletedBy adds the leaf and exactly the subtrees that (leafIndex + 1) completes', () => {
    const store = MemorySubtrees.ofLeafHashes(leavesOf(7, 1));
    const nodes = nodesCompletedBy(7, leafHash(Buffer.from('eighth')), store);
    expect(nodes.map(({ level, index }) => [level, index])).toEqual([
      [0, 7],
      [1, 3],
      [2, 1],
      [3, 0],
    ]);
    expect(nodes[1].hash.equals(nodeHash(store.hash(0, 6), nodes[0].hash))).toBe(true);
    expect(nodesCompletedBy(4, leafHash(Buffer.from('fifth')), store)).toHaveLength(1);
  });

  it('asking for a subtree that is not complete is refused', () => {
    const store = MemorySubtrees.ofLeafHashes(leavesOf(3, 1));
    expect(() => store.hash(1, 1)).toThrow(RangeError);
    expect(() => rootAt(4, store)).toThrow(RangeError);
  });

  it('rootAt over the incrementally built store equals the straight MTH, for every prefix', () => {
    fc.assert(
      fc.property(treeSize, seed, (size, s) => {
        const leaves = leavesOf(size, s);
        const store = MemorySubtrees.ofLeafHashes(leaves);
        for (let prefix = 0; prefix <= size; prefix += 1) {
          if (!rootAt(prefix, store).equals(rootOfLeaves(leaves.slice(0, prefix)))) return false;
        }
        return true;
      }),
      { numRuns: 40 },
    );
  });
});

describe('inclusion proofs', () => {
  it('every proof produced verifies against the straight root', () => {
    fc.assert(
      fc.property(treeSize, seed, (size, s) => {
        const leaves = leavesOf(size, s);
        const store = MemorySubtrees.ofLeafHashes(leaves);
        const rootHash = rootOfLeaves(leaves);
        return leaves.every((hash, leafIndex) => verifyInclusion({ leafIndex, treeSize: size, leafHash: hash, auditPath: inclusionProof(leafIndex, size, store), rootHash }));
      }),
      { numRuns: 30 },
    );
  });

  it('a changed leaf, a changed path element, a wrong index or a wrong size fails', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), ([size, leafIndex, s], pick) => {
        const leaves = leavesOf(size, s);
        const store = MemorySubtrees.ofLeafHashes(leaves);
        const claim = { leafIndex, treeSize: size, leafHash: leaves[leafIndex], auditPath: inclusionProof(leafIndex, size, store), rootHash: rootOfLeaves(leaves) };
        expect(verifyInclusion(claim)).toBe(true);
        expect(verifyInclusion({ ...claim, leafHash: flip(claim.leafHash) })).toBe(false);
        if (claim.auditPath.length > 0) {
          const at = pick % claim.auditPath.length;
          expect(verifyInclusion({ ...claim, auditPath: claim.auditPath.map((p, i) => (i === at ? flip(p) : p)) })).toBe(false);
        }
        if (size > 1) {
          const otherIndex = (leafIndex + 1 + (pick % (size - 1))) % size;
          expect(verifyInclusion({ ...claim, leafIndex: otherIndex })).toBe(false);
        }
        // A proof binds the size only through its shape (a size with the same path shape is a same-shaped claim):
        // the size an auditor relies on comes from the signed tree head. A size of another height fails.
        expect(verifyInclusion({ ...claim, treeSize: size * 2 })).toBe(false);
        expect(verifyInclusion({ ...claim, treeSize: Math.floor(size / 2) })).toBe(false);
        expect(verifyInclusion({ ...claim, leafIndex: size })).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a changed leaf or a swapped pair of leaves changes the root, so the old proofs no longer verify', () => {
    fc.assert(
      fc.property(sizeAndIndex.filter(([size]) => size > 1), fc.nat(), ([size, i, s], pick) => {
        const leaves = leavesOf(size, s);
        const rootHash = rootOfLeaves(leaves);
        const j = (i + 1 + (pick % (size - 1))) % size;
        const swapped = [...leaves];
        [swapped[i], swapped[j]] = [swapped[j], swapped[i]];
        const changed = leaves.map((leaf, index) => (index === i ? flip(leaf) : leaf));
        expect(rootOfLeaves(swapped).equals(rootHash)).toBe(false);
        expect(rootOfLeaves(changed).equals(rootHash)).toBe(false);
        const swappedStore = MemorySubtrees.ofLeafHashes(swapped);
        expect(verifyInclusion({ leafIndex: i, treeSize: size, leafHash: swapped[i], auditPath: inclusionProof(i, size, swappedStore), rootHash })).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an index outside the tree', () => {
    const store = MemorySubtrees.ofLeafHashes(leavesOf(5, 1));
    expect(() => inclusionProof(5, 5, store)).toThrow(RangeError);
    expect(() => inclusionProof(-1, 5, store)).toThrow(RangeError);
  });
});

describe('consistency proofs', () => {
  it('every proof produced verifies against the straight roots of both sizes', () => {
    fc.assert(
      fc.property(treeSize, seed, (size, s) => {
        const leaves = leavesOf(size, s);
        const store = MemorySubtrees.ofLeafHashes(leaves);
        const toRoot = rootOfLeaves(leaves);
        for (let m = 0; m <= size; m += 1) {
          const claim = { fromSize: m, toSize: size, fromRoot: rootOfLeaves(leaves.slice(0, m)), toRoot, consistencyPath: consistencyProof(m, size, store) };
          if (!verifyConsistency(claim)) return false;
        }
        return true;
      }),
      { numRuns: 20 },
    );
  });

  it('a changed old leaf, a swapped pair, a changed path element or a wrong size fails', () => {
    fc.assert(
      fc.property(twoSizes.filter(([m, n]) => m < n), fc.nat(), ([m, n, s], pick) => {
        const leaves = leavesOf(n, s);
        const store = MemorySubtrees.ofLeafHashes(leaves);
        const claim = { fromSize: m, toSize: n, fromRoot: rootOfLeaves(leaves.slice(0, m)), toRoot: rootOfLeaves(leaves), consistencyPath: consistencyProof(m, n, store) };
        expect(verifyConsistency(claim)).toBe(true);
        // The old log had another leaf at some index below m: its root is not a prefix of the new tree.
        const rewritten = leaves.slice(0, m).map((leaf, index) => (index === pick % m ? flip(leaf) : leaf));
        expect(verifyConsistency({ ...claim, fromRoot: rootOfLeaves(rewritten) })).toBe(false);
        if (m > 1) {
          const i = pick % m;
          const j = (i + 1) % m;
          const reordered = leaves.slice(0, m);
          [reordered[i], reordered[j]] = [reordered[j], reordered[i]];
          expect(verifyConsistency({ ...claim, fromRoot: rootOfLeaves(reordered) })).toBe(false);
        }
        const at = pick % claim.consistencyPath.length;
        expect(verifyConsistency({ ...claim, consistencyPath: claim.consistencyPath.map((p, k) => (k === at ? flip(p) : p)) })).toBe(false);
        // As for inclusion, sizes are authenticated by the signed heads; sizes of another shape fail.
        expect(verifyConsistency({ ...claim, toSize: n * 2 })).toBe(false);
        expect(verifyConsistency({ ...claim, fromSize: m - 1 })).toBe(false);
        expect(verifyConsistency({ ...claim, fromSize: m + 1 })).toBe(false);
        expect(verifyConsistency({ ...claim, fromRoot: claim.toRoot, toRoot: claim.fromRoot })).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
