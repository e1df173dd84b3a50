import { TestService } from './harness';
import {
  contractBetween,
  gateway,
  payOut,
  registerBankAccount,
  reportIdentity,
  requestWithdrawal,
  support,
  uniqueId,
  user,
  walletOf,
} from './wallets.fixtures';

/**
 * Commands decide from the streams they read, never from a read model: with the projections (and the
 * processes behind them) off, every command still works. Only the wallet credits, a process, need them: the
 * money is credited by one run with projections on, between runs with them off.
 */
describe('commands with PROJECTIONS=off', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ env: { PROJECTIONS: 'off' } });
  });
  afterAll(() => service.stop());

  const close = (accountId: string) => service.post(`/v1/accounts/${accountId}/close`, user(accountId), {});
  const act = (withdrawalId: string, action: string, actor = support, body: object = { reason: 'Checked with the owner' }) =>
    service.post(`/v1/withdrawals/${withdrawalId}/${action}`, actor, body);

  async function expectClosureRefused(accountId: string, reasons: string[]) {
    const refused = await close(accountId).expect(409);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_CLOSURE_BLOCKED', details: { reasons } });
    expect((await service.get(`/v1/accounts/${accountId}/closure-eligibility`).expect(200)).body).toMatchObject({ eligible: false, reasons });
  }

  it('runs a contract from offer to payout, and closure sees what is open and the credit still on its way', async () => {
    const clientId = uniqueId('client');
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, clientId, workerId, [10_000]);
    await expectClosureRefused(clientId, ['OPEN_CONTRACT_AS_CLIENT', 'UNSETTLED_ESCROW']);
    await expectClosureRefused(workerId, ['OPEN_CONTRACT_AS_WORKER', 'UNSETTLED_ESCROW']);

    const { net } = await payOut(service, contract);
    expect(net).toBe(8_580);
    const view = await service.get(`/v1/contracts/${contract.contractId}`).expect(200);
    expect(view.body.status).toBe('completed');

    // No credit process runs: the payout's ¥8,580 is on its way to the wallet, and it blocks closure as a balance.
    await expectClosureRefused(workerId, ['WALLET_BALANCE']);
    const closed = await close(clientId).expect(200);
    expect(closed.body).toMatchObject({ accountId: clientId, closed: true });
  });

  it('screens a withdrawal (SHARED_BANK_ACCOUNT among them), reviews it, and closes the account once the money is out', async () => {
    const workerId = uniqueId('worker');
    const otherId = uniqueId('other');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000]);
    const payout = await payOut(service, contract);
    await reportIdentity(service, workerId, 'approved');
    const bankAccountId = await registerBankAccount(service, workerId, { accountNumber: '7654321', branchCode: '314' });
    await registerBankAccount(service, otherId, { accountNumber: '7654321', branchCode: '314' });

    // The credit process runs with the projections: one run with them on credits the payout.
    await service.restart({ PROJECTIONS: 'embedded' });
    expect((await walletOf(service, workerId, payout.position)).available).toBe(8_580);
    await service.restart({ PROJECTIONS: 'off' });

    const first = await requestWithdrawal(service, workerId, bankAccountId, 5_000);
    expect(first).toMatchObject({ status: 'in_review', amount: 5_000, available: 3_580 });
    expect(first.reasons).toContain('SHARED_BANK_ACCOUNT');
    const approved = await act(first.withdrawalId, 'approve').expect(200);
    expect(approved.body).toMatchObject({ withdrawalId: first.withdrawalId, accountId: workerId, status: 'scheduled' });
    const paid = await act(first.withdrawalId, 'paid', gateway, { transferReference: 'zengin-0001' }).expect(200);
    expect(paid.body).toMatchObject({ status: 'paid', available: 3_580 });

    const second = await requestWithdrawal(service, workerId, bankAccountId, 3_580);
    expect(second.reasons).toContain('SHARED_BANK_ACCOUNT');
    await act(second.withdrawalId, 'request-info').expect(200);
    const rejected = await act(second.withdrawalId, 'reject').expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', available: 3_580 });
    await expectClosureRefused(workerId, ['WALLET_BALANCE']);

    const last = await requestWithdrawal(service, workerId, bankAccountId, 3_580);
    await act(last.withdrawalId, 'approve').expect(200);
    await expectClosureRefused(workerId, ['WITHDRAWAL_IN_PROGRESS']);
    await act(last.withdrawalId, 'paid', gateway, {}).expect(200);

    const closed = await close(workerId).expect(200);
    expect(closed.body).toMatchObject({ accountId: workerId, closed: true });
  });

  it('answers 404 WITHDRAWAL_NOT_FOUND for a review step on an unknown withdrawal', async () => {
    const unknown = await act('00000000-0000-8000-8000-000000000000', 'approve').expect(404);
    expect(unknown.body.code).toBe('WITHDRAWAL_NOT_FOUND');
  });
});
