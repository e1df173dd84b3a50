import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotaryDatabase } from './notary-database';
import { NotaryProcessor } from './notary-processor';
import { ArrayLog, recordedEvents, testSigningKey } from './notary-testing';
import { checkNotarisedEvents, TamperCheckOptions } from './tamper-check';

describe('the tamper check', () => {
  let dir: string;
  let db: NotaryDatabase;
  let log: ArrayLog;
  const options: TamperCheckOptions = { recent: 10, sample: 5, origin: 'service', now: () => new Date('2026-11-30T12:00:00.000Z') };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'notary-tamper-'));
    db = NotaryDatabase.open(join(dir, 'notary.sqlite'));
    db.bindToStore('store-1', new Date(0).toISOString());
    log = new ArrayLog(recordedEvents(100));
    const processor = new NotaryProcessor({ db, store: log, key: testSigningKey(), treeHeadEveryEvents: 100, treeHeadMaxDelayMs: 1000 });
    processor.consume(log.events);
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds an intact log intact: the recent events, a sample of older ones, and the stored tree under the signed head', async () => {
    const check = await checkNotarisedEvents(db, log, options);
    expect(check).toEqual({
      checkedAt: '2026-11-30T12:00:00.000Z',
      origin: 'service',
      treeSize: 100,
      recent: { fromPosition: 91, toPosition: 100, count: 10 },
      sampledCount: 5,
      headTreeSize: 100,
      mismatchingPositions: [],
      treeMismatchingPositions: [],
      problems: [],
    });
  });

  it('names a recent event edited in the log, and an older one the sample picks', async () => {
    log.events[95]!.data.amount = 1;
    log.events[40]!.data.amount = 1;
    expect((await checkNotarisedEvents(db, log, { ...options, sample: 90 })).mismatchingPositions).toEqual([41, 96]);
    const notPicked = await checkNotarisedEvents(db, log, { ...options, sample: 3, random: () => 0 });
    expect(notPicked).toMatchObject({ sampledCount: 3, mismatchingPositions: [96], treeMismatchingPositions: [] });
  });

  it('names events removed from the log', async () => {
    log.events.splice(97, 1);
    const check = await checkNotarisedEvents(db, log, options);
    expect(check.mismatchingPositions).toEqual([98]);
  });

  it('compares every notarised event when asked to (the rebuild)', async () => {
    log.events[3]!.metadata.actor.id = 'someone-else';
    const check = await checkNotarisedEvents(db, log, { ...options, recent: Infinity, sample: 0, origin: 'rebuild' });
    expect(check).toMatchObject({ recent: { fromPosition: 1, toPosition: 100, count: 100 }, mismatchingPositions: [4] });
  });

  it("catches the notary's own file edited to match an edited log: the stored tree no longer gives the signed root", async () => {
    log.events[92]!.data.amount = 1;
    db.db.prepare('UPDATE notary_leaves SET leaf_hash = ? WHERE position = 93').run(Buffer.alloc(32, 7));
    const edited = await checkNotarisedEvents(db, log, { ...options, recent: 10, sample: 0 });
    expect(edited.treeMismatchingPositions).toEqual([]);
    // The paths checked are those of the recent window's ends and of the sample; a path through the edited leaf
    // (its own, and its sibling's) no longer leads to the signed root.
    const check = await checkNotarisedEvents(db, log, { ...options, recent: 0, sample: 100 });
    expect(check.treeMismatchingPositions).toEqual([93, 94]);
  });

  it('reports a head whose signature does not verify', async () => {
    db.db.prepare("UPDATE notary_tree_heads SET signature = 'AAAA' WHERE tree_size = 100").run();
    const check = await checkNotarisedEvents(db, log, options);
    expect(check.problems).toEqual(['the signature of the head of size 100 does not verify']);
  });
});
