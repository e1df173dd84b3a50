import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore, EventStoreUnavailableError, EventToAppend, WrongExpectedRevisionError } from '@escrow/event-store/port';
import { Actor, settlement, support, TestService } from './harness';
import { contractBetween, payOut, TestContract, uniqueId, user, walletOf } from './wallets.fixtures';

/** Net of a ¥10,000 (ex-tax) milestone: gross ¥11,000 minus a fee of ¥2,420. */
const NET = 8_580;

interface ParkedBody {
  parkedId: number;
  reactor: string;
  status: 'parked' | 'resolved';
  event: { position: number; id: string; type: string; streamId: string };
  error: { code: string; message: string };
  parkedAt: string;
  attempts: number;
  resolvedAt: string | null;
  resolvedBy: { id: string; role: string } | null;
}

/** An append the test decides about before the store sees it. */
type AppendFault = (streamId: string, events: EventToAppend[], expected: Parameters<EventStore['append']>[2], appendDirectly: EventStore['append']) => Promise<void>;

/** The wallet credit of one milestone, as the credit process appends it. */
const isCreditOf = (milestoneId: string, events: EventToAppend[]) =>
  events.some((event) => event.type === 'WalletCredited' && (event.data as { source?: { milestoneId?: string } }).source?.milestoneId === milestoneId);

