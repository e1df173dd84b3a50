import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leafBytes } from '@escrow/audit/leaf/leaf-bytes';
import { leafHash } from '@escrow/audit/merkle/hashes';
import { rootAt } from '@escrow/audit/merkle/proofs';
import { rootOfLeaves } from '@escrow/audit/merkle/verify';
import { verifyTreeHead } from '@escrow/audit/tree-head/tree-head';
import type { RecordedEvent } from '@escrow/event-store/port';
import { NotaryDatabase, NotaryDoesNotMatchStoreError } from './notary-database';
import { NotaryProcessor, NotaryProcessorOptions } from './notary-processor';
import { ArrayLog, recordedEvents, testSigningKey } from './notary-testing';

const rootOf = (events: readonly RecordedEvent[]) => rootOfLeaves(events.map((event) => leafHash(leafBytes(event)))).toString('hex');

describe('NotaryProcessor', () => {
  let dir: string;
  let file: string;
  let db: NotaryDatabase;
  let now: number;
  const key = testSigningKey();
  const processors: NotaryProcessor[] = [];

  const notary = (options: Partial<NotaryProcessorOptions> = {}) => {
    const processor = new NotaryProcessor({
      db,
      store: new ArrayLog(),
      key,
      treeHeadEveryEvents: 1_000_000,
      treeHeadMaxDelayMs: 1000,
      clock: () => new Date(now),
      ...options,
    });
    processors.push(processor);
    return processor;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'notary-'));
    file = join(dir, 'notary.sqlite');
    db = NotaryDatabase.open(file);
    db.bindToStore('store-1', new Date(0).toISOString());
    now = Date.parse('2026-11-30T12:00:00.000Z');
  });

  afterEach(async () => {
    await Promise.all(processors.splice(0).map((processor) => processor.stop()));
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the RFC 6962 tree of the log: its root and every stored subtree match the tree computed from scratch', () => {
    const events = recordedEvents(37);
    const processor = notary();
    for (let from = 0; from < events.length; from += 5) processor.notarise(events.slice(from, from + 5));
    expect(processor.status()).toMatchObject({ treeSize: 37, lastPosition: 37 });
    expect(processor.currentRoot()!.toString('hex')).toBe(rootOf(events));
    for (let size = 1; size <= 37; size++) expect(rootAt(size, db.subtrees()).toString('hex')).toBe(rootOf(events.slice(0, size)));
  });

  it('resumes from its checkpoint after a restart, with the same roots as a notary that never stopped', () => {
    const events = recordedEvents(50);
    notary().notarise(events.slice(0, 21));
    db.close();
    db = NotaryDatabase.open(file);
    expect(db.bindToStore('store-1', new Date(now).toISOString())).toMatchObject({ treeSize: 21, lastPosition: 21 });
    const resumed = notary();
    // The page read again after the restart overlaps the checkpoint: what was notarised is not notarised twice.
    resumed.notarise(events.slice(15, 50));
    expect(resumed.status()).toMatchObject({ treeSize: 50, lastPosition: 50 });
    expect(resumed.currentRoot()!.toString('hex')).toBe(rootOf(events));
    expect(rootAt(50, db.subtrees()).toString('hex')).toBe(rootOf(events));
  });

  it('commits nothing of a page it cannot write, and writes the same page whole once it can', () => {
    const events = recordedEvents(12);
    const processor = notary();
    processor.notarise(events.slice(0, 3));
    db.db.exec("CREATE TRIGGER full_disk BEFORE INSERT ON notary_nodes WHEN NEW.level = 3 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    expect(() => processor.notarise(events.slice(3, 12))).toThrow('database or disk is full');
    expect(db.state()).toMatchObject({ treeSize: 3, lastPosition: 3 });
    expect(db.leavesFrom(0, 100)).toHaveLength(3);
    expect(processor.status()).toMatchObject({ treeSize: 3, lastPosition: 3 });

    db.db.exec('DROP TRIGGER full_disk');
    processor.notarise(events.slice(3, 12));
    expect(processor.currentRoot()!.toString('hex')).toBe(rootOf(events));
    expect(rootAt(12, db.subtrees()).toString('hex')).toBe(rootOf(events));
  });

  it('publishes a head once AUDIT_TREE_HEAD_EVERY_EVENTS events are not covered by one', () => {
    const events = recordedEvents(7);
    const processor = notary({ treeHeadEveryEvents: 3, treeHeadMaxDelayMs: 3_600_000 });
    processor.consume(events.slice(0, 2));
    expect(db.latestHead()).toBeUndefined();
    processor.consume(events.slice(2, 4));
    processor.consume(events.slice(4, 6));
    processor.consume(events.slice(6, 7));
    expect(db.headsAfter(0, 10).map((head) => head.treeSize)).toEqual([4, 7]);
    expect(db.headOfSize(7)).toMatchObject({ rootHash: rootOf(events), lastPosition: 7, keyId: key.keyId });
  });

  it('publishes a head once the oldest event not covered by one has waited AUDIT_TREE_HEAD_MAX_DELAY_MS', () => {
    const events = recordedEvents(2);
    const processor = notary({ treeHeadEveryEvents: 1000, treeHeadMaxDelayMs: 1000 });
    processor.consume(events);
    now += 999;
    expect(processor.publishIfDue()).toBeUndefined();
    now += 1;
    const head = processor.publishIfDue()!;
    expect(head).toMatchObject({ treeSize: 2, rootHash: rootOf(events), timestamp: new Date(now).toISOString() });
    expect(verifyTreeHead(head, createPublicKey(key.publicKeyPem))).toBe(true);
    expect(db.key(key.keyId)?.publicKeyPem).toBe(key.publicKeyPem);
    now += 5000;
    expect(processor.publishIfDue()).toBeUndefined();
  });

  it('publishes no head while halted by a tamper check, and goes on notarising', () => {
    const processor = notary({ treeHeadEveryEvents: 1 });
    processor.halt('position 1 changed');
    processor.consume(recordedEvents(3));
    now += 10_000;
    expect(processor.publishIfDue()).toBeUndefined();
    expect(db.latestHead()).toBeUndefined();
    expect(processor.status()).toMatchObject({ treeSize: 3, haltedBecause: 'position 1 changed' });
  });

  it('runs as a processor of the log: reads what is appended when woken, retries a failed read, and publishes within the delay', async () => {
    const log = new ArrayLog(recordedEvents(5));
    const processor = notary({ store: log, treeHeadMaxDelayMs: 50, clock: () => new Date(), retry: { initialDelayMs: 10, maxDelayMs: 10, multiplier: 1, jitter: 0 } });
    log.failNextReads = 2;
    processor.start();
    await until(() => db.latestHead()?.treeSize === 5);
    log.events.push(...recordedEvents(4, 6));
    processor.wake();
    await until(() => db.latestHead()?.treeSize === 9);
    expect(db.latestHead()!.rootHash).toBe(rootOf(log.events));
  });

  it('refuses a notary file built from another store', () => {
    expect(() => db.bindToStore('store-2', new Date(now).toISOString())).toThrow(NotaryDoesNotMatchStoreError);
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
