/**
 * The notary: one of the processors of the store's global log (the shared `ProcessorLoop`, woken like the
 * reactors by the subscription), keeping an RFC 6962 Merkle tree over it in `notary.sqlite` and publishing
 * signed tree heads.
 *
 * - Per page: each event's leaf hash (`leafBytes` of the event as stored), the nodes it completes, then the
 *   leaves, the nodes and the checkpoint in ONE transaction. The left siblings those nodes need are the tree's
 *   frontier (the roots of its complete subtrees, at most one per level), kept in memory and replaced only once
 *   the page has committed; a page that fails commits nothing, changes nothing in memory, and is read again
 *   after the shared back-off, never skipped.
 * - A head is published once `treeHeadEveryEvents` leaves are not covered by one, or `treeHeadMaxDelayMs` after the
 *   oldest such leaf was recorded in the log; heads are never published over a log found tampered (`halt`).
 */

import { systemClock } from '@escrow/clock';
import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import { leafBytes } from '@escrow/audit/leaf/leaf-bytes';
import { leafHash, nodeHash } from '@escrow/audit/merkle/hashes';
import { CompleteSubtrees, nodesCompletedBy, SubtreeNode } from '@escrow/audit/merkle/complete-subtrees';
import { signTreeHead } from '@escrow/audit/tree-head/tree-head';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from '@escrow/projections/runtime/backoff';
import { NextStep, PageConsumer, ProcessorLoop, ReadPlan } from '@escrow/projections/runtime/processor-loop';
import type { NotarisedLeaf, NotaryDatabase, StoredTreeHead } from './notary-database';
import type { NotarySigningKey } from './signing-key';

/** Events notarised per transaction. */
export const DEFAULT_NOTARY_PAGE_SIZE = 2000;
/** How long an idle notary sleeps before looking at the log again when nothing woke it. */
export const DEFAULT_NOTARY_IDLE_POLL_MS = 1000;

export interface NotaryProcessorOptions {
  db: NotaryDatabase;
  store: Pick<EventStore, 'readAll'>;
  key: NotarySigningKey;
  treeHeadEveryEvents: number;
  treeHeadMaxDelayMs: number;
  pageSize?: number;
  idlePollMs?: number;
  retry?: RetryPolicy;
  clock?: () => Date;
  /** Told about each failed read or page, with the failures in a row; the loop retries on its own. */
  onFailure?: (error: unknown, failures: number) => void;
  onHead?: (head: StoredTreeHead) => void;
}

export interface NotaryStatus {
  treeSize: number;
  lastPosition: number;
  /** Size of the latest published head; 0 before the first. */
  headTreeSize: number;
  /** Size and time of the latest published head. */
  headTimestamp: string | undefined;
  failures: number;
  /** Since when reading or notarising has failed without a success since (the first failure of the run), with the last error. */
  failingSince: string | undefined;
  lastError: string | undefined;
  /** Why heads are no longer published, when they are not. */
  haltedBecause: string | undefined;
}

export class NotaryProcessor implements PageConsumer<ReadPlan> {
  private readonly loop: ProcessorLoop<ReadPlan>;
  private readonly clock: () => Date;
  /** The root of each complete subtree of the current tree, by level. */
  private frontier = new Map<number, SubtreeNode>();
  private treeSize: number;
  private lastPosition: number;
  private headTreeSize: number;
  private headTimestamp: string | undefined;
  private failingSince: string | undefined;
  private lastError: string | undefined;
  /**
   * When the oldest leaf not covered by a head was recorded in the log (ms since the epoch; never later than when it
   * was notarised): the delay of a head counts from the append, so a notary that trails the log does not add its
   * lag to it.
   */
  private unheadedSince: number | undefined;
  private haltedBecause: string | undefined;
  // Whether the log may hold events after the checkpoint: cleared by an empty read nobody woke the notary during.
  private mayHaveMore = true;
  private wakes = 0;
  private wakesAtRead = 0;
  private readPending = false;

