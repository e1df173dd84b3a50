import { TestService } from './harness';
import { contractBetween, payOut, uniqueId, walletOf } from './wallets.fixtures';

const DAY_MS = 86_400_000;
const expiryJob = { id: 'expiry-job', role: 'system' } as const;

/**
 * The harness's clock is the service's: moving it moves every command time, recordedAt and "now" of a read,
 * so a rule that waits months is shown in a few requests, with no patched `Date`.
 */
describe('the service on a clock the test moves', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ clock: '2026-12-01T00:00:00.000Z' });
  });
  afterAll(() => service.stop());

  it('stamps commands and their events with the moved clock', async () => {
    service.clock.set('2027-03-01T09:00:00.000Z');
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000], { accept: false });
    const events = (await service.get(`/v1/contracts/${contract.contractId}/history`).expect(200)).body.events as {
      occurredAt: string;
      recordedAt: string;
    }[];
    expect(events).toHaveLength(1);
    for (const at of [events[0].occurredAt, events[0].recordedAt]) {
      expect(Date.parse(at) - Date.parse('2027-03-01T09:00:00.000Z')).toBeGreaterThanOrEqual(0);
      expect(Date.parse(at) - Date.parse('2027-03-01T09:00:00.000Z')).toBeLessThan(60_000);
    }
  });

  it('shows a balance as expiring in its last 30 days and expires it on the day, as the clock reaches them', async () => {
    service.clock.set('2027-04-01T00:00:00.000Z');
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [45_455]);
    const { net, position } = await payOut(service, contract);
    const credited = await walletOf(service, workerId, position);
    expect(credited).toMatchObject({ available: net, expiringWithin30Days: 0 });
    const expiresAt = Date.parse(credited.nextExpiresAt!);
    expect(expiresAt - Date.parse('2027-04-01T00:00:00.000Z')).toBeGreaterThanOrEqual(180 * DAY_MS);
    expect(expiresAt - Date.parse('2027-04-01T00:00:00.000Z')).toBeLessThan(181 * DAY_MS);

    service.clock.set(new Date(expiresAt - 31 * DAY_MS));
    expect((await walletOf(service, workerId)).expiringWithin30Days).toBe(0);
    service.clock.advance('P2D');
    expect((await walletOf(service, workerId)).expiringWithin30Days).toBe(net);

    // The platform's expiry run with no asOf expires what is due by the service's clock: nothing a minute early.
    service.clock.set(new Date(expiresAt - 60_000));
    const early = await service.post(`/v1/accounts/${workerId}/wallet/expire`, expiryJob, {}).expect(200);
    expect(early.body).toMatchObject({ expiredNow: 0, available: net });
    service.clock.set(new Date(expiresAt));
    const due = await service.post(`/v1/accounts/${workerId}/wallet/expire`, expiryJob, {}).expect(200);
    expect(due.body).toMatchObject({ expiredNow: net, available: 0 });
    expect(await walletOf(service, workerId, due.body.position)).toMatchObject({ available: 0, expired: net, nextExpiresAt: null });
  });

  it('keeps the moved clock across a restart', async () => {
    service.clock.set('2028-01-01T00:00:00.000Z');
    await service.restart();
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000], { accept: false });
    const events = (await service.get(`/v1/contracts/${contract.contractId}/history`).expect(200)).body.events as { recordedAt: string }[];
    expect(events[0].recordedAt.startsWith('2028-01-01T00:')).toBe(true);
  });
});
