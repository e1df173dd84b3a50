/**
 * Storage of a Merkle tree as its complete subtrees. Node (level, index) is the root of the perfect subtree of
 * 2^level leaves covering leaf indexes [index·2^level, (index+1)·2^level); level 0 are the leaf hashes. Only
 * complete subtrees are ever stored, so a stored node never changes once written: appending leaves only adds
 * nodes. Every root, inclusion proof and consistency proof of any earlier size is computed from these.
 */

import { nodeHash } from './hashes';

export interface CompleteSubtrees {
  /** The hash of complete subtree (level, index); throws when that subtree is not complete (not stored). */
  hash(level: number, index: number): Buffer;
}

export interface SubtreeNode {
  level: number;
  index: number;
  hash: Buffer;
}

/**
 * The nodes that appending leaf `leafIndex` adds: the leaf itself (level 0), then every subtree it completes, in
 * increasing level. Level L completes when (leafIndex + 1) is a multiple of 2^L; each such node is the hash of its
 * left sibling (already stored) and the node just computed. The caller stores them all, then the next leaf.
 */
export function nodesCompletedBy(leafIndex: number, leafHash: Buffer, subtrees: CompleteSubtrees): SubtreeNode[] {
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0) throw new RangeError(`leaf index must be a non-negative safe integer, got ${leafIndex}`);
  const nodes: SubtreeNode[] = [{ level: 0, index: leafIndex, hash: leafHash }];
  let level = 0;
  let index = leafIndex;
  let hash = leafHash;
  // A node that is a right child (odd index) completes its parent.
  while (index % 2 === 1) {
    hash = nodeHash(subtrees.hash(level, index - 1), hash);
    level += 1;
    index = (index - 1) / 2;
    nodes.push({ level, index, hash });
  }
  return nodes;
}

/** An in-memory store of complete subtrees, for tests and for the verifier. */
export class MemorySubtrees implements CompleteSubtrees {
  private readonly nodes = new Map<string, Buffer>();
  private leaves = 0;

  /** Builds the store of a whole tree from its leaf hashes. */
  static ofLeafHashes(leafHashes: readonly Buffer[]): MemorySubtrees {
    const store = new MemorySubtrees();
    for (const hash of leafHashes) store.appendLeaf(hash);
    return store;
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.leaves;
  }

  hash(level: number, index: number): Buffer {
    const found = this.nodes.get(`${level}:${index}`);
    if (!found) throw new RangeError(`no complete subtree at level ${level}, index ${index}`);
    return found;
  }

  put(node: SubtreeNode): void {
    this.nodes.set(`${node.level}:${node.index}`, node.hash);
  }

  /** Appends the next leaf and stores every subtree it completes. */
  appendLeaf(leafHash: Buffer): void {
    for (const node of nodesCompletedBy(this.leaves, leafHash, this)) this.put(node);
    this.leaves += 1;
  }
}