describe('a wallet credit refused for good is parked, and every later credit is made', () => {
  let service: TestService;
  const faults = new Set<AppendFault>();

  /** Lets the spec interfere with appends through the store port of the running service, as another writer would. */
  const interceptAppends = () => {
    const store = service.app.get<EventStore>(EVENT_STORE);
    const append = store.append.bind(store);
    store.append = async (streamId, events, expected) => {
      for (const fault of faults) await fault(streamId, events, expected, append);
      return append(streamId, events, expected);
    };
  };

  const as = (actor: Actor) => ({
    parked: (query = '') => service.http().get(`/v1/processors/parked${query}`).set('X-Actor-Id', actor.id).set('X-Actor-Role', actor.role),
    retry: (parkedId: number, key = randomUUID()) => service.post(`/v1/processors/parked/${parkedId}/retry`, actor, undefined, { 'Idempotency-Key': key }),
  });

  const parkedOf = async (milestonePaidOut: (event: ParkedBody['event']) => boolean, status = 'all') => {
    const page = (await as(support).parked(`?status=${status}&reactor=wallet-credits`).expect(200)).body as { data: ParkedBody[] };
    return page.data.filter((parked) => milestonePaidOut(parked.event));
  };

  const payOutAll = async (contract: TestContract) => {
    let position = 0;
    for (let i = 0; i < contract.milestoneIds.length; i++) position = (await payOut(service, contract, i)).position;
    return position;
  };

  beforeAll(async () => {
    service = await TestService.start();
    interceptAppends();
  });
  afterAll(() => service.stop());

  it('parks the credit a conflicting fact refuses, credits the four payouts after it, and shows the parked event on its route, in /health and in /v1/projections', async () => {
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000, 10_000, 10_000, 10_000, 10_000]);
    const poisoned = contract.milestoneIds[0];
    // Another writer (a faulty import) records a credit of the same payout with another amount just before the credit process does.
    let planted = false;
    faults.add(async (streamId, events, _expected, appendDirectly) => {
      if (planted || streamId !== `wallet-${workerId}` || !isCreditOf(poisoned, events)) return;
      planted = true;
      const credit = events.find((event) => event.type === 'WalletCredited')!;
      await appendDirectly(streamId, [{ ...credit, id: randomUUID(), data: { ...credit.data, amount: 1 }, metadata: { ...credit.metadata, actor: { id: 'legacy-import', role: 'system' }, idempotencyKey: undefined, requestHash: undefined } }], 'any');
    });

    const last = await payOutAll(contract);

    const wallet = await walletOf(service, workerId, last);
    expect(planted).toBe(true);
    expect(wallet.available).toBe(1 + 4 * NET);
    expect(wallet.lots.map((lot) => lot.amount)).toEqual([1, NET, NET, NET, NET]);

    const [parked] = await parkedOf((event) => event.streamId === `contract-${contract.contractId}`, 'parked');
    expect(parked).toMatchObject({
      reactor: 'wallet-credits',
      status: 'parked',
      event: { type: 'MilestonePaidOut', streamId: `contract-${contract.contractId}` },
      error: { code: 'CREDIT_SOURCE_CONFLICT' },
      attempts: 1,
      resolvedAt: null,
      resolvedBy: null,
    });
    expect(parked.event.position).toBeLessThan(last);
    expect(wallet.lots[0].sourceId).toBe(parked.event.id);

    const health = await service.get('/health').expect(200);
    expect(health.body.status).toBe('warn');
    expect(health.body.details.eventStore.status).toBe('up');
    expect(health.body.details.processors).toMatchObject({ status: 'up', state: 'warn', parked: expect.any(Number) });
    expect(health.body.details.processors.parked).toBeGreaterThanOrEqual(1);
    expect(health.body.details.processors.reactors).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'wallet-credits', running: true, failures: 0, lastError: null, parked: health.body.details.processors.parked })]),
    );

    const statuses = (await service.get(`/v1/projections?minPosition=${last}`).expect(200)).body.data as { kind: string; name: string; position: number; parked?: number }[];
    const credits = statuses.find((status) => status.kind === 'reactor' && status.name === 'wallet-credits');
    expect(credits).toMatchObject({ running: true, failures: 0, parked: health.body.details.processors.parked });
    expect(credits!.position).toBeGreaterThanOrEqual(last);

    // Nothing in an append-only log undoes the conflicting credit: a retry is refused again and the event stays parked.
    const retried = await as(support).retry(parked.parkedId).expect(200);
    expect(retried.body).toMatchObject({ parkedId: parked.parkedId, status: 'parked', attempts: 2, error: { code: 'CREDIT_SOURCE_CONFLICT' } });
    expect((await walletOf(service, workerId, last)).available).toBe(1 + 4 * NET);
  });

  it('credits a parked payout exactly once when support retries it after the cause is gone', async () => {
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000, 10_000, 10_000, 10_000]);
    const contended = contract.milestoneIds[0];
    // Another writer wins every race for the wallet while this credit is being made: the executor gives up with a 409.
    let contention = true;
    faults.add(async (streamId, events, expected) => {
      if (contention && streamId === `wallet-${workerId}` && isCreditOf(contended, events)) {
        throw new WrongExpectedRevisionError(streamId, expected, typeof expected === 'number' ? expected + 1 : 0);
      }
    });

    const last = await payOutAll(contract);
    expect((await walletOf(service, workerId, last)).available).toBe(3 * NET);
    const [parked] = await parkedOf((event) => event.streamId === `contract-${contract.contractId}`, 'parked');
    expect(parked).toMatchObject({ status: 'parked', error: { code: 'CONCURRENCY_CONFLICT' }, attempts: 1 });

    await as(user(workerId)).retry(parked.parkedId).expect(403);
    contention = false;
    const key = randomUUID();
    const resolved = await as(support).retry(parked.parkedId, key).expect(200);
    expect(resolved.body).toMatchObject({ parkedId: parked.parkedId, status: 'resolved', resolvedBy: { id: support.id, role: 'support' }, attempts: 1 });
    expect(Date.parse(resolved.body.resolvedAt)).not.toBeNaN();

    const credited = await walletOf(service, workerId, last);
    expect(credited.available).toBe(4 * NET);
    expect(credited.lots.filter((lot) => lot.sourceId === parked.event.id)).toHaveLength(1);

    // A second retry delivers nothing again; the same request again answers as the first did.
    const again = await as(settlement).retry(parked.parkedId).expect(409);
    expect(again.body).toMatchObject({ code: 'PARKED_EVENT_RESOLVED', resolvedBy: { id: support.id } });
    expect((await as(support).retry(parked.parkedId, key).expect(200)).body).toEqual(resolved.body);
    expect((await walletOf(service, workerId)).available).toBe(4 * NET);

    // Nor does a restart deliver it again: it was parked past the checkpoint and resolved.
    await service.restart();
    interceptAppends();
    expect((await walletOf(service, workerId)).available).toBe(4 * NET);
    const [afterRestart] = await parkedOf((event) => event.id === parked.event.id, 'resolved');
    expect(afterRestart).toMatchObject({ status: 'resolved', resolvedBy: { id: support.id, role: 'support' } });
  });

  it('retries a credit while the store cannot take it, shows the reactor retrying in /health, and parks nothing', async () => {
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000]);
    let storeDown = true;
    let refusedAppends = 0;
    faults.add(async (streamId) => {
      if (storeDown && streamId === `wallet-${workerId}`) {
        refusedAppends++;
        throw new EventStoreUnavailableError('The SQLite event store cannot write right now (SQLITE_FULL)');
      }
    });

    const { position } = await payOut(service, contract, 0);
    let health = (await service.get('/health').expect(200)).body;
    for (let polls = 0; health.details.processors.retrying === 0 && polls < 200; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      health = (await service.get('/health').expect(200)).body;
    }
    expect(health.status).toBe('warn');
    const credits = health.details.processors.reactors.find((reactor: { name: string }) => reactor.name === 'wallet-credits');
    expect(credits.failures).toBeGreaterThanOrEqual(1);
    expect(credits.lastError).toBe('The SQLite event store cannot write right now (SQLITE_FULL)');

    storeDown = false;
    expect((await walletOf(service, workerId, position)).available).toBe(NET);
    expect(refusedAppends).toBeGreaterThanOrEqual(1);
    expect(await parkedOf((event) => event.streamId === `contract-${contract.contractId}`)).toEqual([]);
    const after = (await service.get('/health').expect(200)).body.details.processors;
    expect(after.retrying).toBe(0);
    expect(after.reactors.find((reactor: { name: string }) => reactor.name === 'wallet-credits')).toMatchObject({ failures: 0, lastError: null });
  });

  it('lets only support, system (and auditors) see parked events, and only support and system retry them', async () => {
    const every = (await as(support).parked('?status=all&limit=500').expect(200)).body.data as ParkedBody[];
    const page = await as(support).parked('?status=all&limit=1').expect(200);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.data[0]).toEqual(every[0]);
    expect(page.body.nextCursor === null).toBe(every.length === 1);
    if (page.body.nextCursor !== null) {
      const next = await as(settlement).parked(`?status=all&cursor=${page.body.nextCursor}`).expect(200);
      expect(next.body.data.every((parked: ParkedBody) => parked.parkedId > page.body.data[0].parkedId)).toBe(true);
    }

    const refused = await as(user('client-1')).parked().expect(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('STAFF_ONLY');
    await as(user('client-1')).retry(page.body.data[0].parkedId).expect(403);

    const invalid = await as(support).parked('?status=lost&limit=0&colour=red').expect(400);
    expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['colour', 'limit', 'status']);
    expect((await as(support).retry(999_999).expect(404)).body.code).toBe('PARKED_EVENT_NOT_FOUND');
    expect((await service.post('/v1/processors/parked/abc/retry', support).expect(400)).body.errors[0].field).toBe('parkedId');
  });
});
