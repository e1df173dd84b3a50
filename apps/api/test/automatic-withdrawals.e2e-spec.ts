import { Actor, TestService } from './harness';
import { clientWithRefund, readyToWithdraw, support, uniqueId, user, walletOf } from './wallets.fixtures';

const scheduler: Actor = { id: 'cutoff-scheduler', role: 'system' };

interface AutomaticBody {
  outcome: string;
  withdrawalMode: string;
  threshold: number | null;
  balanceAtCutoff: number;
  cutoffAt: string;
  cutoffPayoutDate: string;
  withdrawal: { withdrawalId: string; amount: number; netAmount: number; payoutDate: string; status: string; mode: string; reasons: string[] } | null;
}

/**
 * Withdrawal modes over HTTP on a clock the test moves: balances land before the 2026-12-31 cut-off (Tokyo
 * midnight, 2026-12-31T15:00Z), then the platform applies each account's mode at it, as the scheduler will.
 */
describe('withdrawal modes and the automatic withdrawal at a cut-off', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ clock: '2026-12-20T00:00:00.000Z' });
  });
  afterAll(() => service.stop());

  const chooseMode = (accountId: string, mode: string, actor: Actor = user(accountId)) =>
    service.post(`/v1/accounts/${accountId}/wallet/withdrawal-mode`, actor, { mode });
  const atCutoff = (accountId: string, cutoff: string, actor: Actor = scheduler) =>
    service.post(`/v1/accounts/${accountId}/wallet/automatic-withdrawal`, actor, { cutoff });

  /** An account holding a refund of ¥1.1 × exTax, with a verified identity and a bank account, in the mode given (none: the default). */
  async function accountHolding(exTax: number, mode?: string, bank = true) {
    const { accountId } = await clientWithRefund(service, exTax);
    if (bank) await readyToWithdraw(service, accountId);
    if (mode) expect((await chooseMode(accountId, mode)).status).toBe(200);
    return accountId;
  }

  let onCutoff: string;
  let over50000Below: string;
  let over50000Above: string;
  let carryOver: string;
  let withoutBank: string;

  beforeAll(async () => {
    service.clock.set('2026-12-20T00:00:00.000Z');
    onCutoff = await accountHolding(10_000);
    over50000Below = await accountHolding(10_000, 'over_50000');
    over50000Above = await accountHolding(50_000, 'over_50000');
    carryOver = await accountHolding(100_000, 'carry_over');
    withoutBank = await accountHolding(10_000, undefined, false);
  });

  it('shows the mode on the wallet: on_cutoff by default, the chosen one after a choice', async () => {
    expect(await walletOf(service, onCutoff)).toMatchObject({ withdrawalMode: 'on_cutoff', automaticWithdrawalThreshold: 1_000 });
    expect(await walletOf(service, over50000Below)).toMatchObject({ withdrawalMode: 'over_50000', automaticWithdrawalThreshold: 50_000 });
    expect(await walletOf(service, carryOver)).toMatchObject({ withdrawalMode: 'carry_over', automaticWithdrawalThreshold: null });
  });

  it('refuses a mode choice from another user and an unknown mode, naming the field', async () => {
    const stranger = await chooseMode(onCutoff, 'carry_over', user(uniqueId('someone')));
    expect(stranger.status).toBe(403);
    const unknown = await chooseMode(onCutoff, 'weekly');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'mode' });
    expect(await walletOf(service, onCutoff)).toMatchObject({ withdrawalMode: 'on_cutoff' });
  });

  it('refuses the cut-off before it falls, a date that is no cut-off, and any caller but the platform', async () => {
    service.clock.set('2026-12-31T14:59:00.000Z');
    const early = await atCutoff(onCutoff, '2026-12-31');
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('CUTOFF_NOT_REACHED');
    const notACutoff = await atCutoff(onCutoff, '2026-12-30');
    expect(notACutoff.status).toBe(400);
    expect(notACutoff.body.code).toBe('NOT_A_WITHDRAWAL_CUTOFF');
    const badDate = await atCutoff(onCutoff, '31/12/2026');
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors[0]).toMatchObject({ field: 'cutoff', rule: 'calendarDate' });
    expect((await atCutoff(onCutoff, '2026-12-15', user(onCutoff))).status).toBe(403);
    expect((await atCutoff(onCutoff, '2026-12-15', support)).status).toBe(403);
    expect(await walletOf(service, onCutoff)).toMatchObject({ available: 11_000, pending: 0 });
  });

  describe('at the 2026-12-31 cut-off', () => {
    beforeAll(() => service.clock.set('2026-12-31T15:00:05.000Z'));

    it('on_cutoff: withdraws the whole balance, paid on 2027-01-15; a repeat does nothing twice', async () => {
      const res = await atCutoff(onCutoff, '2026-12-31');
      expect(res.status).toBe(200);
      const body = res.body as AutomaticBody;
      expect(body).toMatchObject({
        outcome: 'requested',
        withdrawalMode: 'on_cutoff',
        threshold: 1_000,
        balanceAtCutoff: 11_000,
        cutoffAt: '2026-12-31T15:00:00.000Z',
        cutoffPayoutDate: '2027-01-15',
      });
      expect(body.withdrawal).toMatchObject({
        withdrawalId: `automatic-2026-12-31-${onCutoff}`,
        mode: 'standard',
        amount: 11_000,
        netAmount: 10_900,
        payoutDate: '2027-01-15',
        status: 'scheduled',
      });
      expect(await walletOf(service, onCutoff)).toMatchObject({ available: 0, pending: 11_000 });

      const again = await atCutoff(onCutoff, '2026-12-31');
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ outcome: 'already_requested', withdrawal: { withdrawalId: `automatic-2026-12-31-${onCutoff}`, amount: 11_000 } });
      expect(await walletOf(service, onCutoff)).toMatchObject({ available: 0, pending: 11_000 });
      const read = await service.get(`/v1/withdrawals/automatic-2026-12-31-${onCutoff}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ accountId: onCutoff, payoutDate: '2027-01-15' });
    });

    it('over_50000: nothing at ¥11,000; the whole ¥55,000 once it is reached', async () => {
      const below = await atCutoff(over50000Below, '2026-12-31');
      expect(below.status).toBe(200);
      expect(below.body).toMatchObject({ outcome: 'below_threshold', withdrawalMode: 'over_50000', threshold: 50_000, balanceAtCutoff: 11_000, withdrawal: null });
      expect(await walletOf(service, over50000Below)).toMatchObject({ available: 11_000, pending: 0 });

      const above = await atCutoff(over50000Above, '2026-12-31');
      expect(above.body).toMatchObject({ outcome: 'requested', withdrawal: { amount: 55_000, netAmount: 54_900, payoutDate: '2027-01-15' } });
      expect(await walletOf(service, over50000Above)).toMatchObject({ available: 0, pending: 55_000 });
    });

    it('carry_over: never, whatever the balance', async () => {
      const res = await atCutoff(carryOver, '2026-12-31');
      expect(res.body).toMatchObject({ outcome: 'carry_over', threshold: null, balanceAtCutoff: 110_000, withdrawal: null });
      expect(await walletOf(service, carryOver)).toMatchObject({ available: 110_000, pending: 0 });
    });

    it('requests nothing for an account with no bank account, and says so', async () => {
      const res = await atCutoff(withoutBank, '2026-12-31');
      expect(res.body).toMatchObject({ outcome: 'no_bank_account', balanceAtCutoff: 11_000, withdrawal: null });
      expect(await walletOf(service, withoutBank)).toMatchObject({ available: 11_000 });
    });
  });

  it('the 2027-01-15 cut-off pays on 2027-01-29 (January 31 is a Sunday), and money credited after a cut-off waits for the next', async () => {
    service.clock.set('2027-01-05T00:00:00.000Z');
    const accountId = await accountHolding(2_000);
    service.clock.set('2027-01-15T15:00:01.000Z');
    const res = await atCutoff(accountId, '2027-01-15');
    expect(res.body).toMatchObject({ outcome: 'requested', cutoffPayoutDate: '2027-01-29', withdrawal: { amount: 2_200, payoutDate: '2027-01-29' } });
    // A balance that landed after the 2026-12-31 cut-off is no part of it.
    const late = await atCutoff(accountId, '2026-12-31');
    expect(late.body).toMatchObject({ outcome: 'below_threshold', balanceAtCutoff: 0, withdrawal: null });
  });
});
