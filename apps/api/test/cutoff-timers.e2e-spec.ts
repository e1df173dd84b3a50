import { Actor, TestService } from './harness';
import { clientWithRefund, readyToWithdraw, support, user, walletOf } from './wallets.fixtures';

interface ScheduledTimer {
  timerId: string;
  kind: string;
  subject: Record<string, string>;
  dueAt: string;
  runsAt: string | null;
}

/**
 * The service applies each account's withdrawal mode at every cut-off by itself (AUTOMATIC_WITHDRAWALS=on), on a
 * clock the test moves past the 2026-12-31 cut-off (Tokyo midnight, 2026-12-31T15:00Z, paid 2027-01-15) and the
 * 2027-01-15 one (paid 2027-01-29, January 31 being a Sunday).
 */
describe('automatic withdrawals at each cut-off, by the scheduler', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ env: { AUTOMATIC_WITHDRAWALS: 'on' }, clock: '2026-12-20T00:00:00.000Z' });
  });
  afterAll(() => service.stop());

  const chooseMode = (accountId: string, mode: string, actor: Actor = user(accountId)) =>
    service.post(`/v1/accounts/${accountId}/wallet/withdrawal-mode`, actor, { mode });

  /** An account holding a refund of ¥1.1 × exTax, with a verified identity and a bank account, in the mode given (none: the default). */
  async function accountHolding(exTax: number, mode?: string) {
    const { accountId } = await clientWithRefund(service, exTax);
    await readyToWithdraw(service, accountId);
    if (mode) expect((await chooseMode(accountId, mode)).status).toBe(200);
    return accountId;
  }

  /** Polls the withdrawal until it is readable (or the time is up). */
  async function withdrawalOnceMade(withdrawalId: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const started = performance.now();
    for (;;) {
      const res = await service.get(`/v1/withdrawals/${withdrawalId}`);
      if (res.status === 200 || performance.now() - started > 5_000) return res;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const cutoffTimers = async (): Promise<ScheduledTimer[]> =>
    ((await service.get('/v1/schedule?kind=withdrawal_cutoff&limit=500', support).expect(200)).body.data as ScheduledTimer[]);

  let onCutoff: string;
  let over50000: string;
  let carryOver: string;

  beforeAll(async () => {
    onCutoff = await accountHolding(10_000);
    over50000 = await accountHolding(50_000, 'over_50000');
    carryOver = await accountHolding(100_000, 'carry_over');
  });

  it('lists the next cut-off of every account that may have something to withdraw', async () => {
    const timers = await cutoffTimers();
    for (const accountId of [onCutoff, over50000, carryOver]) {
      expect(timers).toContainEqual(
        expect.objectContaining({
          timerId: `cutoff:2026-12-31:${accountId}`,
          subject: { accountId, cutoff: '2026-12-31' },
          dueAt: '2026-12-31T15:00:00.000Z',
          runsAt: '2026-12-31T15:00:00.000Z',
        }),
      );
    }
  });

  it('withdraws nothing before the cut-off', async () => {
    service.clock.set('2026-12-31T14:59:00.000Z');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await service.get(`/v1/withdrawals/automatic-2026-12-31-${onCutoff}`)).status).toBe(404);
    expect(await walletOf(service, onCutoff)).toMatchObject({ available: 11_000, pending: 0 });
  });

  it('at the 2026-12-31 cut-off withdraws on_cutoff and over_50000 balances, paid on 2027-01-15, and leaves carry_over alone', async () => {
    service.clock.set('2026-12-31T15:00:05.000Z');
    const first = await withdrawalOnceMade(`automatic-2026-12-31-${onCutoff}`);
    expect(first).toMatchObject({ status: 200, body: { accountId: onCutoff, amount: 11_000, mode: 'standard', payoutDate: '2027-01-15', status: 'scheduled' } });
    const second = await withdrawalOnceMade(`automatic-2026-12-31-${over50000}`);
    expect(second).toMatchObject({ status: 200, body: { accountId: over50000, amount: 55_000, payoutDate: '2027-01-15' } });
    expect(await walletOf(service, onCutoff)).toMatchObject({ available: 0, pending: 11_000 });
    expect(await walletOf(service, over50000)).toMatchObject({ available: 0, pending: 55_000 });

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await service.get(`/v1/withdrawals/automatic-2026-12-31-${carryOver}`)).status).toBe(404);
    expect(await walletOf(service, carryOver)).toMatchObject({ available: 110_000, pending: 0 });
    // Done or found with nothing to do: none of the three is due again.
    expect((await cutoffTimers()).filter((timer) => [onCutoff, over50000, carryOver].includes(timer.subject.accountId))).toEqual([]);

    // The carry_over account's cut-off found nothing to do, and says so; the two withdrawals made are no outcome.
    const outcomes = async (query: string) => (await service.get(`/v1/schedule/outcomes?${query}`, support).expect(200)).body;
    const nothing = (await outcomes('kind=withdrawal_cutoff&outcome=nothing_to_do&limit=500')).data as { timerId: string }[];
    expect(nothing).toContainEqual(
      expect.objectContaining({
        timerId: `cutoff:2026-12-31:${carryOver}`,
        kind: 'withdrawal_cutoff',
        subject: { accountId: carryOver, cutoff: '2026-12-31' },
        dueAt: '2026-12-31T15:00:00.000Z',
        outcome: 'nothing_to_do',
        code: 'NOTHING_TO_DO',
      }),
    );
    expect(nothing.map((outcome) => outcome.timerId)).not.toContain(`cutoff:2026-12-31:${onCutoff}`);
    expect((await outcomes('outcome=refused&kind=withdrawal_cutoff')).data).toEqual([]);
    // A page at a time, in the order they were recorded, the same list as at once.
    const all = (await outcomes('limit=500')).data as { sequence: number }[];
    const paged: { sequence: number }[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page = await outcomes(`limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.data);
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(all);
    expect(all.map((outcome) => outcome.sequence)).toEqual([...all.map((outcome) => outcome.sequence)].sort((a, b) => a - b));
    expect((await service.get('/v1/schedule/outcomes?outcome=skipped', support).expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'outcome' })]);
    await service.get('/v1/schedule/outcomes').expect(403);
  });

  it('at the 2027-01-15 cut-off withdraws what landed since, paid on 2027-01-29, across a restart; the books balance', async () => {
    service.clock.set('2027-01-05T00:00:00.000Z');
    const lateComer = await accountHolding(2_000);
    expect(await cutoffTimers()).toContainEqual(expect.objectContaining({ timerId: `cutoff:2027-01-15:${lateComer}`, dueAt: '2027-01-15T15:00:00.000Z' }));

    // Not withdrawing over the cut-off (as if down); the scheduler of the next start catches up.
    await service.restart({ AUTOMATIC_WITHDRAWALS: 'off' });
    service.clock.set('2027-01-15T15:00:01.000Z');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await service.get(`/v1/withdrawals/automatic-2027-01-15-${lateComer}`)).status).toBe(404);
    await service.restart();
    const made = await withdrawalOnceMade(`automatic-2027-01-15-${lateComer}`);
    expect(made).toMatchObject({ status: 200, body: { accountId: lateComer, amount: 2_200, payoutDate: '2027-01-29' } });
    // Nothing twice: the year-end withdrawals are the only ones of their accounts.
    expect((await service.get(`/v1/withdrawals/automatic-2027-01-15-${onCutoff}`)).status).toBe(404);
    expect(await walletOf(service, onCutoff)).toMatchObject({ available: 0, pending: 11_000 });

    const checks = (await service.get('/v1/ledger/checks').expect(200)).body as { passed: boolean };
    expect(checks.passed).toBe(true);
  });
});
