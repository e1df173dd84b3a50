/**
 * The published RFC 6962 test vectors: the eight standard test leaves, the roots of the trees of sizes 1…8 built
 * from them, and the inclusion and consistency proofs, exactly as they appear in
 * github.com/transparency-dev/merkle, proof/verify_test.go (commit 02194e9afb6c1d95b5381350007963aa70fff472:
 * `leaves`, `roots`, `inclusionProofs`, `consistencyProofs`). These values were computed by that project, not here.
 * In that table an inclusion vector's leaf number is 1-based: {leaf: 1, size: 8} is leaf index 0.
 */

import { MemorySubtrees } from './complete-subtrees';
import { EMPTY_TREE_ROOT, leafHash } from './hashes';
import { consistencyProof, inclusionProof, rootAt } from './proofs';
import { rootOfLeaves, verifyConsistency, verifyInclusion } from './verify';

const hex = (value: string): Buffer => Buffer.from(value, 'hex');

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);

const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const INCLUSION_PROOFS = [
  { leaf: 1, size: 1, proof: [] },
  {
    leaf: 1,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    leaf: 6,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { leaf: 3, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    leaf: 2,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const CONSISTENCY_PROOFS = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const leafHashes = LEAVES.map((leaf) => leafHash(leaf));
const store = MemorySubtrees.ofLeafHashes(leafHashes);
const toHex = (hashes: Buffer[]): string[] => hashes.map((hash) => hash.toString('hex'));

describe('RFC 6962 published test vectors', () => {
  it('the empty tree root is SHA-256 of the empty string', () => {
    expect(EMPTY_TREE_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(rootAt(0, store).equals(EMPTY_TREE_ROOT)).toBe(true);
  });

  it.each(ROOTS.map((root, index) => [index + 1, root] as const))('the root of the tree of size %i is %s', (size, root) => {
    expect(rootAt(size, store).toString('hex')).toBe(root);
    expect(rootOfLeaves(leafHashes.slice(0, size)).toString('hex')).toBe(root);
    // Built incrementally up to exactly this size, not as a prefix of a larger store.
    expect(rootAt(size, MemorySubtrees.ofLeafHashes(leafHashes.slice(0, size))).toString('hex')).toBe(root);
  });

  it.each(INCLUSION_PROOFS)('the inclusion proof of leaf $leaf in the tree of size $size', ({ leaf, size, proof }) => {
    const leafIndex = leaf - 1;
    expect(toHex(inclusionProof(leafIndex, size, store))).toEqual(proof);
    const claim = { leafIndex, treeSize: size, leafHash: leafHashes[leafIndex], auditPath: proof.map(hex), rootHash: hex(ROOTS[size - 1]) };
    expect(verifyInclusion(claim)).toBe(true);
    expect(verifyInclusion({ ...claim, leafIndex: leafIndex + 1 })).toBe(false);
    expect(verifyInclusion({ ...claim, treeSize: size * 2 })).toBe(false);
    expect(verifyInclusion({ ...claim, rootHash: EMPTY_TREE_ROOT })).toBe(false);
    expect(verifyInclusion({ ...claim, auditPath: [...claim.auditPath, hex(ROOTS[size - 1])] })).toBe(false);
    for (let i = 0; i < proof.length; i += 1) {
      const flipped = claim.auditPath.map((element) => Buffer.from(element));
      flipped[i][0] ^= 8;
      expect(verifyInclusion({ ...claim, auditPath: flipped })).toBe(false);
    }
  });

  it.each(CONSISTENCY_PROOFS)('the consistency proof from size $size1 to size $size2', ({ size1, size2, proof }) => {
    expect(toHex(consistencyProof(size1, size2, store))).toEqual(proof);
    const claim = { fromSize: size1, toSize: size2, fromRoot: hex(ROOTS[size1 - 1]), toRoot: hex(ROOTS[size2 - 1]), consistencyPath: proof.map(hex) };
    expect(verifyConsistency(claim)).toBe(true);
    if (size1 === size2) return;
    expect(verifyConsistency({ ...claim, fromSize: size1 + 1 })).toBe(false);
    expect(verifyConsistency({ ...claim, toSize: size2 * 2 })).toBe(false);
    expect(verifyConsistency({ ...claim, fromRoot: claim.toRoot, toRoot: claim.fromRoot })).toBe(false);
    expect(verifyConsistency({ ...claim, consistencyPath: [] })).toBe(false);
    expect(verifyConsistency({ ...claim, consistencyPath: claim.consistencyPath.slice(0, -1) })).toBe(false);
    expect(verifyConsistency({ ...claim, consistencyPath: [claim.consistencyPath[0], ...claim.consistencyPath] })).toBe(false);
    for (let i = 0; i < proof.length; i += 1) {
      const flipped = claim.consistencyPath.map((element) => Buffer.from(element));
      flipped[i][0] ^= 16;
      expect(verifyConsistency({ ...claim, consistencyPath: flipped })).toBe(false);
    }
  });

  it('the trivial consistency cases', () => {
    const root = hex(ROOTS[3]);
    expect(verifyConsistency({ fromSize: 0, toSize: 4, fromRoot: EMPTY_TREE_ROOT, toRoot: root, consistencyPath: [] })).toBe(true);
    expect(verifyConsistency({ fromSize: 0, toSize: 4, fromRoot: EMPTY_TREE_ROOT, toRoot: root, consistencyPath: [EMPTY_TREE_ROOT] })).toBe(false);
    expect(verifyConsistency({ fromSize: 4, toSize: 4, fromRoot: root, toRoot: hex(ROOTS[4]), consistencyPath: [] })).toBe(false);
    expect(verifyConsistency({ fromSize: 5, toSize: 4, fromRoot: hex(ROOTS[4]), toRoot: root, consistencyPath: [] })).toBe(false);
    expect(consistencyProof(0, 8, store)).toEqual([]);
    expect(() => consistencyProof(5, 4, store)).toThrow(RangeError);
  });
});
