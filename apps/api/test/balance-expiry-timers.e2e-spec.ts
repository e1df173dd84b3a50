import { TestService } from './harness';
import { contractBetween, payOut, uniqueId, walletOf } from './wallets.fixtures';

const DAY_MS = 86_400_000;

interface FeedEvent {
  position: number;
  streamId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: { id: string; role: string }; idempotencyKey?: string };
}

/**
 * Balances expire 180 days after they were credited, by the service itself (BALANCE_EXPIRY_POLICY=when_due), with
 * notices 30 and 7 days before, as the clock the test moves reaches each day.
 */
describe('balance expiry when due, with its notices', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ env: { BALANCE_EXPIRY_POLICY: 'when_due' }, clock: '2027-01-04T00:00:00.000Z' });
  });
  afterAll(() => service.stop());

  const walletEvents = async (accountId: string, after: number): Promise<FeedEvent[]> =>
    ((await service.get(`/v1/audit/events?after=${after}&limit=1000`).expect(200)).body.data as FeedEvent[]).filter((event) => event.streamId === `wallet-${accountId}`);

  /** Polls the wallet's events until one of `type` beyond the `count` already seen is in (or the time is up). */
  async function eventsReaching(accountId: string, after: number, type: string, count: number): Promise<FeedEvent[]> {
    const started = performance.now();
    for (;;) {
      const events = (await walletEvents(accountId, after)).filter((event) => event.type === type);
      if (events.length >= count || performance.now() - started > 5_000) return events;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('tells the owner at +150 and +173 days, expires the balance at +180, each once, and the books balance', async () => {
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000]);
    const { net, position: paidAt } = await payOut(service, contract);
    const credited = await walletOf(service, workerId, paidAt);
    expect(credited).toMatchObject({ available: net });
    const expiresAt = credited.nextExpiresAt!;
    // What the wallet records after its credit.
    const position = (await walletEvents(workerId, paidAt)).find((event) => event.type === 'WalletCredited')!.position;
    const expiry = Date.parse(expiresAt);

    service.clock.set(new Date(expiry - 30 * DAY_MS - 60_000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await walletEvents(workerId, position)).toEqual([]);

    service.clock.set(new Date(expiry - 30 * DAY_MS)); // +150 days
    const thirty = await eventsReaching(workerId, position, 'BalanceExpiryNoticed', 1);
    expect(thirty.map((event) => event.data)).toEqual([
      { accountId: workerId, expiresAt, daysBefore: 30, amount: net, lots: [expect.objectContaining({ amount: net })], noticedAt: expect.any(String) },
    ]);
    expect(thirty[0].metadata).toMatchObject({ actor: { id: 'balance-expiry', role: 'system' }, idempotencyKey: `expiry-notice-30d:${workerId}:${expiresAt}` });

    service.clock.set(new Date(expiry - 7 * DAY_MS)); // +173 days
    const seven = await eventsReaching(workerId, position, 'BalanceExpiryNoticed', 2);
    expect(seven.map((event) => event.data.daysBefore)).toEqual([30, 7]);
    const noticed = await walletOf(service, workerId, seven[1].position);
    expect(noticed.available).toBe(net);
    expect(noticed.expiries).toEqual([{ expiresAt, amount: net, expiringSoon: true, noticesGiven: [30, 7] }]);

    service.clock.set(new Date(expiry)); // +180 days
    const expired = await eventsReaching(workerId, position, 'BalanceExpired', 1);
    expect(expired.map((event) => event.data)).toEqual([expect.objectContaining({ accountId: workerId, amount: net, asOf: expiresAt, availableAfter: 0 })]);
    expect(await walletOf(service, workerId, expired[0].position)).toMatchObject({ available: 0, expired: net, nextExpiresAt: null });

    await new Promise((resolve) => setTimeout(resolve, 200));
    const all = await walletEvents(workerId, position);
    expect(all.map((event) => event.type)).toEqual(['BalanceExpiryNoticed', 'BalanceExpiryNoticed', 'BalanceExpired']);
    const trial = (await service.get(`/v1/ledger/trial-balance?minPosition=${expired[0].position}`).expect(200)).body;
    expect(trial).toMatchObject({ balanced: true });
  });

  it('answers the manual expiry run after it as today: nothing more to expire', async () => {
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000]);
    const { net, position } = await payOut(service, contract);
    const expiresAt = (await walletOf(service, workerId, position)).nextExpiresAt!;
    service.clock.set(expiresAt);
    const expired = await eventsReaching(workerId, position, 'BalanceExpired', 1);
    expect(expired).toHaveLength(1);

    const manual = await service.post(`/v1/accounts/${workerId}/wallet/expire`, { id: 'expiry-job', role: 'system' }, {}).expect(200);
    expect(manual.body).toMatchObject({ expiredNow: 0, available: 0 });
    expect((await walletOf(service, workerId, manual.body.position)).expired).toBe(net);
  });
});
