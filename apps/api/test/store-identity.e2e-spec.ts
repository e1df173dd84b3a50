import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, EventStore, RecordedEvent } from '@escrow/event-store/port';
import { rebuildProjections } from '../../../scripts/projections-rebuild';
import { checkStore } from '../../../scripts/store-check';
import { creditedTotal, DataFolderService as Node, settledTrialBalance } from './data-folder-service';
import { contractBetween, payOut, uniqueId, TestContract } from './wallets.fixtures';

const eventsFile = (dir: string) => join(dir, 'events.sqlite');

/** Copies the log (with its WAL files when there are any) from one folder to another, replacing what is there. */
function copyLog(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(eventsFile(to) + suffix, { force: true });
    if (existsSync(eventsFile(from) + suffix)) copyFileSync(eventsFile(from) + suffix, eventsFile(to) + suffix);
  }
}

const creditsBySource = (log: readonly RecordedEvent[]) => {
  const counts = new Map<string, number>();
  for (const event of log) {
    if (event.type !== 'WalletCredited') continue;
    const source = JSON.stringify((event.data as { source?: unknown }).source);
    counts.set(source, (counts.get(source) ?? 0) + 1);
  }
  return counts;
};

const silent = () => undefined;

describe('The service knows which log its read models were built from (e2e)', () => {
  const folders: string[] = [];
  const nodes: Node[] = [];
  const newNode = () => {
    const dir = mkdtempSync(join(tmpdir(), 'escrow-store-identity-'));
    folders.push(dir);
    const node = new Node(dir);
    nodes.push(node);
    return node;
  };

  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.stop();
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a log rolled back under newer read models; after projections:rebuild it starts, books consistent, and credits again', async () => {
    const node = await newNode().start();
    const workerId = uniqueId('worker');
    const contract: TestContract = await contractBetween(node.service, uniqueId('client'), workerId, [10_000, 20_000, 30_000, 40_000]);
    const first = await payOut(node.service, contract, 0);
    await creditedTotal(node, workerId, first.net);
    await node.stop();
    const backup = mkdtempSync(join(tmpdir(), 'escrow-store-backup-'));
    folders.push(backup);
    copyLog(node.dataDir, backup);

    await node.start();
    const lateClient = uniqueId('client');
    const lateOffer = () =>
      node.service
        .post('/v1/contracts', { id: lateClient, role: 'user' }, { clientId: lateClient, workerId, title: 'Late', milestones: [{ title: 'All', amount: 5000, dueDate: '2026-12-31' }] })
        .set('Idempotency-Key', 'late-offer');
    const late = await lateOffer().expect(201);
    const second = await payOut(node.service, contract, 1);
    const third = await payOut(node.service, contract, 2);
    await creditedTotal(node, workerId, first.net + second.net + third.net);
    await node.stop();

    copyLog(backup, node.dataDir);
    await expect(node.start()).rejects.toThrow(/the log is older than the read models \(restored from an earlier copy, or rolled back\)/);
    await expect(node.start()).rejects.toThrow(/Remedy: stop the service and run `npm run projections:rebuild`/);

    const report = await rebuildProjections([], node.env, silent);
    expect(report.targetPosition).toBeLessThan(third.position);

    await node.start();
    // The books are those of the log at hand: one payout, credited once.
    await creditedTotal(node, workerId, first.net);
    const trial = await settledTrialBalance(node);
    expect(trial.balanced).toBe(true);
    // Milestones 1 and 2 are funded and unpaid again in this log: paying them out credits the worker, once each.
    const again = await payOut(node.service, contract, 1);
    const fourth = await payOut(node.service, contract, 3);
    await creditedTotal(node, workerId, first.net + again.net + fourth.net);
    expect((await settledTrialBalance(node)).balanced).toBe(true);
    expect([...creditsBySource(await node.log()).values()]).toEqual([1, 1, 1]);
    // An offer acknowledged after the backup is not in this log: its retry makes it, rather than being told it exists.
    await node.service.get(`/v1/contracts/${late.body.contractId}`).expect(404);
    expect((await lateOffer().expect(201)).body.contractId).toBe(late.body.contractId);
    await node.service.get(`/v1/contracts/${late.body.contractId}`).expect(200);
  });

  it("refuses another store's log, and an emptied one, under its read models; the rebuild binds them to the log at hand", async () => {
    const mine = await newNode().start();
    const workerId = uniqueId('worker');
    const contract = await contractBetween(mine.service, uniqueId('client'), workerId);
    const paid = await payOut(mine.service, contract, 0);
    await creditedTotal(mine, workerId, paid.net);
    const myStoreId = await mine.app!.get<EventStore>(EVENT_STORE).storeId();
    await mine.stop();

    const theirs = await newNode().start();
    const theirWorker = uniqueId('worker');
    const theirContract = await contractBetween(theirs.service, uniqueId('client'), theirWorker, [30_000]);
    const theirPayout = await payOut(theirs.service, theirContract, 0);
    await creditedTotal(theirs, theirWorker, theirPayout.net);
    const theirStoreId = await theirs.app!.get<EventStore>(EVENT_STORE).storeId();
    await theirs.stop();

    copyLog(theirs.dataDir, mine.dataDir);
    await expect(mine.start()).rejects.toThrow(
      new RegExp(`built from event store ${myStoreId}, but the event store at hand is ${theirStoreId} \\(another store's log, or an emptied or recreated one`),
    );

    for (const suffix of ['', '-wal', '-shm']) rmSync(eventsFile(mine.dataDir) + suffix, { force: true });
    await expect(mine.start()).rejects.toThrow(/but the event store at hand is .* \(another store's log, or an emptied or recreated one.*npm run projections:rebuild/s);

    copyLog(theirs.dataDir, mine.dataDir);
    await rebuildProjections([], mine.env, silent);
    await mine.start();
    await creditedTotal(mine, theirWorker, theirPayout.net);
    await creditedTotal(mine, workerId, 0);
    expect((await settledTrialBalance(mine)).balanced).toBe(true);
    expect([...creditsBySource(await mine.log()).values()]).toEqual([1]);
  });

  it('refuses a log with a damaged page at start, and store:check reports it', async () => {
    const node = await newNode().start();
    for (let i = 0; i < 40; i++) await contractBetween(node.service, uniqueId('client'), uniqueId('worker'), [10_000, 20_000]);
    await node.stop();
    expect((await checkStore(node.env, silent)).ok).toBe(true);

    const file = eventsFile(node.dataDir);
    const pageSize = 4096;
    const pages = Math.floor(statSync(file).size / pageSize);
    expect(pages).toBeGreaterThan(20);
    const descriptor = openSync(file, 'r+');
    writeSync(descriptor, Buffer.alloc(pageSize, 0xa5), 0, pageSize, Math.floor(pages / 2) * pageSize);
    closeSync(descriptor);

    await expect(node.start()).rejects.toThrow(/Refusing to start: .*events\.sqlite is damaged \(SQLite integrity check failed\)/s);
    await expect(node.start()).rejects.toThrow(/restore events\.sqlite .* from the last good backup/s);

    const lines: string[] = [];
    const report = await checkStore(node.env, (line) => lines.push(line));
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toContain(`${file} is damaged`);
    expect(lines.join('\n')).toMatch(/read-models\.sqlite: integrity_check ok/);
    // The rebuild cannot repair a log: it refuses rather than rebuild from a damaged one.
    await expect(rebuildProjections([], node.env, silent)).rejects.toThrow(/events\.sqlite is damaged/);
  });

  it('a damaged notary file is refused at start naming its remedy, and projections:rebuild moves it aside so the log is notarised again', async () => {
    const node = await newNode().start();
    for (let i = 0; i < 40; i++) await contractBetween(node.service, uniqueId('client'), uniqueId('worker'), [10_000, 20_000]);
    const head = async () => (await node.service.get('/v1/audit/tree-head')).body as { treeSize?: number };
    const logHead = async () => ((await node.service.get('/v1/audit/events?limit=1').expect(200)).body as { headPosition: number }).headPosition;
    const headCovering = async (size: number) => {
      for (let attempt = 0; attempt < 300 && (await head()).treeSize !== size; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await head()).treeSize).toBe(size);
    };
    await headCovering(await logHead());
    await node.stop();

    const file = join(node.dataDir, 'notary.sqlite');
    const pages = Math.floor(statSync(file).size / 4096);
    expect(pages).toBeGreaterThan(4);
    const descriptor = openSync(file, 'r+');
    writeSync(descriptor, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(pages / 2) * 4096);
    closeSync(descriptor);

    await expect(node.start()).rejects.toThrow(/Refusing to start: .*notary\.sqlite is damaged \(SQLite integrity check failed\).*Restore notary\.sqlite .* moves the damaged file aside/s);
    const lines: string[] = [];
    await rebuildProjections([], node.env, (line) => lines.push(line));
    expect(lines.join('\n')).toMatch(/notary\.sqlite was damaged .* moved aside to .*notary\.sqlite\.damaged-/);
    await node.start();
    await headCovering(await logHead());
  });

  it('a damaged read-model file is refused at start, and projections:rebuild moves it aside and rebuilds it', async () => {
    const node = await newNode().start();
    const workerId = uniqueId('worker');
    const contract = await contractBetween(node.service, uniqueId('client'), workerId);
    const paid = await payOut(node.service, contract, 0);
    for (let i = 0; i < 40; i++) await contractBetween(node.service, uniqueId('client'), uniqueId('worker'), [10_000, 20_000]);
    await creditedTotal(node, workerId, paid.net);
    await settledTrialBalance(node);
    await node.stop();

    const file = join(node.dataDir, 'read-models.sqlite');
    const pages = Math.floor(statSync(file).size / 4096);
    const descriptor = openSync(file, 'r+');
    writeSync(descriptor, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(pages / 2) * 4096);
    closeSync(descriptor);

    await expect(node.start()).rejects.toThrow(/read-models\.sqlite is damaged .*it moves the damaged file aside and rebuilds/s);
    const lines: string[] = [];
    await rebuildProjections([], node.env, (line) => lines.push(line));
    // SQLite's account of the damage may span lines, depending on the page hit.
    expect(lines.join('\n')).toMatch(/read-models\.sqlite was damaged .* moved aside to .*read-models\.sqlite\.damaged-/s);
    await node.start();
    await creditedTotal(node, workerId, paid.net);
    expect((await settledTrialBalance(node)).balanced).toBe(true);
    expect([...creditsBySource(await node.log()).values()]).toEqual([1]);
  });
});
