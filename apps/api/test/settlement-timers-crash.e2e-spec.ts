import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildService } from './scenario/child-service';
import { readWholeLog, settledHead } from './scenario/event-log';
import { expectStatus, HttpClient, ScenarioActor } from './scenario/http-client';

/**
 * The real service in a child process with settlements due: milestones inspected under the manual policy, then
 * the service started with the immediate policy and killed with SIGKILL while it pays them out, and started again.
 * Every due payout must be made exactly once, and credited to the worker exactly once; then, 181 days on (CLOCK_OFFSET),
 * killed again while it expires the balances that fell due, every balance is expired exactly once.
 */
const CONTRACTS = 24;
const DELIVERABLE = { uri: 'https://files.example.com/timers/work.zip' };
const IMMEDIATE = { SETTLEMENT_POLICY: 'immediate', SCHEDULER_POLL_MS: '50' };

interface Inspected {
  contractId: string;
  milestoneId: string;
}

async function inspectedMilestone(http: HttpClient, index: number): Promise<Inspected> {
  const client: ScenarioActor = { id: `timer-client-${index}`, role: 'user' };
  const worker: ScenarioActor = { id: `timer-worker-${index}`, role: 'user' };
  const offered = await expectStatus<{ contractId: string; milestones: { milestoneId: string }[] }>(
    http.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Timers', milestones: [{ title: 'Part', amount: 10_000, dueDate: '2027-12-31' }] }),
    201,
    'offer',
  );
  const contractId = offered.contractId;
  const milestoneId = offered.milestones[0].milestoneId;
  const milestone = `/v1/contracts/${contractId}/milestones/${milestoneId}`;
  await expectStatus(http.post(`/v1/contracts/${contractId}/accept`, worker), 200, 'accept');
  await expectStatus(http.post(`${milestone}/prepay`, client, { paymentReference: `timer-pay-${index}`, method: 'card' }), 200, 'prepay');
  await expectStatus(http.post(`${milestone}/deliver`, worker, { deliverables: [DELIVERABLE] }), 200, 'deliver');
  await expectStatus(http.post(`${milestone}/inspect`, client), 200, 'inspect');
  return { contractId, milestoneId };
}

const payoutsIn = async (http: HttpClient) => (await readWholeLog(http)).filter((event) => event.type === 'MilestonePaidOut');

describe('killing the service while settlements are due', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'escrow-timers-crash-'));
  let service: ChildService | undefined;
  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes every due payout exactly once across a SIGKILL and a restart', async () => {
    service = await ChildService.start(dataDir);
    const inspected: Inspected[] = [];
    for (let index = 0; index < CONTRACTS; index++) inspected.push(await inspectedMilestone(service.http, index));
    expect(await payoutsIn(service.http)).toEqual([]);
    service.kill();
    await service.exited;

    // Started with the immediate policy, it starts paying at once; it is killed as soon as the first payout is in.
    service = await ChildService.start(dataDir, { env: IMMEDIATE });
    const started = performance.now();
    let paidBeforeKill = 0;
    while (paidBeforeKill === 0 && performance.now() - started < 20_000) paidBeforeKill = (await payoutsIn(service.http)).length;
    service.kill();
    await service.exited;
    expect(paidBeforeKill).toBeGreaterThan(0);

    service = await ChildService.start(dataDir, { env: IMMEDIATE });
    const http = service.http;
    const deadline = performance.now() + 30_000;
    while ((await payoutsIn(http)).length < CONTRACTS && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const head = await settledHead(http);

    const events = await readWholeLog(http);
    const payouts = events.filter((event) => event.type === 'MilestonePaidOut');
    const paidKeys = payouts.map((event) => `${event.data.contractId}/${event.data.milestoneId}`).sort();
    expect(paidKeys).toEqual(inspected.map(({ contractId, milestoneId }) => `${contractId}/${milestoneId}`).sort());
    expect(payouts.every((event) => event.metadata.actor.id === 'settlement' && event.metadata.actor.role === 'system')).toBe(true);
    const credits = events.filter((event) => event.type === 'WalletCredited');
    expect(credits).toHaveLength(CONTRACTS);
    expect(new Set(credits.map((event) => (event.data.source as { id: string }).id)).size).toBe(CONTRACTS);

    const trial = await expectStatus<{ balanced: boolean; position: number }>(http.get(`/v1/ledger/trial-balance?minPosition=${head}`), 200, 'trial balance');
    expect(trial).toMatchObject({ balanced: true, position: head });
  }, 180_000);

  it('expires every balance that fell due exactly once across a SIGKILL and a restart', async () => {
    service?.kill();
    await service?.exited;
    // 181 days on, every worker's credit is past its expiry: the start catches up on them all.
    const expiring = { ...IMMEDIATE, BALANCE_EXPIRY_POLICY: 'when_due', CLOCK_OFFSET: 'P181D' };
    service = await ChildService.start(dataDir, { env: expiring });
    const expiredIn = async (http: HttpClient) => (await readWholeLog(http)).filter((event) => event.type === 'BalanceExpired');
    const started = performance.now();
    let expiredBeforeKill = 0;
    while (expiredBeforeKill === 0 && performance.now() - started < 20_000) expiredBeforeKill = (await expiredIn(service.http)).length;
    service.kill();
    await service.exited;
    expect(expiredBeforeKill).toBeGreaterThan(0);

    service = await ChildService.start(dataDir, { env: expiring });
    const http = service.http;
    const deadline = performance.now() + 30_000;
    while ((await expiredIn(http)).length < CONTRACTS && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const head = await settledHead(http);

    const events = await readWholeLog(http);
    const expired = events.filter((event) => event.type === 'BalanceExpired');
    expect(expired.map((event) => event.streamId).sort()).toEqual(Array.from({ length: CONTRACTS }, (_, index) => `wallet-timer-worker-${index}`).sort());
    expect(expired.every((event) => event.metadata.actor.id === 'balance-expiry')).toBe(true);
    // Past the expiry, the notices have nothing left to tell.
    expect(events.filter((event) => event.type === 'BalanceExpiryNoticed')).toEqual([]);
    const trial = await expectStatus<{ balanced: boolean; position: number; accounts: { account: string; balance: number }[] }>(
      http.get(`/v1/ledger/trial-balance?minPosition=${head}`),
      200,
      'trial balance',
    );
    expect(trial).toMatchObject({ balanced: true, position: head });
    const workerBalances = trial.accounts.filter((account) => account.account.startsWith('wallet:timer-worker-'));
    expect(workerBalances).toHaveLength(CONTRACTS);
    expect(workerBalances.every((account) => account.balance === 0)).toBe(true);
  }, 180_000);
});
