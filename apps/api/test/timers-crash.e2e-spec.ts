import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildService } from './scenario/child-service';
import { LoggedEvent, readWholeLog, settledHead } from './scenario/event-log';
import { expectStatus, HttpClient, ScenarioActor } from './scenario/http-client';

/**
 * The real service in a child process with timers of every other kind due — withdrawal cut-offs, unanswered
 * terminations, silent deliveries — killed with SIGKILL while it works through them, and started again. The events
 * that make the timers are recorded on the system's clock; the service is then started with a CLOCK_OFFSET that puts
 * its clock just past the latest of them (the offset is fixed at start, so it is computed from the real time then).
 * Each due action must be made exactly once, and the money it moves booked exactly once.
 */
const SUPPORT: ScenarioActor = { id: 'support-timers-crash', role: 'support' };
const IDENTITY_SERVICE: ScenarioActor = { id: 'identity-service', role: 'system' };
const DELIVERABLE = { uri: 'https://files.example.com/timers/work.zip' };
const FAST_SCHEDULER = { SCHEDULER_POLL_MS: '50' };
/** How far past the latest timer's run time the restarted clock reads. */
const MARGIN_MS = 60_000;

const user = (id: string): ScenarioActor => ({ id, role: 'user' });

interface ScheduledTimer {
  timerId: string;
  subject: Record<string, string>;
  dueAt: string;
  runsAt: string | null;
}

interface Offered {
  contractId: string;
  milestoneIds: string[];
  grosses: number[];
}

async function fundedContract(http: HttpClient, clientId: string, workerId: string, amounts: number[]): Promise<Offered> {
  const offered = await expectStatus<{ contractId: string; milestones: { milestoneId: string }[] }>(
    http.post('/v1/contracts', user(clientId), {
      clientId,
      workerId,
      title: 'Timers',
      milestones: amounts.map((amount, index) => ({ title: `Part ${index + 1}`, amount, dueDate: '2027-12-31' })),
    }),
    201,
    'offer',
  );
  const { contractId } = offered;
  const milestoneIds = offered.milestones.map((milestone) => milestone.milestoneId);
  const accepted = await expectStatus<{ milestones: { gross: number }[] }>(http.post(`/v1/contracts/${contractId}/accept`, user(workerId)), 200, 'accept');
  for (const milestoneId of milestoneIds) {
    const paymentReference = `crash-pay-${contractId}-${milestoneId}`;
    await expectStatus(http.post(`/v1/contracts/${contractId}/milestones/${milestoneId}/prepay`, user(clientId), { paymentReference, method: 'card' }), 200, 'prepay');
  }
  return { contractId, milestoneIds, grosses: accepted.milestones.map((milestone) => milestone.gross) };
}

/** The pending timers of a kind, as support lists them. */
async function timersOf(http: HttpClient, kind: string): Promise<ScheduledTimer[]> {
  return (await expectStatus<{ data: ScheduledTimer[] }>(http.get(`/v1/schedule?kind=${kind}&limit=500`, SUPPORT), 200, `schedule of ${kind}`)).data;
}

/** The CLOCK_OFFSET that puts a service started now just past the latest of these instants. */
function offsetPast(instants: string[]): string {
  const latest = Math.max(...instants.map((instant) => Date.parse(instant)));
  return `PT${Math.ceil((latest + MARGIN_MS - Date.now()) / 1000)}S`;
}

const ofType = (events: LoggedEvent[], type: string) => events.filter((event) => event.type === type);
const field = (event: LoggedEvent, name: string) => (event.data as unknown as Record<string, unknown>)[name];

