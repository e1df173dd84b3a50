import type { Response } from 'supertest';
import { auditor, TestService } from './harness';
import { World } from './access/route-cases';
import { OpenApiResponseValidator, type OpenApiDocument } from './openapi/response-validator';
import { contractBetween, payOut, uniqueId, user, withdraw } from './wallets.fixtures';

interface Page {
  data: Record<string, unknown>[];
  nextCursor: string | null;
}

/**
 * Every list answers one envelope, `{ data, nextCursor }`. Each list is read page by page with a small limit while
 * new items are appended between pages: the pages visit every item once, in the list's order, as one read of the
 * whole list afterwards shows it; every answer matches the OpenAPI document.
 */
describe('lists: one envelope, a cursor on every list', () => {
  let service: TestService;
  let world: World;
  let validator: OpenApiResponseValidator;
  let validated = 0;

  beforeAll(async () => {
    service = await TestService.start();
    world = new World(service);
    validator = new OpenApiResponseValidator((await service.http().get('/openapi.json').expect(200)).body as OpenApiDocument);
  });
  afterAll(async () => {
    process.stdout.write(`lists: ${validated} responses validated against the OpenAPI document\n`);
    await service.stop();
  });

  const checked = (res: Response, path: string): Response => {
    const verdict = validator.check({ method: 'GET', url: path, status: res.status, headers: res.headers, body: res.body });
    expect(verdict).toEqual({ kind: 'validated', operation: expect.any(String) });
    validated++;
    return res;
  };

  const read = async (path: string, status = 200) => checked(await service.get(path).expect(status), path);
  const join = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

  const waitFor = (minPosition: number) => (minPosition > 0 ? `&minPosition=${minPosition}` : '');

  /**
   * Follows the cursors from the first page of `path` with `limit`, calling `append` after each of the first
   * `appends` pages that have a next one; `append` answers the position of what it appended, and the next page
   * waits for the read models to include it. The pages after the first are read from `rest` (`path` by default)
   * with the cursor. Answers the keys visited, in order.
   */
  async function pageThrough(
    path: string,
    limit: number,
    key: (item: Record<string, unknown>) => unknown,
    append: () => Promise<number>,
    options: { appends?: number; rest?: string; minPosition?: number } = {},
  ) {
    const appends = options.appends ?? 2;
    const keys: unknown[] = [];
    let minPosition = options.minPosition ?? 0;
    let cursor: string | null = null;
    let pages = 0;
    do {
      const from = cursor === null ? path : join(options.rest ?? path, `cursor=${cursor}`);
      const page = (await read(join(from, `limit=${limit}${waitFor(minPosition)}`))).body as Page;
      expect(Object.keys(page)).toEqual(expect.arrayContaining(['data', 'nextCursor']));
      expect(page.data.length).toBeLessThanOrEqual(limit);
      keys.push(...page.data.map(key));
      cursor = page.nextCursor;
      if (cursor !== null) {
        expect(page.data).toHaveLength(limit);
        if (pages < appends) minPosition = Math.max(minPosition, await append());
      }
      pages++;
    } while (cursor !== null);
    return { keys, pages, minPosition };
  }

  /** The whole list in one page, once the read models include `minPosition`. */
  const whole = async (path: string, max: number, key: (item: Record<string, unknown>) => unknown, minPosition = 0) => {
    const page = (await read(join(path, `limit=${max}${waitFor(minPosition)}`))).body as Page;
    expect(page.nextCursor).toBeNull();
    return page.data.map(key);
  };

  const offer = async (clientId: string, workerId: string) =>
    (
      await service
        .post('/v1/contracts', user(clientId), {
          clientId,
          workerId,
          title: 'Listed',
          milestones: [{ title: 'All', amount: 5_000, dueDate: '2026-12-31' }],
        })
        .expect(201)
    ).body as { contractId: string; position: number };

  it("pages through a client's and a worker's contracts while new offers arrive, each once and oldest first", async () => {
    const [clientId, workerId] = [uniqueId('client'), uniqueId('worker')];
    const first = [];
    let offeredAt = 0;
    for (let i = 0; i < 5; i++) {
      const offered = await offer(clientId, workerId);
      first.push(offered.contractId);
      offeredAt = offered.position;
    }
    const appended: string[] = [];
    const append = async () => {
      const offered = await offer(clientId, workerId);
      appended.push(offered.contractId);
      return offered.position;
    };
    for (const path of [`/v1/clients/${clientId}/contracts`, `/v1/workers/${workerId}/contracts`]) {
      const { keys, pages, minPosition } = await pageThrough(path, 2, (item) => item.contractId, append, { minPosition: offeredAt });
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toEqual(await whole(path, 500, (item) => item.contractId, minPosition));
      expect(keys.slice(0, 5)).toEqual(first);
    }
    expect(appended.length).toBeGreaterThanOrEqual(4);
    // The status filter still applies, page after page.
    const offered = await pageThrough(
      `/v1/clients/${clientId}/contracts?status=offered`,
      3,
      (item) => item.status,
      async () => 0,
    );
    expect(new Set(offered.keys)).toEqual(new Set(['offered']));
    expect((await read(`/v1/clients/${clientId}/contracts?status=active`)).body).toEqual({ data: [], nextCursor: null, clientId });
  });

  it('pages through the audit feed in global order while events are appended, from a given position', async () => {
    const start = ((await read('/v1/audit/events?limit=1')).body as { headPosition: number }).headPosition;
    await offer(uniqueId('client'), uniqueId('worker'));
    const { keys, pages } = await pageThrough(
      `/v1/audit/events?after=${start}`,
      2,
      (item) => item.position,
      async () => {
        // The feed reads the log itself: what is appended is there at once, with no minPosition to wait for.
        await offer(uniqueId('client'), uniqueId('worker'));
        return 0;
      },
      { rest: '/v1/audit/events' },
    );
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(keys).toEqual(await whole(`/v1/audit/events?after=${start}`, 1000, (item) => item.position));
    expect(keys).toEqual([...(keys as number[])].sort((a, b) => a - b));
    expect(keys[0]).toBe(start + 1);
  });

  it('pages through the review queue, oldest request first, while new withdrawals are flagged', async () => {
    const flagged = async () => {
      const { accountId, bankAccountId } = await world.accountWithBalance(false);
      const res = await withdraw(service, accountId, bankAccountId, 5_000).expect(201);
      expect(res.body.status).toBe('in_review');
      return res.body as { withdrawalId: string; position: number };
    };
    await flagged();
    const lastFlagged = await flagged();
    const { keys, minPosition } = await pageThrough(
      '/v1/withdrawals/review-queue',
      1,
      (item) => item.withdrawalId,
      async () => (await flagged()).position,
      { minPosition: lastFlagged.position },
    );
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys).toEqual(await whole('/v1/withdrawals/review-queue', 500, (item) => item.withdrawalId, minPosition));
    const queue = ((await read('/v1/withdrawals/review-queue?limit=500')).body as Page).data.map(
      (item) => item.requestedPosition as number,
    );
    expect(queue).toEqual([...queue].sort((a, b) => a - b));
  });

  it('pages through the postings of a ledger account while more are posted, with the opening balance of each page', async () => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [1_000, 2_000, 3_000, 4_000, 5_000, 6_000], {
      fund: false,
    });
    let funded = 0;
    const fund = async () => {
      const i = funded++;
      const res = await service
        .post(`/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[i]}/prepay`, contract.client, {
          paymentReference: uniqueId('pay'),
          method: 'card',
        })
        .expect(200);
      return res.body.position as number;
    };
    await fund();
    const funds = await fund();
    const path = `/v1/ledger/accounts/escrow:${contract.contractId}`;
    const balances: number[] = [];
    const { keys, minPosition } = await pageThrough(
      path,
      1,
      (item) => {
        balances.push(item.balance as number);
        return item.position;
      },
      fund,
      { minPosition: funds },
    );
    expect(keys.length).toBe(funded);
    expect(keys).toEqual(await whole(path, 1000, (item) => item.position, minPosition));
    expect(balances).toEqual(
      contract.grosses.slice(0, funded).map((_, i) => contract.grosses.slice(0, i + 1).reduce((sum, gross) => sum + gross, 0)),
    );
    const second = (await read(`${path}?limit=1&minPosition=${minPosition}`)).body as Page & { openingBalance: number };
    const next = (await read(`${path}?limit=1&cursor=${second.nextCursor}`)).body as Page & { openingBalance: number };
    expect(next.openingBalance).toBe(contract.grosses[0]);
  });

  it("pages through a contract's payouts while more are paid out, with the totals of every payout on each page", async () => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000, 20_000, 30_000, 40_000]);
    let paid = 0;
    const pay = async () => (await payOut(service, contract, paid++)).position;
    await pay();
    const lastPaid = await pay();
    const path = `/v1/contracts/${contract.contractId}/fees`;
    const { keys, minPosition } = await pageThrough(path, 1, (item) => item.milestoneId, pay, { minPosition: lastPaid });
    expect(keys).toEqual(contract.milestoneIds.slice(0, paid));
    expect(keys).toEqual(await whole(path, 500, (item) => item.milestoneId, minPosition));
    const first = (await read(`${path}?limit=1`)).body as Page & { totals: { payouts: number } };
    expect(first.totals.payouts).toBe(paid);
  });

  it('pages through parked events while more are parked', async () => {
    await world.parkedEvent();
    await world.parkedEvent();
    const { keys } = await pageThrough(
      '/v1/processors/parked?status=all',
      1,
      (item) => item.parkedId,
      async () => {
        await world.parkedEvent();
        return 0;
      },
    );
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(keys).toEqual(await whole('/v1/processors/parked?status=all', 500, (item) => item.parkedId));
  });

  it('lists fee revenue periods in pages, and the projections as one page', async () => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    const { position } = await payOut(service, contract, 0);
    for (const by of ['day', 'month']) {
      const page = (await read(`/v1/fees/revenue?by=${by}&limit=1&minPosition=${position}`)).body as Page & { totals: { fee: number } };
      expect(page.data).toHaveLength(1);
      expect(page.nextCursor).toBeNull();
      expect(page.totals.fee).toBe(page.data[0].fee);
    }
    const projections = (await read('/v1/projections')).body as Page;
    expect(projections.nextCursor).toBeNull();
    expect(projections.data.map((status) => status.name)).toEqual(expect.arrayContaining(['ledger', 'fees', 'contract-summaries']));
  });

  describe('refuses', () => {
    const LISTS: [string, number][] = [
      ['/v1/clients/c-1/contracts', 500],
      ['/v1/workers/w-1/contracts', 500],
      ['/v1/withdrawals/review-queue', 500],
      ['/v1/audit/events', 1000],
      ['/v1/processors/parked', 500],
      ['/v1/ledger/accounts/fee-revenue', 1000],
      ['/v1/fees/revenue', 1000],
    ];
    const fieldsAndRules = (res: Response) =>
      (res.body.errors as { field: string; rule: string }[]).map((error) => `${error.field}:${error.rule}`);

    it.each(LISTS)(
      '%s: a limit above its maximum of %i, or below 1, or not a number, as a 400 naming limit and the rule',
      async (path, max) => {
        const tooMany = await read(join(path, `limit=${max + 1}`), 400);
        expect(tooMany.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(tooMany.body.code).toBe('VALIDATION_FAILED');
        expect(fieldsAndRules(tooMany)).toEqual(['limit:max']);
        expect(tooMany.body.errors[0].message).toContain(String(max));
        expect(fieldsAndRules(await read(join(path, 'limit=0'), 400))).toEqual(['limit:min']);
        expect(fieldsAndRules(await read(join(path, 'limit=ten'), 400))).toEqual(['limit:isInt']);
        await read(join(path, `limit=${max}`));
      },
    );

    it.each(LISTS)('%s: a malformed, altered or foreign cursor, as a 400 naming cursor', async (path) => {
      const foreign = Buffer.from('elsewhere:1~00000000').toString('base64url');
      const injected = Buffer.from('1 OR 1=1; DROP TABLE ledger_postings').toString('base64url');
      for (const cursor of ['not a cursor', '%00', 'eA', foreign, injected, 'A'.repeat(200)]) {
        const res = await read(join(path, `cursor=${encodeURIComponent(cursor)}`), 400);
        expect(fieldsAndRules(res)).toEqual(['cursor:cursor']);
      }
    });

    it('a cursor of one list on another, an altered one, and a cursor of days for months', async () => {
      const head = ((await read('/v1/audit/events?limit=1')).body as Page).nextCursor!;
      expect(head).not.toBeNull();
      expect(fieldsAndRules(await read(`/v1/processors/parked?cursor=${head}`, 400))).toEqual(['cursor:cursor']);
      expect(fieldsAndRules(await read(`/v1/ledger/accounts/fee-revenue?cursor=${head}`, 400))).toEqual(['cursor:cursor']);
      const altered = head.replace(/^./, (first) => (first === 'Y' ? 'Z' : 'Y'));
      expect(fieldsAndRules(await read(`/v1/audit/events?cursor=${altered}`, 400))).toEqual(['cursor:cursor']);
      expect(fieldsAndRules(await read(`/v1/audit/events?cursor=${head}&after=3`, 400))).toEqual(['after:notWithCursor']);
      await read(`/v1/audit/events?cursor=${head}`);

      const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000, 10_000]);
      await payOut(service, contract, 0);
      const { position } = await payOut(service, contract, 1);
      const payouts = (await read(`/v1/contracts/${contract.contractId}/fees?limit=1&minPosition=${position}`)).body as Page;
      expect(payouts.nextCursor).not.toBeNull();
      expect(fieldsAndRules(await read(`/v1/fees/revenue?by=day&cursor=${payouts.nextCursor}`, 400))).toEqual(['cursor:cursor']);
      const dayCursor = Buffer.from(`revenue-day:2026-01-01~${'0'.repeat(8)}`).toString('base64url');
      expect(fieldsAndRules(await read(`/v1/fees/revenue?by=month&cursor=${dayCursor}`, 400))).toEqual(['cursor:cursor']);
    });

    it('the user role stays refused on staff lists with or without paging parameters', async () => {
      const res = await service.get('/v1/audit/events?limit=1', { id: 'client-9', role: 'user' }).expect(403);
      expect(res.body.code).toBe('STAFF_ONLY');
      await service.get('/v1/projections', auditor).expect(200);
    });
  });
});
