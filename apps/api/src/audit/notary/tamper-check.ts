/**
 * The tamper check: events of the store's log are read again, hashed again, and compared with the leaves the
 * notary recorded when it first read them; and the notary's own stored leaves and nodes on the paths of the
 * events checked must reproduce the root of the latest signed head. The first catches an event edited (or
 * removed, or moved) in the log after it was notarised; the second a notary file edited to match it.
 *
 * What it cannot see: an event edited before the notary read it, and a notary file replaced wholesale together
 * with the signing key (see docs/audit.md, "Tamper checks").
 */

import { createPublicKey } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import { leafBytes } from '@escrow/audit/leaf/leaf-bytes';
import { leafHash } from '@escrow/audit/merkle/hashes';
import { inclusionProof } from '@escrow/audit/merkle/proofs';
import { verifyInclusion } from '@escrow/audit/merkle/verify';
import { verifyTreeHead } from '@escrow/audit/tree-head/tree-head';
import type { IntegrityCheck, NotarisedLeaf, NotaryDatabase } from './notary-database';

export interface TamperCheckOptions {
  /** Notarised events at the end of the log to check, every one; `Infinity` checks the whole log. */
  recent: number;
  /** Older notarised events to check, picked at random. */
  sample: number;
  origin: IntegrityCheck['origin'];
  now: () => Date;
  random?: () => number;
}

/** Leaves compared with their events per read of the log. */
const COMPARE_PAGE = 1000;
/** Most positions a check records of each kind; the count of the rest is in `problems`. */
export const MAX_RECORDED_POSITIONS = 1000;

export async function checkNotarisedEvents(db: NotaryDatabase, store: Pick<EventStore, 'readAll'>, options: TamperCheckOptions): Promise<IntegrityCheck> {
  const treeSize = db.state()?.treeSize ?? 0;
  const mismatching: number[] = [];
  const problems: string[] = [];
  const recentFrom = Math.max(0, treeSize - Math.min(options.recent, treeSize));
  const checked: NotarisedLeaf[] = [];

  let recentCount = 0;
  let recentFromPosition = 0;
  let recentToPosition = 0;
  for (let from = recentFrom; from < treeSize; from += COMPARE_PAGE) {
    const leaves = db.leavesFrom(from, Math.min(COMPARE_PAGE, treeSize - from));
    if (leaves.length === 0) break;
    mismatching.push(...(await compareWithLog(leaves, store)));
    if (recentCount === 0) recentFromPosition = leaves[0]!.position;
    recentToPosition = leaves[leaves.length - 1]!.position;
    recentCount += leaves.length;
    if (from === recentFrom) checked.push(leaves[0]!);
    if (from + COMPARE_PAGE >= treeSize) checked.push(leaves[leaves.length - 1]!);
  }

  const sampled = sampleIndexes(recentFrom, options.sample, options.random ?? Math.random);
  for (const leafIndex of sampled) {
    const leaf = db.leafAt(leafIndex);
    if (leaf === undefined) {
      problems.push(`leaf ${leafIndex} is missing from the notary's file`);
      continue;
    }
    mismatching.push(...(await compareWithLog([leaf], store)));
    checked.push(leaf);
  }

  const { headTreeSize, treeMismatching } = checkTreeAgainstHead(db, checked, problems);
  const recorded = (positions: number[], what: string) => {
    const unique = [...new Set(positions)].sort((a, b) => a - b);
    if (unique.length > MAX_RECORDED_POSITIONS) problems.push(`${unique.length - MAX_RECORDED_POSITIONS} more ${what} not listed`);
    return unique.slice(0, MAX_RECORDED_POSITIONS);
  };
  return {
    checkedAt: options.now().toISOString(),
    origin: options.origin,
    treeSize,
    recent: recentCount === 0 ? null : { fromPosition: recentFromPosition, toPosition: recentToPosition, count: recentCount },
    sampledCount: sampled.length,
    headTreeSize,
    mismatchingPositions: recorded(mismatching, 'mismatching positions'),
    treeMismatchingPositions: recorded(treeMismatching, 'positions off the signed tree'),
    problems,
  };
}

/** The positions among `leaves` (consecutive in the log) whose event is absent from the log or hashes otherwise. */
async function compareWithLog(leaves: readonly NotarisedLeaf[], store: Pick<EventStore, 'readAll'>): Promise<number[]> {
  const first = leaves[0]!;
  const events = await store.readAll({ after: first.position - 1, maxCount: leaves.length });
  const byPosition = new Map<number, RecordedEvent>(events.map((event) => [event.position, event]));
  return leaves
    .filter((leaf) => {
      const event = byPosition.get(leaf.position);
      return event === undefined || !leafHash(leafBytes(event)).equals(leaf.leafHash);
    })
    .map((leaf) => leaf.position);
}

/**
 * Checks the latest head's signature with the key it names, and that each checked leaf, with the stored nodes on
 * its path, reproduces the head's root.
 */
function checkTreeAgainstHead(db: NotaryDatabase, leaves: readonly NotarisedLeaf[], problems: string[]) {
  const head = db.latestHead();
  if (head === undefined) return { headTreeSize: null, treeMismatching: [] as number[] };
  const key = db.key(head.keyId);
  if (key === undefined) problems.push(`the key ${head.keyId} of the head of size ${head.treeSize} is missing from the notary's file`);
  else if (!verifyTreeHead(head, createPublicKey(key.publicKeyPem))) problems.push(`the signature of the head of size ${head.treeSize} does not verify`);
  const rootHash = Buffer.from(head.rootHash, 'hex');
  const treeMismatching = leaves
    .filter((leaf) => leaf.leafIndex < head.treeSize)
    .filter((leaf) => {
      try {
        const auditPath = inclusionProof(leaf.leafIndex, head.treeSize, db.subtrees());
        return !verifyInclusion({ leafIndex: leaf.leafIndex, treeSize: head.treeSize, leafHash: leaf.leafHash, auditPath, rootHash });
      } catch {
        return true;
      }
    })
    .map((leaf) => leaf.position);
  return { headTreeSize: head.treeSize, treeMismatching };
}

/** Up to `count` distinct leaf indexes below `below`, at random (all of them when there are no more): Floyd's sampling, `count` draws whatever `random` answers. */
function sampleIndexes(below: number, count: number, random: () => number): number[] {
  if (count >= below) return Array.from({ length: below }, (_, index) => index);
  const picked = new Set<number>();
  for (let candidate = below - count; candidate < below; candidate++) {
    const drawn = Math.min(candidate, Math.floor(random() * (candidate + 1)));
    picked.add(picked.has(drawn) ? candidate : drawn);
  }
  return [...picked].sort((a, b) => a - b);
}
