import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestService } from './harness';
import { clientWithRefund, gateway, reportIdentity, support, user } from './wallets.fixtures';

const ACCOUNT_NUMBER = '8642097';

describe('a bank account number never leaves the registration request', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('is absent from every response, event, read model and stored file, which keep only the masked number', async () => {
    const responses: unknown[] = [];
    const keep = <T extends { body: unknown }>(res: T) => {
      responses.push(res.body);
      return res;
    };

    const { accountId } = await clientWithRefund(service, 200_000);
    const registered = keep(
      await service
        .post(`/v1/accounts/${accountId}/bank-accounts`, user(accountId), { bankCode: '0005', branchCode: '123', accountNumber: ACCOUNT_NUMBER, holderName: 'サトウ ハナコ' })
        .expect(201),
    ).body;
    expect(registered).toMatchObject({ accountNumberMasked: '***2097', bankCode: '0005', branchCode: '123' });
    // The same number on a second account: what SHARED_BANK_ACCOUNT is found by, still without the number.
    const twin = (await clientWithRefund(service, 1_000)).accountId;
    keep(await service.post(`/v1/accounts/${twin}/bank-accounts`, user(twin), { bankCode: '0005', branchCode: '123', accountNumber: ACCOUNT_NUMBER, holderName: 'サトウ ハナコ' }).expect(201));
    keep(await service.post(`/v1/accounts/${accountId}/bank-accounts`, user(accountId), { bankCode: '0005', branchCode: '123', accountNumber: '864209', holderName: 'X' }).expect(400));
    keep(await service.post(`/v1/accounts/${accountId}/bank-accounts`, user(accountId), { bankCode: '0005', branchCode: '123', accountNumber: ACCOUNT_NUMBER, holderName: 'X' }).expect(409));
    await reportIdentity(service, accountId, 'approved');

    const withdrawal = keep(
      await service.post(`/v1/accounts/${accountId}/withdrawals`, user(accountId), { amount: 150_000, mode: 'quick', bankAccountId: registered.bankAccountId }).expect(201),
    ).body;
    expect(withdrawal.reasons).toEqual(['SHARED_BANK_ACCOUNT', 'UNUSUAL_AMOUNT']);
    keep(await service.get(`/v1/withdrawals/review-queue?minPosition=${withdrawal.position}`).expect(200));
    keep(await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/approve`, support, { reason: 'Same person, documented' }).expect(200));
    keep(await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/paid`, gateway, { transferReference: 'tr-1' }).expect(200));
    keep(await service.get(`/v1/accounts/${accountId}`).expect(200));
    keep(await service.get(`/v1/accounts/${accountId}/wallet`).expect(200));
    keep(await service.get(`/v1/accounts/${accountId}/closure-eligibility`).expect(200));
    const feed = keep(await service.get('/v1/audit/events?after=0&limit=1000').expect(200)).body;

    expect(JSON.stringify(responses)).not.toContain(ACCOUNT_NUMBER);
    const registrations = feed.data.filter((e: { type: string }) => e.type === 'BankAccountRegistered');
    expect(registrations.map((e: { data: { accountNumberMasked: string } }) => e.data.accountNumberMasked)).toEqual(['***2097', '***2097']);
    expect(registrations[0].data.fingerprint).toBe(registrations[1].data.fingerprint);

    // Every database file of the service: the event store, the read models and the idempotency records.
    await service.restart();
    const files = readdirSync(service.dataDir).filter((name) => name.includes('.sqlite'));
    expect(files).toEqual(expect.arrayContaining(['events.sqlite', 'read-models.sqlite', 'idempotency.sqlite']));
    for (const file of files) expect(readFileSync(join(service.dataDir, file)).includes(ACCOUNT_NUMBER)).toBe(false);
    expect(readFileSync(join(service.dataDir, 'events.sqlite')).includes('***2097')).toBe(true);
  });
});
