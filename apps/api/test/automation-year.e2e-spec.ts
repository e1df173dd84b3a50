import { ClockWalk, tokyoDateOf } from './clock-walk';
import { Actor, TestService } from './harness';
import { contractBetween, gateway, readyToWithdraw, support, TestContract, user, walletOf } from './wallets.fixtures';

/**
 * A year of a small marketplace on a clock the test moves a day at a time, with every time-driven rule left to the
 * service: settlement at inspection, withdrawals at each cut-off by the account's mode, unanswered terminations
 * completing after a week, balances expiring 180 days after their credit with notices 30 and 7 days before.
 * Nobody posts /payout, /wallet/expire or /automatic-withdrawal. The walk starts at midnight in Tokyo on
 * 2026-12-01, and every date asserted is a Tokyo date.
 */

const START = '2026-11-30T15:00:00.000Z'; // 2026-12-01 00:00 in Tokyo
const DAY_MS = 86_400_000;
const FILE = { uri: 'https://files.example.com/delivery.zip', sha256: 'c'.repeat(64) };

const clientAoi = 'client-aoi';
const clientRen = 'client-ren';
/** Two accounts per withdrawal mode, each with a verified identity and a bank account of its own. */
const onCutoffLarge = 'worker-on-cutoff-large';
const onCutoffSmall = 'worker-on-cutoff-small';
const over50000Reaching = 'worker-over-50000-reaching';
const over50000Below = 'worker-over-50000-below';
const carryOverSmall = 'worker-carry-over-small';
const carryOverLarge = 'worker-carry-over-large';
/** A worker whose client asks to end the contract, and who never answers. */
const quietWorker = 'worker-quiet';
/** A worker whose client goes silent after a delivery. */
const silentClientsWorker = 'worker-silent-client';

interface FeedEvent {
  type: string;
  streamId: string;
  position: number;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: { occurredAt: string; actor: Actor; idempotencyKey?: string };
}

interface WithdrawalRead {
  withdrawalId: string;
  accountId: string;
  status: string;
  mode: string;
  amount: number;
  netAmount: number;
  payoutDate: string;
}

const withdrawalModeOf = (accountId: string): string | undefined =>
  accountId.startsWith('worker-over-50000') ? 'over_50000' : accountId.startsWith('worker-carry-over') ? 'carry_over' : undefined;

