/**
 * The root of a sequence of leaf hashes fed one at a time, in O(log n) memory: the roots of the complete subtrees
 * covering the leaves so far (at most one per level, largest first), folded from the right on demand.
 */

import { EMPTY_TREE_ROOT, nodeHash } from '@escrow/audit';

export class StreamingRoot {
  /** Complete subtrees, left to right, with their leaf counts (strictly decreasing powers of two). */
  private readonly subtrees: { leaves: number; hash: Buffer }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  append(leafHash: Buffer): void {
    let node = { leaves: 1, hash: leafHash };
    let last = this.subtrees[this.subtrees.length - 1];
    while (last !== undefined && last.leaves === node.leaves) {
      this.subtrees.pop();
      node = { leaves: node.leaves * 2, hash: nodeHash(last.hash, node.hash) };
      last = this.subtrees[this.subtrees.length - 1];
    }
    this.subtrees.push(node);
    this.count += 1;
  }

  /** MTH of the leaves appended so far (the RFC 6962 root: the right-most subtrees hang lowest). */
  root(): Buffer {
    if (this.subtrees.length === 0) return EMPTY_TREE_ROOT;
    let hash = this.subtrees[this.subtrees.length - 1].hash;
    for (let i = this.subtrees.length - 2; i >= 0; i -= 1) hash = nodeHash(this.subtrees[i].hash, hash);
    return hash;
  }
}