  constructor(private readonly options: NotaryProcessorOptions) {
    this.clock = options.clock ?? systemClock.now;
    const state = options.db.state();
    if (state === undefined) throw new Error('The notary database is not bound to a store yet (bindToStore)');
    this.treeSize = state.treeSize;
    this.lastPosition = state.lastPosition;
    const latest = options.db.latestHead();
    this.headTreeSize = latest?.treeSize ?? 0;
    this.headTimestamp = latest?.timestamp;
    this.frontier = loadFrontier(this.treeSize, options.db.subtrees());
    if (this.treeSize > this.headTreeSize) this.unheadedSince = this.clock().getTime();
    this.loop = new ProcessorLoop(
      {
        store: options.store,
        pageSize: options.pageSize ?? DEFAULT_NOTARY_PAGE_SIZE,
        retry: options.retry ?? DEFAULT_RETRY_POLICY,
        // An empty page ends in next(), which decides how long to sleep (until a head is due, or woken).
        idleMs: 0,
      },
      this,
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** The log has grown: an idle notary reads it at once. */
  wake(): void {
    this.wakes++;
    this.mayHaveMore = true;
    this.loop.wake();
  }

  /** Stops publishing heads: the log was found changed under the tree. Notarising goes on. */
  halt(reason: string): void {
    this.haltedBecause = reason;
  }

  status(): NotaryStatus {
    return {
      treeSize: this.treeSize,
      lastPosition: this.lastPosition,
      headTreeSize: this.headTreeSize,
      headTimestamp: this.headTimestamp,
      failures: this.loop.failures,
      failingSince: this.failingSince,
      lastError: this.lastError,
      haltedBecause: this.haltedBecause,
    };
  }

  next(): NextStep<ReadPlan> {
    // The round before this one read (and consumed) without failing.
    if (this.loop.failures === 0) this.recovered();
    if (this.readPending && this.wakes === this.wakesAtRead) this.mayHaveMore = false;
    this.readPending = false;
    this.publishIfDue();
    if (this.mayHaveMore) {
      this.readPending = true;
      this.wakesAtRead = this.wakes;
      return { read: { after: this.lastPosition } };
    }
    const dueIn = this.headDueInMs();
    return { idleMs: Math.min(dueIn ?? Infinity, this.options.idlePollMs ?? DEFAULT_NOTARY_IDLE_POLL_MS) };
  }

  consume(page: readonly RecordedEvent[]): void {
    this.readPending = false;
    this.notarise(page);
    this.publishIfDue();
  }

  failed(error: unknown, failures: number): void {
    this.readPending = false;
    this.failingSince ??= this.clock().toISOString();
    // Errors from the native SQLite binding may come from another realm than this module's Error: read the message itself.
    const message = (error as { message?: unknown } | null)?.message;
    this.lastError = typeof message === 'string' ? message : String(error);
    this.options.onFailure?.(error, failures);
  }

  /** Notarises one page after the checkpoint: everything of it, or (throwing) nothing. */
  notarise(page: readonly RecordedEvent[]): void {
    const fresh = page.filter((event) => event.position > this.lastPosition);
    if (fresh.length === 0) return;
    const frontier = new Map(this.frontier);
    const computed = new Map<string, Buffer>();
    const subtrees: CompleteSubtrees = {
      hash: (level, index) => {
        const node = computed.get(`${level}:${index}`) ?? (frontier.get(level)?.index === index ? frontier.get(level)!.hash : undefined);
        return node ?? this.options.db.subtrees().hash(level, index);
      },
    };
    const leaves: NotarisedLeaf[] = [];
    const nodes: SubtreeNode[] = [];
    let leafIndex = this.treeSize;
    for (const event of fresh) {
      const hash = leafHash(leafBytes(event));
      const completed = nodesCompletedBy(leafIndex, hash, subtrees);
      for (const node of completed) computed.set(`${node.level}:${node.index}`, node.hash);
      const top = completed[completed.length - 1]!;
      for (let level = 0; level < top.level; level++) frontier.delete(level);
      frontier.set(top.level, top);
      leaves.push({ leafIndex, position: event.position, leafHash: hash });
      nodes.push(...completed.filter((node) => node.level > 0));
      leafIndex++;
    }
    const now = this.clock();
    this.options.db.appendPage({ leaves, nodes, fromSize: this.treeSize, now: now.toISOString() });
    this.frontier = frontier;
    this.treeSize = leafIndex;
    this.lastPosition = leaves[leaves.length - 1]!.position;
    const recordedAt = Date.parse(fresh[0]!.recordedAt);
    this.unheadedSince ??= Number.isFinite(recordedAt) ? Math.min(recordedAt, now.getTime()) : now.getTime();
    this.loop.progressed();
    this.recovered();
  }

  private recovered(): void {
    this.failingSince = undefined;
    this.lastError = undefined;
  }

  /** The root of the current tree from the frontier: the complete subtrees folded from the smallest up. */
  currentRoot(): Buffer | undefined {
    const levels = [...this.frontier.keys()].sort((a, b) => a - b);
    let root: Buffer | undefined;
    for (const level of levels) {
      const node = this.frontier.get(level)!.hash;
      root = root === undefined ? node : nodeHash(node, root);
    }
    return root;
  }

  /** Publishes a head of the current tree when one is due; answers it, if published. */
  publishIfDue(): StoredTreeHead | undefined {
    // A head is only ever published over a larger tree than the last one's.
    if (this.haltedBecause !== undefined || this.treeSize <= this.headTreeSize) return undefined;
    const dueIn = this.headDueInMs();
    if (dueIn === undefined || dueIn > 0) return undefined;
    return this.publish();
  }

  private headDueInMs(): number | undefined {
    const unheaded = this.treeSize - this.headTreeSize;
    if (this.haltedBecause !== undefined || unheaded === 0 || this.unheadedSince === undefined) return undefined;
    if (unheaded >= this.options.treeHeadEveryEvents) return 0;
    return Math.max(0, this.unheadedSince + this.options.treeHeadMaxDelayMs - this.clock().getTime());
  }

  /**
   * The clock's time, or the previous head's when the clock has gone back (an NTP step, a restored VM): heads are
   * ordered by time as by size, so an auditor never sees a larger tree signed as older.
   */
  private headTimestampNow(): string {
    const now = this.clock().toISOString();
    return this.headTimestamp !== undefined && now < this.headTimestamp ? this.headTimestamp : now;
  }

  private publish(): StoredTreeHead {
    const root = this.currentRoot()!;
    const signed = signTreeHead({ treeSize: this.treeSize, rootHash: root.toString('hex'), timestamp: this.headTimestampNow() }, this.options.key.privateKey);
    const head: StoredTreeHead = { ...signed, lastPosition: this.lastPosition };
    this.options.db.insertHead(head, this.options.key.publicKeyPem);
    this.headTreeSize = head.treeSize;
    this.headTimestamp = head.timestamp;
    this.unheadedSince = undefined;
    this.options.onHead?.(head);
    return head;
  }
}

/** The roots of the complete subtrees of a tree of `treeSize` leaves, read from storage: one per set bit of the size. */
function loadFrontier(treeSize: number, subtrees: CompleteSubtrees): Map<number, SubtreeNode> {
  const frontier = new Map<number, SubtreeNode>();
  let covered = 0;
  for (let level = 53; level >= 0; level--) {
    const width = 2 ** level;
    if (treeSize - covered >= width) {
      const index = covered / width;
      frontier.set(level, { level, index, hash: subtrees.hash(level, index) });
      covered += width;
    }
  }
  return frontier;
}
