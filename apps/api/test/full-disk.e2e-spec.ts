import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, RecordedEvent } from '@escrow/event-store/port';
import type { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { IdempotencyRecords } from '../src/idempotency';
import { ProjectionRuntime } from '../src/projections/projection-runtime';
import { DataFolderService, settledTrialBalance } from './data-folder-service';
import { settlement } from './harness';
import { contractBetween, TestContract, uniqueId, user } from './wallets.fixtures';

/**
 * A full disk, as SQLite sees it: each of the service's SQLite connections that writes is capped at the
 * pages its file has (`PRAGMA max_page_count`), so any write that needs one more page fails with SQLITE_FULL,
 * while writes that fit in the pages already there still succeed; lifting the cap is the disk getting room
 * again. The tests reach the connections of the running service for that: a test-only hook, since the
 * product has no business capping its own files. The event store writes on its writer thread, so its
 * cap goes through the store's `writerPragma`.
 */
interface WritingConnection {
  pragma(pragma: string): unknown;
}

interface Connections {
  events: WritingConnection;
  readModels: WritingConnection;
  idempotency: WritingConnection;
}

const simplePragmas = (db: Database.Database): WritingConnection => ({ pragma: (pragma) => db.pragma(pragma, { simple: true }) });

function connectionsOf(node: DataFolderService): Connections {
  const app = node.app!;
  const privateDb = (owner: unknown, what: string): Database.Database => {
    const db = (owner as { db?: Database.Database }).db;
    if (db === undefined || typeof db.pragma !== 'function') throw new Error(`${what} no longer keeps its connection in .db: update this hook`);
    return db;
  };
  const eventStore = app.get<SqliteEventStore>(EVENT_STORE);
  if (typeof eventStore.writerPragma !== 'function') throw new Error('The SQLite event store no longer has writerPragma: update this hook');
  return {
    events: { pragma: (pragma) => eventStore.writerPragma(pragma) },
    readModels: simplePragmas(app.get(ProjectionRuntime).db),
    idempotency: simplePragmas(privateDb(app.get(IdempotencyRecords), 'IdempotencyRecords')),
  };
}

/** Lets the file grow by `room` pages at most. */
const fill = async (db: WritingConnection, room = 0) => db.pragma(`max_page_count = ${((await db.pragma('page_count')) as number) + room}`);
const makeRoom = async (db: WritingConnection) => db.pragma('max_page_count = 1073741823');

const offerBody = (clientId: string, workerId: string, title: string) => ({
  clientId,
  workerId,
  title,
  milestones: [{ title: 'All of it', amount: 10_000, dueDate: '2026-12-31' }],
});

interface HealthBody {
  details: Record<string, { status: 'up' | 'down'; failingSince?: string }>;
}

async function health(node: DataFolderService): Promise<{ status: number; body: HealthBody }> {
  const res = await node.service.get('/health');
  return { status: res.status, body: res.body as HealthBody };
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Commands sent at once; the waves follow each other. */
const WAVE = 8;
const EVENT_LOG_ROOM_PAGES = 6;

describe('A full disk (e2e)', () => {
  let dataDir: string;
  let node: DataFolderService;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'escrow-full-disk-'));
    // The hook caps the connections of this thread, so the projections must write through one of them here;
    // a projection failing on the worker thread is reported the same way (processors-thread.spec.ts).
    node = await new DataFolderService(dataDir, { PROCESSORS_THREAD: 'main' }).start();
  });

  afterEach(async () => {
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with the read models full, commands are still answered, /health says so, and no event is lost once there is room', async () => {
    const { readModels } = connectionsOf(node);
    await fill(readModels);
    const clientId = uniqueId('client');
    const offered: string[] = [];
    // Rows fit in the pages already there for a while; keep offering until a batch needs a page.
    for (let i = 0; i < 400 && (await health(node)).status === 200; i++) {
      const res = await node.service.post('/v1/contracts', user(clientId), offerBody(clientId, uniqueId('worker'), `Offer ${i}`));
      expect(res.status).toBe(201);
      offered.push(res.body.contractId);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const failing = await health(node);
    expect(failing.status).toBe(503);
    expect(failing.body.details.readModels).toEqual({ status: 'down', message: expect.stringMatching(/read models/), failingSince: expect.any(String) });
    expect(failing.body.details.eventStore.status).toBe('up');
    // The service still takes commands: the log has room, the read models will catch up.
    const meanwhile = await node.service.post('/v1/contracts', user(clientId), offerBody(clientId, uniqueId('worker'), 'Meanwhile'));
    expect(meanwhile.status).toBe(201);
    offered.push(meanwhile.body.contractId);

    await makeRoom(readModels);
    await until('the read models recover', async () => (await health(node)).status === 200);
    await settledTrialBalance(node);
    const listed = await node.service.get(`/v1/clients/${clientId}/contracts?limit=500`).expect(200);
    expect((listed.body.data as { contractId: string }[]).map((contract) => contract.contractId).sort()).toEqual([...offered].sort());
  });

  it('with every file full under concurrent commands: 2xx or 503 with Retry-After, never a crash nor a 500; nothing acknowledged lost, nothing doubled', async () => {
    const contracts: TestContract[] = [];
    for (let i = 0; i < 10; i++) {
      const contract = await contractBetween(node.service, uniqueId('client'), uniqueId('worker'));
      const milestone = `/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[0]}`;
      await node.service.post(`${milestone}/deliver`, contract.worker, { deliverables: [{ uri: 'https://files.example.com/w.zip' }] }).expect(200);
      await node.service.post(`${milestone}/inspect`, contract.client).expect(200);
      contracts.push(contract);
    }
    await settledTrialBalance(node);

    const commands = [
      ...contracts.map((contract, i) => ({
        key: `payout-${i}`,
        path: `/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[0]}/payout`,
        actor: settlement,
        body: {},
      })),
      ...Array.from({ length: 30 }, (_, i) => {
        const clientId = uniqueId('client');
        return { key: `offer-${i}`, path: '/v1/contracts', actor: user(clientId), body: offerBody(clientId, uniqueId('worker'), `Offer ${'x'.repeat(100)} ${i}`) };
      }),
    ];
    const send = (command: (typeof commands)[number]) =>
      node.service.post(command.path, command.actor, command.body).set('Idempotency-Key', command.key);

    // The log has room for a few batches of appends, the other files for none: the disk fills during the load.
    const connections = connectionsOf(node);
    await fill(connections.events, EVENT_LOG_ROOM_PAGES);
    await fill(connections.readModels);
    await fill(connections.idempotency);
    const answers: Awaited<ReturnType<typeof send>>[] = [];
    for (let wave = 0; wave < commands.length; wave += WAVE) {
      answers.push(...(await Promise.all(commands.slice(wave, wave + WAVE).map(send))));
    }

    for (const answer of answers) {
      expect([200, 201, 503]).toContain(answer.status);
      if (answer.status === 503) {
        expect(answer.headers['retry-after']).toMatch(/^\d+$/);
        expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(answer.body.code).toBe('STORE_UNAVAILABLE');
      }
    }
    const refused = answers.filter((answer) => answer.status === 503).length;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(answers.length);
    // Still alive, and saying what is wrong: the log could not take the last appends.
    const failing = await health(node);
    expect(failing.status).toBe(503);
    expect(failing.body.details.eventStore).toMatchObject({ status: 'down', failingSince: expect.any(String) });

    for (const db of Object.values(connections)) await makeRoom(db);
    await node.stop();
    await node.start();

    // Every acknowledged command is there: its retry answers the same, and appends nothing.
    const retried = await Promise.all(commands.map(send));
    for (const [i, answer] of answers.entries()) {
      if (answer.status === 503) {
        expect([200, 201]).toContain(retried[i].status);
      } else {
        expect(retried[i].status).toBe(answer.status);
        expect(retried[i].body).toEqual(answer.body);
      }
    }
    for (const answer of retried.filter((res) => res.status === 201)) {
      await node.service.get(`/v1/contracts/${answer.body.contractId}`).expect(200);
    }

    // Each command took effect once: one offer per key, one payout per milestone, one credit per payout.
    await until('every payout is credited', async () => (await node.log()).filter((event) => event.type === 'WalletCredited').length >= contracts.length);
    const log = await node.log();
    const countBy = (events: RecordedEvent[], key: (event: RecordedEvent) => string) => {
      const counts = new Map<string, number>();
      for (const event of events) counts.set(key(event), (counts.get(key(event)) ?? 0) + 1);
      return counts;
    };
    const offers = countBy(log.filter((event) => event.type === 'ContractOffered' && event.metadata.idempotencyKey?.startsWith('offer-')), (event) => event.metadata.idempotencyKey!);
    expect(offers.size).toBe(30);
    expect(new Set(offers.values())).toEqual(new Set([1]));
    const payouts = countBy(log.filter((event) => event.type === 'MilestonePaidOut'), (event) => event.streamId);
    expect(payouts.size).toBe(contracts.length);
    expect(new Set(payouts.values())).toEqual(new Set([1]));
    const credits = countBy(log.filter((event) => event.type === 'WalletCredited'), (event) => JSON.stringify(event.data.source));
    expect(credits.size).toBe(contracts.length);
    expect(new Set(credits.values())).toEqual(new Set([1]));
    expect((await settledTrialBalance(node)).balanced).toBe(true);
  });
});