/** One data folder, and the service running on it (at most one at a time). */
class CrashedService {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'escrow-timers-crash-'));
  service: ChildService | undefined;

  async start(env: NodeJS.ProcessEnv): Promise<HttpClient> {
    await this.service?.stop();
    this.service = await ChildService.start(this.dataDir, { env });
    return this.service.http;
  }

  /**
   * Starts the service and kills it with SIGKILL as soon as the log holds an event of one of `types`; answers how
   * many of them it held then (the kill follows at once, so a few more may have been made before it landed).
   */
  async killOnceLogHolds(types: string[], env: NodeJS.ProcessEnv): Promise<number> {
    const http = await this.start(env);
    const started = performance.now();
    let held = 0;
    while (held === 0 && performance.now() - started < 20_000) held = (await readWholeLog(http)).filter((event) => types.includes(event.type)).length;
    this.service!.kill();
    await this.service!.exited;
    return held;
  }

  /** Starts the service again and waits until the log holds `count` events of `type` and the read models have caught up. */
  async restartUntilLogHolds(type: string, count: number, env: NodeJS.ProcessEnv): Promise<{ http: HttpClient; head: number; events: LoggedEvent[] }> {
    const http = await this.start(env);
    const deadline = performance.now() + 30_000;
    while (ofType(await readWholeLog(http), type).length < count && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const head = await settledHead(http);
    return { http, head, events: await readWholeLog(http) };
  }

  async dispose(): Promise<void> {
    await this.service?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

async function expectBalancedBooks(http: HttpClient, head: number): Promise<void> {
  const trial = await expectStatus<{ balanced: boolean; position: number }>(http.get(`/v1/ledger/trial-balance?minPosition=${head}`), 200, 'trial balance');
  expect(trial).toMatchObject({ balanced: true, position: head });
  expect(await expectStatus(http.get(`/v1/ledger/checks?minPosition=${head}`), 200, 'ledger checks')).toMatchObject({ passed: true });
}

describe('killing the service while withdrawal cut-offs are due', () => {
  const ACCOUNTS = 24;
  const crashed = new CrashedService();
  afterAll(() => crashed.dispose());

  it('requests every automatic withdrawal exactly once across a SIGKILL and a restart, and debits each wallet once', async () => {
    // Set up with the automatic withdrawals off, so that none is made should the setup straddle a cut-off.
    let http = await crashed.start({ ...FAST_SCHEDULER, AUTOMATIC_WITHDRAWALS: 'off' });
    // Each account holds a refund of ¥11,000, in the default mode (on_cutoff), verified, with a bank account.
    const accountIds: string[] = [];
    for (let index = 0; index < ACCOUNTS; index++) {
      const accountId = `cutoff-client-${index}`;
      const contract = await fundedContract(http, accountId, `cutoff-worker-${index}`, [10_000]);
      await expectStatus(http.post(`/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[0]}/refund`, SUPPORT, { reason: 'Agreed with both parties' }), 200, 'refund');
      await expectStatus(http.post(`/v1/accounts/${accountId}/identity-verification`, IDENTITY_SERVICE, { status: 'approved' }), 200, 'identity');
      const bank = { bankCode: '0036', branchCode: '251', accountNumber: String(1_000_000 + index), holderName: 'ヤマダ タロウ' };
      await expectStatus(http.post(`/v1/accounts/${accountId}/bank-accounts`, user(accountId), bank), 201, 'bank account');
      accountIds.push(accountId);
    }
    await settledHead(http);
    // The cut-off each account waits for (the setup may straddle one, so each is read, not assumed).
    const timers = await timersOf(http, 'withdrawal_cutoff');
    const cutoffOf = new Map(timers.map((timer) => [timer.subject.accountId, timer.subject.cutoff]));
    expect([...cutoffOf.keys()].sort()).toEqual([...accountIds].sort());
    expect(ofType(await readWholeLog(http), 'WithdrawalRequested')).toEqual([]);

    const pastCutoff = { ...FAST_SCHEDULER, AUTOMATIC_WITHDRAWALS: 'on', CLOCK_OFFSET: offsetPast(timers.map((timer) => timer.dueAt)) };
    const heldAtKill = await crashed.killOnceLogHolds(['WithdrawalRequested'], pastCutoff);
    expect(heldAtKill).toBeGreaterThan(0);
    expect(heldAtKill).toBeLessThan(ACCOUNTS);

    const restarted = await crashed.restartUntilLogHolds('WithdrawalRequested', ACCOUNTS, pastCutoff);
    const { head, events } = restarted;
    http = restarted.http;
    const requested = ofType(events, 'WithdrawalRequested');
    expect(requested.map((event) => event.data.withdrawalId).sort()).toEqual(accountIds.map((accountId) => `automatic-${cutoffOf.get(accountId)}-${accountId}`).sort());
    expect(requested.every((event) => event.metadata.actor.id === 'automatic-withdrawal' && event.metadata.actor.role === 'system')).toBe(true);
    expect(requested.every((event) => event.data.amount === 11_000)).toBe(true);
    for (const accountId of accountIds) {
      const wallet = await expectStatus(http.get(`/v1/accounts/${accountId}/wallet?minPosition=${head}`), 200, 'wallet');
      expect(wallet).toMatchObject({ accountId, available: 0, pending: 11_000, totalCredited: 11_000 });
    }
    await expectBalancedBooks(http, head);
  }, 180_000);
});

describe('killing the service while unanswered terminations are due', () => {
  const CONTRACTS = 12;
  const crashed = new CrashedService();
  afterAll(() => crashed.dispose());

  it('completes every unanswered request exactly once across a SIGKILL and a restart, and refunds each escrow once', async () => {
    const answerPeriod = { ...FAST_SCHEDULER, TERMINATION_AUTO_COMPLETE_AFTER: 'P7D', AUTOMATIC_WITHDRAWALS: 'off' };
    let http = await crashed.start(answerPeriod);
    const contracts: (Offered & { clientId: string })[] = [];
    for (let index = 0; index < CONTRACTS; index++) {
      const clientId = `termination-client-${index}`;
      const contract = await fundedContract(http, clientId, `termination-worker-${index}`, [10_000, 20_000]);
      await expectStatus(http.post(`/v1/contracts/${contract.contractId}/termination`, user(clientId), { reason: 'Budget cut' }), 200, 'termination request');
      contracts.push({ ...contract, clientId });
    }
    await settledHead(http);
    const timers = await timersOf(http, 'termination');
    expect(timers.map((timer) => timer.subject.contractId).sort()).toEqual(contracts.map((contract) => contract.contractId).sort());
    expect(ofType(await readWholeLog(http), 'ContractTerminated')).toEqual([]);

    const pastAnswerPeriod = { ...answerPeriod, CLOCK_OFFSET: offsetPast(timers.map((timer) => timer.runsAt!)) };
    const heldAtKill = await crashed.killOnceLogHolds(['ContractTerminated'], pastAnswerPeriod);
    expect(heldAtKill).toBeGreaterThan(0);
    expect(heldAtKill).toBeLessThan(CONTRACTS);

    const restarted = await crashed.restartUntilLogHolds('ContractTerminated', CONTRACTS, pastAnswerPeriod);
    const { head, events } = restarted;
    http = restarted.http;
    const terminated = ofType(events, 'ContractTerminated');
    expect(terminated.map((event) => event.data.contractId).sort()).toEqual(contracts.map((contract) => contract.contractId).sort());
    expect(terminated.every((event) => field(event, 'terminatedBy') === 'unanswered' && event.metadata.actor.id === 'termination')).toBe(true);
    const refunds = ofType(events, 'EscrowRefunded');
    const escrows = contracts.flatMap((contract) => contract.milestoneIds.map((milestoneId) => `${contract.contractId}/${milestoneId}`));
    expect(refunds.map((event) => `${event.data.contractId}/${event.data.milestoneId}`).sort()).toEqual(escrows.sort());
    expect(refunds.every((event) => event.data.cause === 'termination')).toBe(true);
    const credits = ofType(events, 'WalletCredited');
    expect(credits).toHaveLength(escrows.length);
    expect(new Set(credits.map((event) => event.data.source.id)).size).toBe(escrows.length);
    expect(ofType(events, 'MilestonePaidOut')).toEqual([]);
    for (const { clientId, grosses } of contracts) {
      const wallet = await expectStatus(http.get(`/v1/accounts/${clientId}/wallet?minPosition=${head}`), 200, 'wallet');
      expect(wallet).toMatchObject({ available: grosses[0] + grosses[1], totalCredited: grosses[0] + grosses[1] });
    }
    await expectBalancedBooks(http, head);
  }, 180_000);
});

describe('killing the service while silent deliveries are due for automatic inspection', () => {
  const MILESTONES = 24;
  const crashed = new CrashedService();
  afterAll(() => crashed.dispose());

  it('inspects and pays out every silent delivery exactly once across a SIGKILL and a restart', async () => {
    const autoInspection = { ...FAST_SCHEDULER, AUTO_INSPECTION_AFTER: 'P14D', SETTLEMENT_POLICY: 'immediate', AUTOMATIC_WITHDRAWALS: 'off' };
    let http = await crashed.start(autoInspection);
    const delivered: { contractId: string; milestoneId: string; workerId: string }[] = [];
    for (let index = 0; index < MILESTONES; index++) {
      const workerId = `inspection-worker-${index}`;
      const contract = await fundedContract(http, `inspection-client-${index}`, workerId, [10_000]);
      const milestoneId = contract.milestoneIds[0];
      await expectStatus(http.post(`/v1/contracts/${contract.contractId}/milestones/${milestoneId}/deliver`, user(workerId), { deliverables: [DELIVERABLE] }), 200, 'deliver');
      delivered.push({ contractId: contract.contractId, milestoneId, workerId });
    }
    await settledHead(http);
    const timers = await timersOf(http, 'inspection');
    expect(timers.map((timer) => `${timer.subject.contractId}/${timer.subject.milestoneId}`).sort()).toEqual(
      delivered.map(({ contractId, milestoneId }) => `${contractId}/${milestoneId}`).sort(),
    );
    expect(ofType(await readWholeLog(http), 'MilestoneInspected')).toEqual([]);

    const pastPeriod = { ...autoInspection, CLOCK_OFFSET: offsetPast(timers.map((timer) => timer.runsAt!)) };
    // Each milestone has two due actions: its inspection, then the payout it makes due.
    const heldAtKill = await crashed.killOnceLogHolds(['MilestoneInspected', 'MilestonePaidOut'], pastPeriod);
    expect(heldAtKill).toBeGreaterThan(0);
    expect(heldAtKill).toBeLessThan(2 * MILESTONES);

    const restarted = await crashed.restartUntilLogHolds('MilestonePaidOut', MILESTONES, pastPeriod);
    const { head, events } = restarted;
    http = restarted.http;
    const keys = delivered.map(({ contractId, milestoneId }) => `${contractId}/${milestoneId}`).sort();
    const inspected = ofType(events, 'MilestoneInspected');
    expect(inspected.map((event) => `${event.data.contractId}/${event.data.milestoneId}`).sort()).toEqual(keys);
    expect(inspected.every((event) => field(event, 'inspectedBy') === 'automatic' && event.metadata.actor.id === 'auto-inspection')).toBe(true);
    const payouts = ofType(events, 'MilestonePaidOut');
    expect(payouts.map((event) => `${event.data.contractId}/${event.data.milestoneId}`).sort()).toEqual(keys);
    expect(payouts.every((event) => event.metadata.actor.id === 'settlement')).toBe(true);
    const credits = ofType(events, 'WalletCredited');
    expect(credits).toHaveLength(MILESTONES);
    expect(new Set(credits.map((event) => event.data.source.id)).size).toBe(MILESTONES);
    for (const { workerId } of delivered) {
      const wallet = await expectStatus(http.get(`/v1/accounts/${workerId}/wallet?minPosition=${head}`), 200, 'wallet');
      expect(wallet).toMatchObject({ available: 8_580, totalCredited: 8_580 });
    }
    await expectBalancedBooks(http, head);
  }, 180_000);
});