describe('a year of a small marketplace on a moving clock, every time-driven rule left to the service', () => {
  let service: TestService;
  let walk: ClockWalk;
  const contracts: Record<string, TestContract> = {};

  beforeAll(async () => {
    service = await TestService.start({
      env: { SETTLEMENT_POLICY: 'immediate', BALANCE_EXPIRY_POLICY: 'when_due', AUTOMATIC_WITHDRAWALS: 'on', TERMINATION_AUTO_COMPLETE_AFTER: 'P7D' },
      clock: START,
    });
    walk = new ClockWalk(service);
  });
  afterAll(() => service.stop());

  const milestonePath = (contract: TestContract, i: number) => `/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[i]}`;

  /** The worker delivers milestone i and the client inspects it; nobody pays it out. */
  async function deliverAndInspect(contract: TestContract, i: number): Promise<void> {
    await service.post(`${milestonePath(contract, i)}/deliver`, contract.worker, { deliverables: [FILE] }).expect(200);
    await service.post(`${milestonePath(contract, i)}/inspect`, contract.client).expect(200);
  }

  /** Every event of the log, oldest first. */
  async function feed(): Promise<FeedEvent[]> {
    const events: FeedEvent[] = [];
    for (;;) {
      const after = events.at(-1)?.position ?? 0;
      const page = (await service.get(`/v1/audit/events?after=${after}&limit=1000`).expect(200)).body as { data: FeedEvent[] };
      events.push(...page.data);
      if (page.data.length < 1000) return events;
    }
  }

  const walletEvents = async (accountId: string) => (await feed()).filter((event) => event.streamId === `wallet-${accountId}`);

  async function withdrawal(withdrawalId: string): Promise<WithdrawalRead | undefined> {
    const res = await service.get(`/v1/withdrawals/${withdrawalId}`);
    if (res.status === 404) return undefined;
    expect(res.status).toBe(200);
    return res.body as WithdrawalRead;
  }

  /** On its payout date the payments gateway finds a scheduled withdrawal in that date's payout run, and reports it paid. */
  async function paidOnItsDate(withdrawalId: string): Promise<void> {
    const scheduled = (await withdrawal(withdrawalId))!;
    expect(walk.today()).toBe(scheduled.payoutDate);
    const run = (await service.get(`/v1/payout-runs/${scheduled.payoutDate}?state=to_send`, gateway).expect(200)).body as {
      data: { withdrawalId: string; netAmount: number }[];
    };
    expect(run.data).toContainEqual(expect.objectContaining({ withdrawalId, netAmount: scheduled.netAmount }));
    const items = [{ withdrawalId, outcome: 'paid', transferReference: `zengin-${withdrawalId}` }];
    const report = await service.post(`/v1/payout-runs/${scheduled.payoutDate}/reports`, gateway, { items }).expect(200);
    expect(report.body).toMatchObject({ recorded: 1, alreadyRecorded: 0, refused: 0 });
  }

  const automatic = (closingDate: string, accountId: string) => `automatic-${closingDate}-${accountId}`;

  it('2026-12-01: accounts choose their withdrawal modes and register bank accounts; contracts are funded', async () => {
    expect(walk.today()).toBe('2026-12-01');
    for (const workerId of [onCutoffLarge, onCutoffSmall, over50000Reaching, over50000Below, carryOverSmall, carryOverLarge, quietWorker, silentClientsWorker]) {
      await readyToWithdraw(service, workerId);
      const mode = withdrawalModeOf(workerId);
      if (mode !== undefined) await service.post(`/v1/accounts/${workerId}/wallet/withdrawal-mode`, user(workerId), { mode }).expect(200);
    }
    // Ex-tax amounts: the worker's net is 78% of the gross (¥1.1 per ¥1 ex tax), e.g. ¥10,000 → ¥8,580.
    contracts[onCutoffLarge] = await contractBetween(service, clientAoi, onCutoffLarge, [20_000, 10_000]);
    contracts[onCutoffSmall] = await contractBetween(service, clientAoi, onCutoffSmall, [1_000, 1_000]);
    contracts[over50000Reaching] = await contractBetween(service, clientRen, over50000Reaching, [35_000, 35_000]);
    contracts[over50000Below] = await contractBetween(service, clientRen, over50000Below, [20_000]);
    contracts[carryOverSmall] = await contractBetween(service, clientAoi, carryOverSmall, [40_000]);
    contracts[carryOverLarge] = await contractBetween(service, clientRen, carryOverLarge, [80_000]);
    contracts[quietWorker] = await contractBetween(service, clientAoi, quietWorker, [15_000, 15_000]);
    contracts[silentClientsWorker] = await contractBetween(service, clientRen, silentClientsWorker, [5_000]);
    await walk.untilIdle();
    expect(await walletOf(service, carryOverLarge)).toMatchObject({ withdrawalMode: 'carry_over', automaticWithdrawalThreshold: null });
    expect(await walletOf(service, over50000Below)).toMatchObject({ withdrawalMode: 'over_50000', automaticWithdrawalThreshold: 50_000 });
    expect(await walletOf(service, onCutoffSmall)).toMatchObject({ withdrawalMode: 'on_cutoff', automaticWithdrawalThreshold: 1_000 });
  });

  it('2026-12-03: inspected milestones are paid out and credited without any /payout call', async () => {
    await walk.until('2026-12-03');
    for (const workerId of [onCutoffLarge, onCutoffSmall, over50000Reaching, over50000Below, carryOverSmall, carryOverLarge]) {
      await deliverAndInspect(contracts[workerId], 0);
    }
    const position = await walk.untilIdle();
    const events = await feed();
    const payouts = events.filter((event) => event.type === 'MilestonePaidOut');
    expect(payouts).toHaveLength(6);
    for (const payout of payouts) {
      expect(payout.metadata).toMatchObject({ actor: { id: 'settlement', role: 'system' }, idempotencyKey: `settle:${payout.data.contractId}:${payout.data.milestoneId}` });
      expect(tokyoDateOf(payout.metadata.occurredAt)).toBe('2026-12-03');
    }
    const netOf = (workerId: string) => payouts.find((payout) => payout.data.workerId === workerId)!.data.net;
    expect(netOf(onCutoffLarge)).toBe(17_160);
    expect(netOf(onCutoffSmall)).toBe(858);
    expect(netOf(over50000Reaching)).toBe(30_030);
    for (const workerId of [onCutoffLarge, onCutoffSmall, over50000Reaching, over50000Below, carryOverSmall, carryOverLarge]) {
      expect(await walletOf(service, workerId, position)).toMatchObject({ available: netOf(workerId), pending: 0 });
    }
    expect((await service.get(`/v1/contracts/${contracts[onCutoffSmall].contractId}`).expect(200)).body.status).toBe('active');
  });

  it('the 2026-12-15 cut-off: on_cutoff from ¥1,000 is withdrawn, paid on 2026-12-30 (December 31 is a bank holiday); nothing else', async () => {
    await walk.until('2026-12-15');
    expect(await withdrawal(automatic('2026-12-15', onCutoffLarge))).toBeUndefined();
    const position = await walk.until('2026-12-16');

    expect(await withdrawal(automatic('2026-12-15', onCutoffLarge))).toMatchObject({
      accountId: onCutoffLarge,
      mode: 'standard',
      status: 'scheduled',
      amount: 17_160,
      payoutDate: '2026-12-30',
    });
    expect(await walletOf(service, onCutoffLarge, position)).toMatchObject({ available: 0, pending: 17_160 });
    // ¥858 is below on_cutoff's ¥1,000, ¥30,030 below over_50000's ¥50,000; carry_over never.
    for (const accountId of [onCutoffSmall, over50000Reaching, over50000Below, carryOverSmall, carryOverLarge]) {
      expect(await withdrawal(automatic('2026-12-15', accountId))).toBeUndefined();
      expect(await walletOf(service, accountId, position)).toMatchObject({ pending: 0 });
    }
    expect(await walletOf(service, onCutoffSmall, position)).toMatchObject({ available: 858 });
  });

  it('2026-12-20 to the 2026-12-31 cut-off: over_50000 withdrawn once ¥50,000 is reached, both paid on 2027-01-15', async () => {
    await walk.until('2026-12-20');
    await deliverAndInspect(contracts[onCutoffLarge], 1);
    await deliverAndInspect(contracts[over50000Reaching], 1);
    await walk.untilIdle();
    expect(await walletOf(service, over50000Reaching)).toMatchObject({ available: 60_060 });

    await walk.until('2026-12-30');
    await paidOnItsDate(automatic('2026-12-15', onCutoffLarge));
    // The cut-off falls at the end of December 31 in Tokyo (2026-12-31T15:00Z).
    await walk.until('2026-12-31');
    expect(await withdrawal(automatic('2026-12-31', over50000Reaching))).toBeUndefined();
    const position = await walk.until('2027-01-01');

    expect(await withdrawal(automatic('2026-12-31', onCutoffLarge))).toMatchObject({ amount: 8_580, status: 'scheduled', payoutDate: '2027-01-15' });
    expect(await withdrawal(automatic('2026-12-31', over50000Reaching))).toMatchObject({ amount: 60_060, status: 'scheduled', payoutDate: '2027-01-15' });
    expect(await walletOf(service, over50000Reaching, position)).toMatchObject({ available: 0, pending: 60_060 });
    expect(await walletOf(service, onCutoffLarge, position)).toMatchObject({ available: 0, pending: 8_580, paidOut: 17_160 });
    // carry_over keeps ¥68,640, over the other modes' thresholds; ¥858 and ¥17,160 stay below theirs.
    for (const accountId of [onCutoffSmall, over50000Below, carryOverSmall, carryOverLarge]) {
      expect(await withdrawal(automatic('2026-12-31', accountId))).toBeUndefined();
    }
    expect(await walletOf(service, carryOverLarge, position)).toMatchObject({ available: 68_640, pending: 0 });
  });

  it('2027-01-05 to the 2027-01-15 cut-off: on_cutoff withdraws once the balance reaches ¥1,000, paid on 2027-01-29 (January 31 is a Sunday)', async () => {
    await walk.until('2027-01-05');
    await deliverAndInspect(contracts[onCutoffSmall], 1);
    await walk.until('2027-01-15');
    await paidOnItsDate(automatic('2026-12-31', onCutoffLarge));
    await paidOnItsDate(automatic('2026-12-31', over50000Reaching));
    const position = await walk.until('2027-01-16');

    expect(await withdrawal(automatic('2027-01-15', onCutoffSmall))).toMatchObject({ amount: 1_716, status: 'scheduled', payoutDate: '2027-01-29' });
    expect(await walletOf(service, onCutoffSmall, position)).toMatchObject({ available: 0, pending: 1_716 });
  });

  it('2027-01-20: a termination request left unanswered completes 7 days later, refunding the client', async () => {
    await walk.until('2027-01-20');
    const contract = contracts[quietWorker];
    await service.post(`/v1/contracts/${contract.contractId}/termination`, contract.client, { reason: 'The project was cancelled' }).expect(200);
    await walk.until('2027-01-26');
    expect((await service.get(`/v1/contracts/${contract.contractId}`).expect(200)).body.status).toBe('active');

    const position = await walk.until('2027-01-27');
    expect((await service.get(`/v1/contracts/${contract.contractId}?minPosition=${position}`).expect(200)).body.status).toBe('terminated');
    const events = (await feed()).filter((event) => event.data.contractId === contract.contractId);
    const terminated = events.filter((event) => event.type === 'ContractTerminated');
    expect(terminated).toHaveLength(1);
    expect(terminated[0].data).toMatchObject({ terminatedBy: 'unanswered', requestedBy: expect.objectContaining({ id: clientAoi }) });
    expect(terminated[0].metadata.actor).toEqual({ id: 'termination', role: 'system' });
    expect(tokyoDateOf(terminated[0].metadata.occurredAt)).toBe('2027-01-27');
    const refunds = events.filter((event) => event.type === 'EscrowRefunded');
    expect(refunds.map((event) => event.data.amount)).toEqual([16_500, 16_500]);
    expect(await walletOf(service, clientAoi, position)).toMatchObject({ available: 33_000 });
    expect(await walletOf(service, quietWorker, position)).toMatchObject({ totalCredited: 0 });
  });

  it('2027-02-01: a delivery left uninspected for 8 days, then inspected by support and paid out; its cut-off pays on 2027-02-26', async () => {
    await walk.until('2027-01-29');
    await paidOnItsDate(automatic('2027-01-15', onCutoffSmall));
    await walk.until('2027-02-01');
    const contract = contracts[silentClientsWorker];
    await service.post(`${milestonePath(contract, 0)}/deliver`, contract.worker, { deliverables: [FILE] }).expect(200);

    // ── Silent client: the delivery stays uninspected for 8 days ─────────────────────────────────────────────────
    const silentDeliveries = async (minPosition: number) =>
      (
        (await service.get(`/v1/support/queues?queue=silentDeliveries&minPosition=${minPosition}`, support).expect(200)).body as {
          queues: { silentDeliveries: { data: { contractId: string; milestoneId: string; daysSilent: number; deliveredAt: string; inspectableFrom: string }[] } };
        }
      ).queues.silentDeliveries.data.filter((entry) => entry.contractId === contract.contractId);
    expect(await silentDeliveries(await walk.days(6))).toEqual([]);
    const eightDays = await walk.days(2);
    expect(walk.today()).toBe('2027-02-09');
    const waiting = (await service.get(`/v1/contracts/${contract.contractId}`).expect(200)).body as { milestones: { status: string }[] };
    expect(waiting.milestones[0].status).toBe('delivered');
    const [queued] = await silentDeliveries(eightDays);
    expect(queued).toMatchObject({ milestoneId: contract.milestoneIds[0], daysSilent: 8 });
    expect(tokyoDateOf(queued.deliveredAt)).toBe('2027-02-01');
    expect(Date.parse(queued.inspectableFrom) - Date.parse(queued.deliveredAt)).toBe(7 * DAY_MS);
    // ── End of the silent client ─────────────────────────────────────────────────────────────────────────────────

    await service.post(`${milestonePath(contract, 0)}/inspect`, support, { reason: 'Client silent for 8 days after delivery' }).expect(200);
    const position = await walk.untilIdle();
    expect(await silentDeliveries(position)).toEqual([]);
    expect(await walletOf(service, silentClientsWorker, position)).toMatchObject({ available: 4_290 });
    // February 28 2027 is a Sunday: the 2027-02-15 cut-off pays on Friday the 26th.
    await walk.until('2027-02-16');
    expect(await withdrawal(automatic('2027-02-15', silentClientsWorker))).toMatchObject({ amount: 4_290, payoutDate: '2027-02-26' });
    await walk.until('2027-02-26');
    await paidOnItsDate(automatic('2027-02-15', silentClientsWorker));
  });

  describe('a balance left unspent (carry_over) expires 180 days after its credit', () => {
    let credit: FeedEvent;
    let expiresAt: string;
    const expiryDate = '2027-06-01';

    it('the wallet shows the amount and its expiry date well before', async () => {
      await walk.until('2027-04-30');
      credit = (await walletEvents(carryOverSmall)).find((event) => event.type === 'WalletCredited')!;
      expect(tokyoDateOf(credit.metadata.occurredAt)).toBe('2026-12-03');
      expiresAt = credit.data.expiresAt as string;
      expect(Date.parse(expiresAt) - Date.parse(credit.data.creditedAt as string)).toBe(180 * DAY_MS);
      expect(tokyoDateOf(expiresAt)).toBe(expiryDate);

      const wallet = await walletOf(service, carryOverSmall);
      expect(wallet).toMatchObject({ available: 34_320, nextExpiresAt: expiresAt, expiringWithin30Days: 0 });
      expect(wallet.lots).toEqual([expect.objectContaining({ amount: 34_320, remaining: 34_320, expiresAt, expiringSoon: false })]);
      expect((await walletEvents(carryOverSmall)).map((event) => event.type)).not.toContain('BalanceExpiryNoticed');
    });

    it('30 days before, on 2027-05-02, the owner is told; the wallet shows it expiring within 30 days', async () => {
      await walk.until('2027-05-01');
      expect((await walletEvents(carryOverSmall)).map((event) => event.type)).not.toContain('BalanceExpiryNoticed');
      const position = await walk.until('2027-05-02');
      const notices = (await walletEvents(carryOverSmall)).filter((event) => event.type === 'BalanceExpiryNoticed');
      expect(notices.map((event) => event.data)).toEqual([expect.objectContaining({ daysBefore: 30, expiresAt, amount: 34_320 })]);
      expect(tokyoDateOf(notices[0].data.noticedAt as string)).toBe('2027-05-02');
      expect(notices[0].metadata).toMatchObject({ actor: { id: 'balance-expiry', role: 'system' } });
      const wallet = await walletOf(service, carryOverSmall, position);
      expect(wallet).toMatchObject({ available: 34_320, nextExpiresAt: expiresAt, expiringWithin30Days: 34_320 });
      expect(wallet.lots).toEqual([expect.objectContaining({ expiresAt, expiringSoon: true })]);
    });

    it('7 days before, on 2027-05-25, the second notice; on 2027-06-01 the balance expires, once', async () => {
      await walk.until('2027-05-25');
      const notices = (await walletEvents(carryOverSmall)).filter((event) => event.type === 'BalanceExpiryNoticed');
      expect(notices.map((event) => [event.data.daysBefore, tokyoDateOf(event.data.noticedAt as string)])).toEqual([
        [30, '2027-05-02'],
        [7, '2027-05-25'],
      ]);
      await walk.until('2027-05-31');
      expect(await walletOf(service, carryOverSmall)).toMatchObject({ available: 34_320, expired: 0 });

      const position = await walk.until(expiryDate);
      const expired = (await walletEvents(carryOverSmall)).filter((event) => event.type === 'BalanceExpired');
      expect(expired.map((event) => event.data)).toEqual([expect.objectContaining({ amount: 34_320, asOf: expiresAt, availableAfter: 0 })]);
      expect(tokyoDateOf(expired[0].metadata.occurredAt)).toBe(expiryDate);
      expect(await walletOf(service, carryOverSmall, position)).toMatchObject({ available: 0, expired: 34_320, nextExpiresAt: null, lots: [] });
    });
  });

  it('walks on to 2027-12-01: every balance left unspent has expired once, each automatic withdrawal was made once, and the books balance', async () => {
    const position = await walk.until('2027-12-01');
    const events = await feed();

    const automaticWithdrawals = events.filter((event) => event.type === 'WithdrawalRequested' && event.metadata.actor.id === 'automatic-withdrawal');
    expect(automaticWithdrawals.map((event) => event.data.withdrawalId).sort()).toEqual(
      [
        automatic('2026-12-15', onCutoffLarge),
        automatic('2026-12-31', onCutoffLarge),
        automatic('2026-12-31', over50000Reaching),
        automatic('2027-01-15', onCutoffSmall),
        automatic('2027-02-15', silentClientsWorker),
      ].sort(),
    );
    expect(events.filter((event) => event.type === 'MilestonePaidOut').every((event) => event.metadata.actor.id === 'settlement')).toBe(true);
    expect(events.filter((event) => event.type === 'MilestonePaidOut')).toHaveLength(10);

    // What nobody withdrew expired 180 days after its credit: the carry_over balances, the one below ¥50,000, and
    // the client's refund (a client with no bank account: its cut-offs had nothing to send it to).
    const expiredBy = new Map<string, number>();
    for (const event of events.filter((candidate) => candidate.type === 'BalanceExpired')) {
      const accountId = event.data.accountId as string;
      expect(expiredBy.has(accountId)).toBe(false);
      expiredBy.set(accountId, event.data.amount as number);
    }
    expect(Object.fromEntries(expiredBy)).toEqual({
      [carryOverSmall]: 34_320,
      [carryOverLarge]: 68_640,
      [over50000Below]: 17_160,
      [clientAoi]: 33_000,
    });
    for (const accountId of [carryOverLarge, over50000Below, clientAoi]) {
      expect(tokyoDateOf(events.find((event) => event.type === 'BalanceExpired' && event.data.accountId === accountId)!.metadata.occurredAt)).toBe(
        tokyoDateOf(new Date(Date.parse((events.find((event) => event.type === 'WalletCredited' && event.data.accountId === accountId)!.data.creditedAt as string)) + 180 * DAY_MS)),
      );
    }

    const checks = (await service.get(`/v1/ledger/checks?minPosition=${position}`).expect(200)).body as { passed: boolean; checks: { name: string; passed: boolean }[] };
    expect(checks.passed).toBe(true);
    expect(checks.checks.filter((check) => !check.passed)).toEqual([]);
    const trial = (await service.get(`/v1/ledger/trial-balance?minPosition=${position}`).expect(200)).body as {
      position: number;
      totalDebits: number;
      totalCredits: number;
      balanced: boolean;
      failedChecks: string[];
      uncheckedChecks: string[];
      accounts: { account: string; balance: number }[];
    };
    expect(trial).toMatchObject({ balanced: true, failedChecks: [], uncheckedChecks: [] });
    const runs = (await service.get(`/v1/payout-runs?minPosition=${position}`, gateway).expect(200)).body as { data: { payoutDate: string; state: string }[] };
    expect(runs.data.map((run) => [run.payoutDate, run.state])).toEqual([
      ['2026-12-30', 'closed'],
      ['2027-01-15', 'closed'],
      ['2027-01-29', 'closed'],
      ['2027-02-26', 'closed'],
    ]);
    expect(trial.position).toBeGreaterThanOrEqual(position);
    expect(trial.totalDebits).toBe(trial.totalCredits);
    const balanceOf = (account: string) => trial.accounts.find((entry) => entry.account === account)?.balance ?? 0;
    expect(balanceOf('expired-balances')).toBe(34_320 + 68_640 + 17_160 + 33_000);
    expect(balanceOf('withdrawals-in-progress')).toBe(0);
    // Every escrow is settled: paid out, or refunded by the termination.
    expect(trial.accounts.filter((entry) => entry.account.startsWith('escrow:') && entry.balance !== 0)).toEqual([]);
  });
});
