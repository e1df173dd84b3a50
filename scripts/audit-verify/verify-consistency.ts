/** `--consistency`: two saved tree heads, both signatures, and the service's consistency proof between them. */

import { KeyObject } from 'node:crypto';
import { SignedTreeHead, verifyConsistency } from '@escrow/audit';
import { describeHead, signatureProblem } from './inputs';
import type { VerificationResult } from './verify-export';

export interface ConsistencyProofSource {
  consistencyProof(from: number, to: number): Promise<Buffer[]>;
}

export async function verifyHeadsConsistency(
  oldHead: SignedTreeHead,
  newHead: SignedTreeHead,
  keys: ReadonlyMap<string, KeyObject>,
  proofs: ConsistencyProofSource,
): Promise<VerificationResult> {
  const lines: string[] = [];
  for (const [name, head] of [['old', oldHead], ['new', newHead]] as const) {
    const problem = signatureProblem(head, keys);
    if (problem !== undefined) lines.push(`FAIL: the ${name} head, ${describeHead(head)}: ${problem}`);
  }
  if (oldHead.treeSize > newHead.treeSize) lines.push(`FAIL: the old head covers ${oldHead.treeSize} events, more than the new head's ${newHead.treeSize}`);
  if (lines.length > 0) return { ok: false, lines };
  // Equal sizes need no proof (an empty one): the two roots must simply be the same.
  const consistencyPath = oldHead.treeSize === newHead.treeSize ? [] : await proofs.consistencyProof(oldHead.treeSize, newHead.treeSize);
  const holds = verifyConsistency({
    fromSize: oldHead.treeSize,
    toSize: newHead.treeSize,
    fromRoot: Buffer.from(oldHead.rootHash, 'hex'),
    toRoot: Buffer.from(newHead.rootHash, 'hex'),
    consistencyPath,
  });
  if (!holds) {
    return {
      ok: false,
      lines: [`FAIL: the consistency proof (${consistencyPath.length} hashes) does not show ${describeHead(oldHead)} to be a prefix of ${describeHead(newHead)}`],
    };
  }
  return {
    ok: true,
    lines: [`OK: the log of ${describeHead(oldHead)} is the first ${oldHead.treeSize} events of ${describeHead(newHead)}; both signatures verify`],
  };
}
