import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumeEventFeed } from '../../../scripts/event-feed-consumer';
import { EventFeed } from '../src/event-feed/event-feed.service';
import { appendPadding, headOf, listen, StreamReader } from './event-feed-client';
import { auditor, client, fundedContract, settlement, support, TestService, worker } from './harness';

/**
 * The live event feed, read over real sockets: positions as ids, resumption, filters, who may read it,
 * validation, heartbeats, per-client limits, slow and lagging readers, and shutdown.
 */

/** Starts a service with the feed's bounds set (they are read from the environment at start). */
async function startWith(feedEnv: Record<string, string>): Promise<{ service: TestService; baseUrl: string; restoreEnv: () => void }> {
  const saved = Object.fromEntries(Object.keys(feedEnv).map((name) => [name, process.env[name]]));
  Object.assign(process.env, feedEnv);
  const restoreEnv = () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  const service = await TestService.start();
  return { service, baseUrl: await listen(service), restoreEnv };
}

const payOutFirst = async (service: TestService, contractId: string, milestoneId: string) => {
  const milestone = `/v1/contracts/${contractId}/milestones/${milestoneId}`;
  await service.post(`${milestone}/deliver`, worker, { deliverables: [{ uri: 'https://files.example.com/a.zip' }] }).expect(200);
  await service.post(`${milestone}/inspect`, client).expect(200);
  return (await service.post(`${milestone}/payout`, settlement).expect(200)).body as { position: number };
};

