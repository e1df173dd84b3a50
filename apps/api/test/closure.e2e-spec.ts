import { TestService } from './harness';
import {
  closureEligibility,
  contractBetween,
  gateway,
  readyToWithdraw,
  registerBankAccount,
  reportIdentity,
  requestWithdrawal,
  support,
  uniqueId,
  user,
  walletOf,
} from './wallets.fixtures';

describe('account closure (退会) over HTTP', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  /** Eligibility and a closure attempt must agree: refused with exactly the same reasons, or both clear. */
  async function expectBlocked(accountId: string, reasons: string[]) {
    expect(await closureEligibility(service, accountId)).toMatchObject({ eligible: false, reasons });
    const before = (await service.get(`/v1/accounts/${accountId}`).expect(200)).body.revision;
    const refused = await service.post(`/v1/accounts/${accountId}/close`, user(accountId), {}).expect(409);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_CLOSURE_BLOCKED', details: { reasons } });
    expect((await service.get(`/v1/accounts/${accountId}`).expect(200)).body.revision).toBe(before);
  }

  async function terminate(contractId: string) {
    return (await service.post(`/v1/contracts/${contractId}/termination`, support, { reason: 'Support settled the dispute' }).expect(200)).body as { position: number };
  }

  it('closes an account with nothing open, after which the account refuses every command', async () => {
    const accountId = uniqueId('quiet');
    expect(await closureEligibility(service, accountId)).toEqual({ accountId, closed: false, eligible: true, reasons: [] });
    const closed = await service.post(`/v1/accounts/${accountId}/close`, user(accountId), { reason: 'No longer freelancing' }).expect(200);
    expect(closed.body).toMatchObject({ accountId, closed: true });
    expect((await closureEligibility(service, accountId))).toMatchObject({ closed: true });

    const again = await service.post(`/v1/accounts/${accountId}/close`, user(accountId), {}).expect(409);
    expect(again.body.code).toBe('ACCOUNT_CLOSED');
    const bank = await service
      .post(`/v1/accounts/${accountId}/bank-accounts`, user(accountId), { bankCode: '0036', branchCode: '251', accountNumber: '1112223', holderName: 'X' })
      .expect(409);
    expect(bank.body.code).toBe('ACCOUNT_CLOSED');
  });

  it('OPEN_CONTRACT_AS_CLIENT and OPEN_CONTRACT_AS_WORKER while an offer has not ended, for each party', async () => {
    const clientId = uniqueId('client');
    const workerId = uniqueId('worker');
    const offer = await contractBetween(service, clientId, workerId, [10_000], { accept: false });
    await expectBlocked(clientId, ['OPEN_CONTRACT_AS_CLIENT']);
    await expectBlocked(workerId, ['OPEN_CONTRACT_AS_WORKER']);

    await service.post(`/v1/contracts/${offer.contractId}/withdraw`, user(clientId), {}).expect(200);
    expect(await closureEligibility(service, clientId)).toMatchObject({ eligible: true, reasons: [] });
    expect(await closureEligibility(service, workerId)).toMatchObject({ eligible: true, reasons: [] });
  });

  it('UNSETTLED_ESCROW while prepaid money sits in escrow; WALLET_BALANCE once it is refunded to the client', async () => {
    const clientId = uniqueId('client');
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, clientId, workerId, [10_000]);
    await expectBlocked(clientId, ['OPEN_CONTRACT_AS_CLIENT', 'UNSETTLED_ESCROW']);
    await expectBlocked(workerId, ['OPEN_CONTRACT_AS_WORKER', 'UNSETTLED_ESCROW']);

    await terminate(contract.contractId);
    await expectBlocked(clientId, ['WALLET_BALANCE']);
    expect(await closureEligibility(service, workerId)).toMatchObject({ eligible: true, reasons: [] });
  });

  it('WITHDRAWAL_IN_PROGRESS until the bank transfer is reported; then the account closes', async () => {
    const clientId = uniqueId('client');
    const contract = await contractBetween(service, clientId, uniqueId('worker'), [10_000]);
    const terminated = await terminate(contract.contractId);
    expect((await walletOf(service, clientId, terminated.position)).available).toBe(11_000);
    const bank = await readyToWithdraw(service, clientId);
    const withdrawal = await requestWithdrawal(service, clientId, bank, 11_000);
    expect(withdrawal.status).toBe('scheduled');
    await expectBlocked(clientId, ['WITHDRAWAL_IN_PROGRESS']);

    await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/paid`, gateway, {}).expect(200);
    expect(await closureEligibility(service, clientId)).toMatchObject({ eligible: true, reasons: [] });
    await service.post(`/v1/accounts/${clientId}/close`, user(clientId), {}).expect(200);
  });

  it('IDENTITY_VERIFICATION_IN_REVIEW while a submitted verification is undecided', async () => {
    const accountId = uniqueId('member');
    await reportIdentity(service, accountId, 'submitted');
    await expectBlocked(accountId, ['IDENTITY_VERIFICATION_IN_REVIEW']);
    await reportIdentity(service, accountId, 'rejected');
    expect(await closureEligibility(service, accountId)).toMatchObject({ eligible: true, reasons: [] });
  });

  it('lists every reason at once, in a fixed order', async () => {
    const accountId = uniqueId('busy');
    await contractBetween(service, accountId, uniqueId('worker'), [10_000]);
    await contractBetween(service, uniqueId('client'), accountId, [10_000], { accept: false });
    const refunded = await contractBetween(service, accountId, uniqueId('worker'), [10_000]);
    const terminated = await terminate(refunded.contractId);
    await walletOf(service, accountId, terminated.position);
    const bank = await readyToWithdraw(service, accountId);
    await requestWithdrawal(service, accountId, bank, 5_000);
    await reportIdentity(service, accountId, 'submitted');
    await expectBlocked(accountId, [
      'OPEN_CONTRACT_AS_CLIENT',
      'OPEN_CONTRACT_AS_WORKER',
      'UNSETTLED_ESCROW',
      'WALLET_BALANCE',
      'WITHDRAWAL_IN_PROGRESS',
      'IDENTITY_VERIFICATION_IN_REVIEW',
    ]);
  });

  it('lets support close an account with a reason, and nobody else', async () => {
    const accountId = uniqueId('member');
    await registerBankAccount(service, accountId);
    const stranger = await service.post(`/v1/accounts/${accountId}/close`, user('someone-else'), {}).expect(403);
    expect(stranger.body.code).toBe('ACTOR_NOT_ALLOWED');
    const noReason = await service.post(`/v1/accounts/${accountId}/close`, support, {}).expect(400);
    expect(noReason.body.code).toBe('VALIDATION_FAILED');
    const closed = await service.post(`/v1/accounts/${accountId}/close`, support, { reason: 'Requested by phone, identity confirmed' }).expect(200);
    expect(closed.body).toMatchObject({ closed: true });
  });
});
