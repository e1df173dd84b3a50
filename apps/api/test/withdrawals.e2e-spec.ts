import { TestService } from './harness';
import {
  clientWithRefund,
  contractBetween,
  gateway,
  payOut,
  readyToWithdraw,
  registerBankAccount,
  reportIdentity,
  requestWithdrawal,
  reviewQueue,
  support,
  uniqueId,
  user,
  walletOf,
  withdraw,
} from './wallets.fixtures';

describe('withdrawals (出金) and their review (出金審査) over HTTP', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  /** A worker whose wallet holds the net of one payout of a ¥10,000 milestone (¥8,580), paid within the hour. */
  async function workerPaid(deliverables?: object[]) {
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId);
    const paid = await payOut(service, contract, 0, deliverables);
    await walletOf(service, workerId, paid.position);
    return workerId;
  }

  describe('screening', () => {
    it('schedules a withdrawal no reason applies to, with its fees and payout date, and holds the amount as pending', async () => {
      const { accountId } = await clientWithRefund(service, 100_000);
      const partnerBank = await readyToWithdraw(service, accountId, '0036');
      const standard = await requestWithdrawal(service, accountId, partnerBank, 10_000);
      expect(standard).toMatchObject({ accountId, status: 'scheduled', amount: 10_000, fee: 100, netAmount: 9_900, reasons: [], available: 100_000 });
      expect(standard.payoutDate).toMatch(/^\d{4}-\d{2}-(1[0-5]|2\d|3[01])$/);

      const otherBank = await registerBankAccount(service, accountId, { bankCode: '0005' });
      const quick = await requestWithdrawal(service, accountId, otherBank, 40_000, 'quick');
      expect(quick).toMatchObject({ status: 'scheduled', fee: 2_500, netAmount: 37_500, available: 60_000 });

      const wallet = await walletOf(service, accountId);
      expect(wallet).toMatchObject({ available: 60_000, pending: 50_000, totalCredited: 110_000 });
      expect(wallet.withdrawalsInProgress.map((w) => [w.withdrawalId, w.status])).toEqual([
        [standard.withdrawalId, 'scheduled'],
        [quick.withdrawalId, 'scheduled'],
      ]);
      const queue = await reviewQueue(service, quick.position);
      expect(queue.map((item) => item.withdrawalId)).not.toContain(standard.withdrawalId);
    });

    it('NO_DELIVERABLE: money from a milestone delivered without a deliverable goes to review', async () => {
      const workerId = await workerPaid([]);
      const bank = await readyToWithdraw(service, workerId);
      const withdrawal = await requestWithdrawal(service, workerId, bank, 5_000);
      expect(withdrawal).toMatchObject({ status: 'in_review', reasons: ['NO_DELIVERABLE', 'FAST_COMPLETION'] });
      const item = (await reviewQueue(service, withdrawal.position)).find((i) => i.withdrawalId === withdrawal.withdrawalId);
      expect(item).toMatchObject({ accountId: workerId, amount: 5_000, reasons: ['NO_DELIVERABLE', 'FAST_COMPLETION'] });
    });

    it('FAST_COMPLETION: money from a payout within an hour of the contract\'s acceptance goes to review', async () => {
      const workerId = await workerPaid();
      const bank = await readyToWithdraw(service, workerId);
      const withdrawal = await requestWithdrawal(service, workerId, bank, 8_580);
      expect(withdrawal).toMatchObject({ status: 'in_review', reasons: ['FAST_COMPLETION'], available: 0 });
      const item = (await reviewQueue(service, withdrawal.position)).find((i) => i.withdrawalId === withdrawal.withdrawalId);
      expect(item).toMatchObject({ accountId: workerId, amount: 8_580, reasons: ['FAST_COMPLETION'] });
    });

    it('FAST_COMPLETION: the flag of a payout within the hour is cleared once the contract ends without a fast completion', async () => {
      const workerId = uniqueId('worker');
      const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000, 20_000]);
      const paid = await payOut(service, contract, 0);
      const flagged = await walletOf(service, workerId, paid.position);
      expect(flagged.lots.map((lot) => lot.flags.fastCompletion)).toEqual([true]);

      const terminated = await service.post(`/v1/contracts/${contract.contractId}/termination`, support, { reason: 'Project cancelled' }).expect(200);
      const cleared = await walletOf(service, workerId, (terminated.body as { position: number }).position);
      expect(cleared.lots.map((lot) => [lot.amount, lot.flags])).toEqual([[8_580, { noDeliverable: false, fastCompletion: false }]]);
      expect(cleared.revision).toBe(flagged.revision + 1);

      const bank = await readyToWithdraw(service, workerId);
      expect(await requestWithdrawal(service, workerId, bank, 8_580)).toMatchObject({ status: 'scheduled', reasons: [] });
    });

    it('SHARED_BANK_ACCOUNT: a bank account also registered to another account goes to review', async () => {
      const { accountId } = await clientWithRefund(service, 10_000);
      await reportIdentity(service, accountId, 'approved');
      const bank = await registerBankAccount(service, accountId, { bankCode: '0009', branchCode: '100', accountNumber: '5551234' });
      const before = await requestWithdrawal(service, accountId, bank, 2_000);
      expect(before).toMatchObject({ status: 'scheduled', reasons: [] });

      await registerBankAccount(service, uniqueId('other'), { bankCode: '0009', branchCode: '100', accountNumber: '5551234' });
      const withdrawal = await requestWithdrawal(service, accountId, bank, 2_000);
      expect(withdrawal).toMatchObject({ status: 'in_review', reasons: ['SHARED_BANK_ACCOUNT'] });
      const item = (await reviewQueue(service, withdrawal.position)).find((i) => i.withdrawalId === withdrawal.withdrawalId);
      expect(item).toMatchObject({ accountId, amount: 2_000, reasons: ['SHARED_BANK_ACCOUNT'] });
    });

    it('IDENTITY_NOT_VERIFIED: an account whose identity is not approved goes to review, whatever stage its verification is at', async () => {
      const { accountId } = await clientWithRefund(service, 10_000);
      const bank = await registerBankAccount(service, accountId);
      const never = await requestWithdrawal(service, accountId, bank, 1_000);
      await reportIdentity(service, accountId, 'submitted');
      const submitted = await requestWithdrawal(service, accountId, bank, 1_000);
      await reportIdentity(service, accountId, 'rejected');
      const rejected = await requestWithdrawal(service, accountId, bank, 1_000);
      for (const withdrawal of [never, submitted, rejected]) expect(withdrawal).toMatchObject({ status: 'in_review', reasons: ['IDENTITY_NOT_VERIFIED'] });
      const queue = await reviewQueue(service, rejected.position);
      const mine = queue.filter((i) => i.accountId === accountId);
      expect(mine.map((i) => [i.withdrawalId, i.reasons])).toEqual([never, submitted, rejected].map((w) => [w.withdrawalId, ['IDENTITY_NOT_VERIFIED']]));
      await reportIdentity(service, accountId, 'approved');
      expect(await requestWithdrawal(service, accountId, bank, 1_000)).toMatchObject({ status: 'scheduled', reasons: [] });
    });

    it('UNUSUAL_AMOUNT: over ¥100,000 and over 5 times the largest paid withdrawal goes to review', async () => {
      const { accountId } = await clientWithRefund(service, 200_000);
      const bank = await readyToWithdraw(service, accountId);
      const atFloor = await requestWithdrawal(service, accountId, bank, 100_000);
      expect(atFloor).toMatchObject({ status: 'scheduled', reasons: [] });
      const over = await requestWithdrawal(service, accountId, bank, 100_001);
      expect(over).toMatchObject({ status: 'in_review', reasons: ['UNUSUAL_AMOUNT'] });
      const item = (await reviewQueue(service, over.position)).find((i) => i.withdrawalId === over.withdrawalId);
      expect(item).toMatchObject({ accountId, amount: 100_001, reasons: ['UNUSUAL_AMOUNT'] });
    });

    it('UNUSUAL_AMOUNT measures against the largest withdrawal that was paid', async () => {
      const { accountId } = await clientWithRefund(service, 310_000);
      const bank = await readyToWithdraw(service, accountId);
      const baseline = await requestWithdrawal(service, accountId, bank, 30_000);
      await service.post(`/v1/withdrawals/${baseline.withdrawalId}/paid`, gateway, {}).expect(200);
      expect(await requestWithdrawal(service, accountId, bank, 150_000)).toMatchObject({ status: 'scheduled', reasons: [] });
      expect(await requestWithdrawal(service, accountId, bank, 150_001)).toMatchObject({ status: 'in_review', reasons: ['UNUSUAL_AMOUNT'] });
    });

    it('lists the queue oldest first with the age of each request', async () => {
      const { accountId } = await clientWithRefund(service, 10_000);
      const bank = await registerBankAccount(service, accountId);
      const first = await requestWithdrawal(service, accountId, bank, 1_000);
      const second = await requestWithdrawal(service, accountId, bank, 1_000);
      const queue = await reviewQueue(service, second.position);
      const ids = queue.map((i) => i.withdrawalId);
      expect(ids.indexOf(first.withdrawalId)).toBeLessThan(ids.indexOf(second.withdrawalId));
      const requestedAts = queue.map((i) => Date.parse(i.requestedAt));
      expect(requestedAts).toEqual([...requestedAts].sort((a, b) => a - b));
      for (const item of queue) expect(item.ageSeconds).toBeGreaterThanOrEqual(0);
    });
  });

  describe('review and bank transfer', () => {
    async function inReview(amount = 5_000) {
      const { accountId } = await clientWithRefund(service, 10_000);
      const bank = await registerBankAccount(service, accountId);
      const withdrawal = await requestWithdrawal(service, accountId, bank, amount);
      expect(withdrawal.status).toBe('in_review');
      return { accountId, withdrawal };
    }

    it('approve then paid: scheduled once approved, out of the queue, and the held amount leaves the wallet', async () => {
      const { accountId, withdrawal } = await inReview();
      const approved = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/approve`, support, { reason: 'ID checked by phone' }).expect(200);
      expect(approved.body).toMatchObject({ status: 'scheduled', reviewSteps: [{ action: 'approved', reviewerId: support.id, reason: 'ID checked by phone' }] });
      expect((await reviewQueue(service, approved.body.position)).map((i) => i.withdrawalId)).not.toContain(withdrawal.withdrawalId);
      expect(await walletOf(service, accountId)).toMatchObject({ available: 6_000, pending: 5_000 });

      const paid = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/paid`, gateway, { transferReference: 'zengin-0001' }).expect(200);
      expect(paid.body).toMatchObject({ status: 'paid', transferReference: 'zengin-0001', netAmount: 4_900 });
      expect(await walletOf(service, accountId)).toMatchObject({ available: 6_000, pending: 0, paidOut: 5_000, totalCredited: 11_000 });
    });

    it('reject: the amount returns to the available balance', async () => {
      const { accountId, withdrawal } = await inReview();
      const rejected = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/reject`, support, { reason: 'Identity documents expired' }).expect(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', available: 11_000 });
      expect(await walletOf(service, accountId)).toMatchObject({ available: 11_000, pending: 0, paidOut: 0 });
      expect((await reviewQueue(service, rejected.body.position)).map((i) => i.withdrawalId)).not.toContain(withdrawal.withdrawalId);
    });

    it('request-info keeps it in review; a failed transfer after approval returns the amount', async () => {
      const { accountId, withdrawal } = await inReview();
      const asked = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/request-info`, support, { reason: 'Please upload your ID' }).expect(200);
      expect(asked.body.status).toBe('in_review');
      const item = (await reviewQueue(service, asked.body.position)).find((i) => i.withdrawalId === withdrawal.withdrawalId);
      expect(item).toMatchObject({ infoRequests: 1 });

      await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/approve`, support, { reason: 'ID received' }).expect(200);
      const failed = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/failed`, gateway, { reason: 'Account closed at the bank' }).expect(200);
      expect(failed.body).toMatchObject({ status: 'failed', failureReason: 'Account closed at the bank', available: 11_000 });
      expect(await walletOf(service, accountId)).toMatchObject({ available: 11_000, pending: 0, paidOut: 0 });
    });

    it('refuses review and reports that do not fit, and appends nothing', async () => {
      const { accountId, withdrawal } = await inReview();
      const byOwner = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/approve`, user(accountId), { reason: 'me' }).expect(403);
      expect(byOwner.body.code).toBe('ACTOR_NOT_ALLOWED');
      const notScheduled = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/paid`, gateway, {}).expect(409);
      expect(notScheduled.body.code).toBe('WITHDRAWAL_NOT_SCHEDULED');
      const noReason = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/reject`, support, {}).expect(400);
      expect(noReason.body.code).toBe('VALIDATION_FAILED');
      expect(new Set(noReason.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['reason']));
      const unknown = await service.post(`/v1/withdrawals/${uniqueId('w')}/approve`, support, { reason: 'x' }).expect(404);
      expect(unknown.body.code).toBe('WITHDRAWAL_NOT_FOUND');
      await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/reject`, support, { reason: 'no' }).expect(200);
      const again = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/approve`, support, { reason: 'changed my mind' }).expect(409);
      expect(again.body.code).toBe('WITHDRAWAL_NOT_IN_REVIEW');
      expect(await walletOf(service, accountId)).toMatchObject({ available: 11_000, pending: 0 });
    });
  });

  describe('requests that are refused', () => {
    it('below the minimum, beyond the balance, by someone else, or to an unknown bank account', async () => {
      const { accountId } = await clientWithRefund(service, 10_000);
      const bank = await readyToWithdraw(service, accountId);
      expect((await withdraw(service, accountId, bank, 999).expect(400)).body.code).toBe('WITHDRAWAL_BELOW_MINIMUM');
      expect((await withdraw(service, accountId, bank, 11_001).expect(409)).body).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { available: 11_000 } });
      const stranger = await service.post(`/v1/accounts/${accountId}/withdrawals`, user('someone-else'), { amount: 1_000, mode: 'standard', bankAccountId: bank }).expect(403);
      expect(stranger.body.code).toBe('ACTOR_NOT_ALLOWED');
      expect((await withdraw(service, accountId, 'no-such-bank', 1_000).expect(404)).body.code).toBe('BANK_ACCOUNT_NOT_FOUND');
      expect((await withdraw(service, accountId, bank, 1_000, 'instant' as never).expect(400)).body.code).toBe('INVALID_WITHDRAWAL_MODE');
      expect(await walletOf(service, accountId)).toMatchObject({ available: 11_000, pending: 0 });
    });

    it('answers a retried request with the first answer and takes the amount once', async () => {
      const { accountId } = await clientWithRefund(service, 10_000);
      const bank = await readyToWithdraw(service, accountId);
      const first = await withdraw(service, accountId, bank, 3_000, 'standard', { 'Idempotency-Key': 'withdraw-once' }).expect(201);
      const retry = await withdraw(service, accountId, bank, 3_000, 'standard', { 'Idempotency-Key': 'withdraw-once' }).expect(201);
      expect(retry.body).toEqual(first.body);
      expect(await walletOf(service, accountId)).toMatchObject({ available: 8_000, pending: 3_000 });
    });
  });

  it('never takes a wallet below zero under 20 concurrent withdrawals', async () => {
    const { accountId } = await clientWithRefund(service, 100_000);
    const bank = await readyToWithdraw(service, accountId);
    const balance = 110_000;
    const results = await Promise.all(Array.from({ length: 20 }, () => withdraw(service, accountId, bank, 10_000)));

    const accepted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    const acceptedTotal = accepted.reduce((sum, r) => sum + (r.body.amount as number), 0);
    expect(accepted.length).toBeGreaterThan(0);
    expect(acceptedTotal).toBeLessThanOrEqual(balance);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(['INSUFFICIENT_BALANCE', 'CONCURRENCY_CONFLICT']).toContain(r.body.code);
    }
    expect(new Set(accepted.map((r) => r.body.withdrawalId)).size).toBe(accepted.length);
    const wallet = await walletOf(service, accountId);
    expect(wallet.available).toBe(balance - acceptedTotal);
    expect(wallet.pending).toBe(acceptedTotal);
    expect(wallet.available).toBeGreaterThanOrEqual(0);
  });
});