describe('GET /v1/events/stream', () => {
  let service: TestService;
  let baseUrl: string;
  let restoreEnv: () => void;
  const open: StreamReader[] = [];
  const stream = async (path: string, ...rest: Parameters<typeof StreamReader.open> extends [string, string, ...infer R] ? R : never) => {
    const reader = await StreamReader.open(baseUrl, path, ...rest);
    open.push(reader);
    return reader;
  };

  beforeAll(async () => {
    ({ service, baseUrl, restoreEnv } = await startWith({ EVENT_FEED_HEARTBEAT_MS: '100', EVENT_FEED_MAX_STREAMS_PER_CLIENT: '50' }));
    const contract = await fundedContract(service);
    await payOutFirst(service, contract.contractId, contract.milestones[0].milestoneId);
  });
  afterEach(() => open.splice(0).forEach((reader) => reader.close()));
  afterAll(async () => {
    await service.stop();
    restoreEnv();
  });

  it('sends the log from the start with each event as the audit feed shows it and its global position as id, then follows new events', async () => {
    const audit = (await service.get('/v1/audit/events?after=0&limit=1000').expect(200)).body as {
      data: { position: number }[];
      headPosition: number;
    };
    const reader = await stream('/v1/events/stream');
    expect(reader.response.statusCode).toBe(200);
    expect(reader.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(reader.response.headers['cache-control']).toBe('no-store');
    await reader.until(() => reader.ids.length === audit.headPosition, 'the whole log');
    expect(reader.events).toEqual(audit.data);
    expect(reader.ids).toEqual(audit.data.map((event) => event.position));

    const { contractId } = await fundedContract(service);
    const head = await headOf(service);
    await reader.until(() => reader.ids.at(-1) === head, 'the new events');
    expect(reader.ids).toEqual(Array.from({ length: head }, (_, index) => index + 1));
    expect(reader.events.filter((event) => event.streamId === `contract-${contractId}`).map((event) => event.type)).toEqual([
      'ContractOffered',
      'ContractAccepted',
      'EscrowFunded',
      'EscrowFunded',
      'EscrowFunded',
    ]);
  });

  it('resumes strictly after `after`, and after Last-Event-ID, which wins over `after`', async () => {
    const head = await headOf(service);
    const fromAfter = await stream('/v1/events/stream?after=5');
    await fromAfter.until(() => fromAfter.ids.at(-1) === head, 'the head');
    expect(fromAfter.ids[0]).toBe(6);

    const resumed = await stream('/v1/events/stream?after=2', auditor, { 'Last-Event-ID': '7' });
    await resumed.until(() => resumed.ids.at(-1) === head, 'the head');
    expect(resumed.ids).toEqual(Array.from({ length: head - 7 }, (_, index) => index + 8));
  });

  it('filters by stream category and by event type, and by both', async () => {
    const head = await headOf(service);
    const all = (await service.get(`/v1/audit/events?after=0&limit=1000`)).body.data as {
      position: number;
      type: string;
      streamId: string;
    }[];

    const wallets = await stream(`/v1/events/stream?category=wallet&until=${head}`);
    await wallets.until(() => wallets.ended, 'the end at `until`');
    expect(wallets.events.length).toBeGreaterThan(0);
    expect(wallets.events.map((event) => event.position)).toEqual(
      all.filter((event) => event.streamId.startsWith('wallet-')).map((event) => event.position),
    );
    expect(wallets.final()).toMatchObject({ event: 'end', id: String(wallets.ids.at(-1)) });

    const paidAndFunded = await stream(`/v1/events/stream?type=MilestonePaidOut,EscrowFunded&until=${head}`);
    await paidAndFunded.until(() => paidAndFunded.ended, 'the end at `until`');
    expect(new Set(paidAndFunded.events.map((event) => event.type))).toEqual(new Set(['MilestonePaidOut', 'EscrowFunded']));
    expect(paidAndFunded.events.length).toBe(all.filter((event) => ['MilestonePaidOut', 'EscrowFunded'].includes(event.type)).length);

    const both = await stream(`/v1/events/stream?category=contract,wallet&type=MilestonePaidOut&type=WalletCredited&until=${head}`);
    await both.until(() => both.ended, 'the end at `until`');
    expect(both.events.map((event) => event.type).sort()).toEqual(['MilestonePaidOut', 'WalletCredited']);
  });

  it('is for support, system and auditor callers; a user is refused with STAFF_ONLY as on the audit feed', async () => {
    for (const reader of [support, settlement, auditor]) {
      const res = await service.get('/v1/events/stream?until=1', reader).expect(200);
      expect(res.text).toContain('id: 1\n');
    }
    for (const user of [client, worker]) {
      const res = await service.get('/v1/events/stream?until=1', user).expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('STAFF_ONLY');
      expect((await service.get('/v1/audit/events', user).expect(403)).body.code).toBe('STAFF_ONLY');
    }
  });

  it.each([
    ['a negative after', 'after=-1', 'after', 'isInt'],
    ['an after in exponent notation', 'after=1e3', 'after', 'isInt'],
    ['an until that is not a number', 'until=abc', 'until', 'isInt'],
    ['an unknown category', 'category=contracts', 'category', 'isIn'],
    ['a category naming an object property', 'category=__proto__', 'category', 'isIn'],
    ['a type naming an object property', 'type=constructor', 'type', 'isIn'],
    ['a type list with an empty entry', 'type=MilestonePaidOut,', 'type', 'isIn'],
    ['a type naming a prototype method', 'type=toString', 'type', 'isIn'],
    ['65 types', `type=${Array(65).fill('EscrowFunded').join(',')}`, 'type', 'arrayMaxSize'],
    ['a type list over 2048 characters', `type=${'A'.repeat(2049)}`, 'type', 'maxLength'],
    ['an unknown parameter', 'limit=10', 'limit', 'whitelist'],
  ])('refuses %s with a problem naming the parameter and the rule', async (_label, query, field, rule) => {
    const res = await service.get(`/v1/events/stream?${query}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual([expect.objectContaining({ field, rule })]);
  });

  it('refuses a Last-Event-ID that is not a position', async () => {
    const res = await service.get('/v1/events/stream').set('Last-Event-ID', 'latest').expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'Last-Event-ID', rule: 'isInt' })]);
  });

  it('sends a heartbeat comment at the configured interval while nothing happens', async () => {
    const head = await headOf(service);
    const reader = await stream(`/v1/events/stream?after=${head}`);
    await reader.until(() => reader.comments >= 4, 'heartbeats', 2_000);
    expect(reader.messages).toEqual([]);
  });
});

describe('GET /v1/events/stream: limits, slow readers and shutdown', () => {
  let service: TestService;
  let baseUrl: string;
  let restoreEnv: () => void;

  beforeAll(async () => {
    ({ service, baseUrl, restoreEnv } = await startWith({
      EVENT_FEED_MAX_STREAMS_PER_CLIENT: '2',
      EVENT_FEED_STALL_TIMEOUT_MS: '400',
      EVENT_FEED_PAGE_SIZE: '50',
      EVENT_FEED_RETRY_MS: '250',
    }));
  });
  afterAll(async () => {
    await service.stop();
    restoreEnv();
  });

  it('limits the open streams of one calling service, counts them, and frees a place when one closes', async () => {
    const feed = service.app.get(EventFeed);
    const first = await StreamReader.open(baseUrl, '/v1/events/stream');
    const second = await StreamReader.open(baseUrl, '/v1/events/stream', support);
    await first.until(() => feed.openReaders === 2, 'two readers counted');
    expect(feed.openReadersOf('development')).toBe(2);
    expect((await service.get('/metrics').expect(200)).text).toMatch(/^escrow_sse_readers 2$/m);
    const refused = await service.get('/v1/events/stream').expect(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.body).toMatchObject({ code: 'TOO_MANY_STREAMS', limit: 2 });

    first.close();
    await second.until(() => feed.openReaders === 1, 'the closed reader uncounted');
    const third = await StreamReader.open(baseUrl, '/v1/events/stream');
    expect(third.response.statusCode).toBe(200);
    second.close();
    third.close();
    await third.until(() => feed.openReaders === 0, 'no reader left');
    expect((await service.get('/metrics').expect(200)).text).toMatch(/^escrow_sse_readers 0$/m);
  });

  it('cuts off a reader whose socket stays full, with a reconnect frame at its last delivered position, and no gap on resuming', async () => {
    const start = await headOf(service);
    const head = await appendPadding(service, 600, 16_384);
    const slow = await StreamReader.open(baseUrl, `/v1/events/stream?after=${start}`);
    slow.response.pause();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    slow.response.resume();
    await slow.until(() => slow.ended, 'the cut-off');

    const ids = slow.ids;
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.at(-1)).toBeLessThan(head);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, index) => start + 1 + index));
    const final = slow.final()!;
    expect(final).toMatchObject({ event: 'reconnect', id: String(ids.at(-1)), retry: 250 });
    expect(JSON.parse(final.data)).toEqual({ reason: 'slow-reader', lastEventId: ids.at(-1) });

    const resumed = await StreamReader.open(baseUrl, '/v1/events/stream', auditor, { 'Last-Event-ID': final.id! });
    await resumed.until(() => resumed.ids.at(-1) === head, 'the rest', 20_000);
    expect([...ids, ...resumed.ids]).toEqual(Array.from({ length: head - start }, (_, index) => start + 1 + index));
    resumed.close();
  });

  it('closes every stream with a retry hint on shutdown, and refuses new ones while stopping', async () => {
    const head = await headOf(service);
    const reader = await StreamReader.open(baseUrl, `/v1/events/stream?after=${head}`);
    const feed = service.app.get(EventFeed);
    await reader.until(() => feed.openReaders === 1, 'the reader counted');
    const closing = feed.closeAll();
    await service.get('/v1/events/stream').expect(503);
    await closing;
    await reader.until(() => reader.ended, 'the stream closed');
    expect(reader.final()).toMatchObject({ event: 'reconnect', id: String(head), retry: 250 });
    expect(JSON.parse(reader.final()!.data)).toEqual({ reason: 'shutdown', lastEventId: head });
    expect(feed.openReaders).toBe(0);
  });
});

describe('GET /v1/events/stream: a live reader falling behind', () => {
  let service: TestService;
  let baseUrl: string;
  let restoreEnv: () => void;

  beforeAll(async () => {
    ({ service, baseUrl, restoreEnv } = await startWith({
      EVENT_FEED_STALL_TIMEOUT_MS: '20000',
      EVENT_FEED_MAX_LAG_EVENTS: '40',
      EVENT_FEED_PAGE_SIZE: '20',
    }));
  });
  afterAll(async () => {
    await service.stop();
    restoreEnv();
  });

  it('cuts off a reader that had caught up and falls too far behind the head while its socket is full', async () => {
    const start = await headOf(service);
    const live = await StreamReader.open(baseUrl, `/v1/events/stream?after=${start}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    live.response.pause();
    const head = await appendPadding(service, 600, 16_384);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    live.response.resume();
    await live.until(() => live.ended, 'the cut-off', 15_000);
    const final = live.final()!;
    expect(JSON.parse(final.data)).toEqual({ reason: 'lagging', lastEventId: live.ids.at(-1) });
    expect(live.ids).toEqual(Array.from({ length: live.ids.length }, (_, index) => start + 1 + index));
    expect(live.ids.at(-1)).toBeLessThan(head - 40);
  });
});

describe('the example consumer across restarts of the service and of itself', () => {
  let service: TestService;
  let baseUrl: string;
  let restoreEnv: () => void;
  let folder: string;

  beforeAll(async () => {
    ({ service, baseUrl, restoreEnv } = await startWith({ EVENT_FEED_RETRY_MS: '50' }));
    folder = mkdtempSync(join(tmpdir(), 'feed-consumer-'));
  });
  afterAll(async () => {
    await service.stop();
    restoreEnv();
    rmSync(folder, { recursive: true, force: true });
  });

  it('handles every event after its acknowledged position exactly once, in global order, with no gap', async () => {
    await fundedContract(service);
    await fundedContract(service);
    const positionFile = join(folder, 'position');
    writeFileSync(positionFile, '4\n');
    const handled: number[] = [];
    const disconnects: string[] = [];
    const run = () => {
      const controller = new AbortController();
      const done = consumeEventFeed({
        baseUrl,
        actor: { id: 'notification-service', role: 'auditor' },
        positionFile,
        signal: controller.signal,
        maxRetryMs: 100,
        handle: async (event) => void handled.push(event.position),
        onDisconnect: (reason) => void disconnects.push(reason),
      });
      return { stop: async () => (controller.abort(), await done) };
    };
    /** Waits until the consumer has handled the head, and the head has stayed there (the wallet credits follow payouts). */
    const caughtUp = async () => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const head = await headOf(service);
        if (handled.at(-1) === head) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          if ((await headOf(service)) === head) return;
        }
        if (Date.now() > deadline) throw new Error(`the consumer reached ${handled.at(-1)}, not ${head}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    let consumer = run();
    try {
      await caughtUp();

      // The service restarts under the consumer: its stream ends with a reconnect frame, then connections are refused.
      const port = Number(new URL(baseUrl).port);
      await service.restart();
      const contract = await fundedContract(service);
      await listen(service, port);
      await payOutFirst(service, contract.contractId, contract.milestones[0].milestoneId);
      await caughtUp();
      expect(disconnects.some((reason) => reason.includes('"reason":"shutdown"'))).toBe(true);

      // The consumer restarts from its file, while events keep coming.
      await consumer.stop();
      expect(readFileSync(positionFile, 'utf8').trim()).toBe(String(handled.at(-1)));
      await fundedContract(service);
      consumer = run();
      await caughtUp();
    } finally {
      await consumer.stop();
    }

    const head = await headOf(service);
    expect(handled).toEqual(Array.from({ length: head - 4 }, (_, index) => index + 5));
    expect(readFileSync(positionFile, 'utf8').trim()).toBe(String(head));
  });
});
