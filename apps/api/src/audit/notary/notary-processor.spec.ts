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

  it('counts the delay of a head from when its oldest event was recorded, not from when a trailing notary read it', () => {
    const processor = notary({ treeHeadEveryEvents: 1000, treeHeadMaxDelayMs: 1000 });
    const recordedAt = new Date(now - 700).toISOString();
    processor.consume(recordedEvents(2).map((event) => ({ ...event, recordedAt })));
    now += 299;
    expect(processor.publishIfDue()).toBeUndefined();
    now += 1;
    expect(processor.publishIfDue()).toMatchObject({ treeSize: 2 });
    // A recordedAt ahead of the notary's clock (another clock, on EventStoreDB) counts from the notarising instead.
    processor.consume(recordedEvents(1, 3).map((event) => ({ ...event, recordedAt: new Date(now + 60_000).toISOString() })));
    now += 999;
    expect(processor.publishIfDue()).toBeUndefined();
    now += 1;
    expect(processor.publishIfDue()).toMatchObject({ treeSize: 3 });
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

  it('while its pages fail, says since when and why, counts each failure, retries the same page and recovers on its own', async () => {
    const log = new ArrayLog(recordedEvents(6));
    const failures: number[] = [];
    const processor = notary({
      store: log,
      treeHeadMaxDelayMs: 10,
      clock: () => new Date(),
      retry: { initialDelayMs: 5, maxDelayMs: 5, multiplier: 1, jitter: 0 },
      onFailure: (_error, inARow) => failures.push(inARow),
    });
    db.db.exec("CREATE TRIGGER full_disk BEFORE INSERT ON notary_leaves BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    processor.start();
    await until(() => failures.length >= 3);
    const failing = processor.status();
    expect(failing).toMatchObject({ treeSize: 0, failingSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/), lastError: 'database or disk is full' });
    expect(failing.failures).toBeGreaterThanOrEqual(3);
    expect(failures.slice(0, 3)).toEqual([1, 2, 3]);
    await until(() => processor.status().failures > failing.failures);
    expect(processor.status().failingSince).toBe(failing.failingSince);

    db.db.exec('DROP TRIGGER full_disk');
    await until(() => db.latestHead()?.treeSize === 6);
    expect(processor.status()).toMatchObject({ treeSize: 6, failures: 0, failingSince: undefined, lastError: undefined });
    expect(db.latestHead()!.rootHash).toBe(rootOf(log.events));
  });

  it('a head failing to be written fails like a page, and is published once it can be', () => {
    const processor = notary({ treeHeadEveryEvents: 2 });
    db.db.exec("CREATE TRIGGER full_disk BEFORE INSERT ON notary_tree_heads BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    expect(() => processor.consume(recordedEvents(2))).toThrow('database or disk is full');
    expect(processor.status()).toMatchObject({ treeSize: 2, headTreeSize: 0 });
    db.db.exec('DROP TRIGGER full_disk');
    expect(processor.publishIfDue()).toMatchObject({ treeSize: 2 });
  });

  it('timestamps every head from its one clock, never before the previous head, even when the clock goes back', () => {
    const events = recordedEvents(3);
    const processor = notary({ treeHeadEveryEvents: 1 });
    processor.consume(events.slice(0, 1));
    const first = db.latestHead()!;
    now -= 60_000;
    processor.consume(events.slice(1, 2));
    const second = db.latestHead()!;
    expect(second.treeSize).toBe(2);
    expect(second.timestamp).toBe(first.timestamp);
    expect(verifyTreeHead(second, createPublicKey(key.publicKeyPem))).toBe(true);
    now += 120_000;
    processor.consume(events.slice(2, 3));
    expect(db.latestHead()!.timestamp).toBe(new Date(now).toISOString());
    // After a restart too: the previous head's time is read back from the file.
    now -= 3_600_000;
    const restarted = notary({ treeHeadEveryEvents: 1 });
    restarted.consume(recordedEvents(1, 4));
    expect(db.latestHead()).toMatchObject({ treeSize: 4, timestamp: new Date(now + 3_600_000).toISOString() });
    const timestamps = db.headsAfter(0, 10).map((head) => head.timestamp);
    expect([...timestamps].sort()).toEqual(timestamps);
  });

  it('the file refuses a head over a tree no larger than the latest head, timestamped before it, or beyond what is notarised', () => {
    const processor = notary({ treeHeadEveryEvents: 1 });
    processor.consume(recordedEvents(4));
    const latest = db.latestHead()!;
    const insert = (treeSize: number, timestamp: string) => () => db.insertHead({ ...latest, treeSize, timestamp, lastPosition: treeSize }, key.publicKeyPem);
    expect(insert(3, latest.timestamp)).toThrow(/Refusing to publish a tree head of size 3 .* the latest head is of size 4/);
    expect(insert(4, latest.timestamp)).toThrow(/Refusing to publish/);
    db.appendPage({ leaves: [{ leafIndex: 4, position: 5, leafHash: Buffer.alloc(32) }], nodes: [], fromSize: 4, now: latest.timestamp });
    expect(insert(5, new Date(Date.parse(latest.timestamp) - 1).toISOString())).toThrow(/Refusing to publish a tree head of size 5/);
    expect(insert(6, latest.timestamp)).toThrow(/only 5 leaves are notarised/);
    expect(db.headsAfter(0, 10).map((head) => head.treeSize)).toEqual([4]);
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
