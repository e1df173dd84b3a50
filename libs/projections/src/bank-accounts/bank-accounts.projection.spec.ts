import { accountDecider, accountStreamId, AccountCommand } from '@escrow/domain/account';
import { ProjectionDriver } from '../withdrawals/testing/projection-driver';
import { bankAccountsProjection, isBankAccountShared, otherAccountsWithFingerprint } from './bank-accounts.projection';

const register = (driver: ProjectionDriver, accountId: string, bankAccountId: string, fingerprint: string, accountNumber = '1234567') =>
  driver.run(accountDecider, accountStreamId(accountId), {
    type: 'RegisterBankAccount',
    accountId,
    actor: { id: accountId, role: 'user' },
    at: '2026-04-01T00:00:00Z',
    bankAccountId,
    bankCode: '0036',
    branchCode: '123',
    accountNumber,
    holderName: 'ヤマダ タロウ',
    fingerprint,
  } as AccountCommand);

describe('bank account registrations by fingerprint', () => {
  it('finds the other accounts that registered the same bank account, never the account itself', () => {
    const driver = new ProjectionDriver([bankAccountsProjection]);
    register(driver, 'acc-a', 'bank-a', 'fp-shared');
    register(driver, 'acc-a', 'bank-a2', 'fp-own');
    expect(isBankAccountShared(driver.db, 'fp-shared', 'acc-a')).toBe(false);

    register(driver, 'acc-b', 'bank-b', 'fp-shared');
    expect(isBankAccountShared(driver.db, 'fp-shared', 'acc-a')).toBe(true);
    expect(isBankAccountShared(driver.db, 'fp-shared', 'acc-b')).toBe(true);
    expect(isBankAccountShared(driver.db, 'fp-own', 'acc-a')).toBe(false);
    expect(otherAccountsWithFingerprint(driver.db, 'fp-shared', 'acc-b')).toEqual([
      { accountId: 'acc-a', bankAccountId: 'bank-a', bankCode: '0036', accountNumberMasked: '***4567', registeredAt: '2026-04-01T00:00:00Z' },
    ]);
  });

  it('never stores the full account number, and rebuilds identically from position zero', () => {
    const driver = new ProjectionDriver([bankAccountsProjection]);
    register(driver, 'acc-a', 'bank-a', 'fp-1', '7654321');
    register(driver, 'acc-b', 'bank-b', 'fp-1', '7654321');
    const dump = ProjectionDriver.dump(driver.db, [bankAccountsProjection]);
    expect(JSON.stringify(dump)).not.toContain('7654321');
    expect(JSON.stringify(dump)).toContain('***4321');
    expect(ProjectionDriver.dump(driver.rebuilt(), [bankAccountsProjection])).toEqual(dump);
  });
});
