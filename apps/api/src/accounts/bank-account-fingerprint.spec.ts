import { createHmac } from 'node:crypto';
import { bankAccountFingerprint } from './bank-account-fingerprint';

const account = { bankCode: '0036', branchCode: '251', accountNumber: '1234567' };

describe('bank account fingerprints', () => {
  it('is the HMAC-SHA256 of bank code, branch code and account number under the key', () => {
    const expected = createHmac('sha256', 'key-1').update('0036:251:1234567').digest('hex');
    expect(bankAccountFingerprint('key-1', account)).toBe(expected);
    expect(bankAccountFingerprint('key-1', account)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is equal for the same bank account and differs when any part or the key differs', () => {
    const base = bankAccountFingerprint('key-1', account);
    expect(bankAccountFingerprint('key-1', { ...account })).toBe(base);
    expect(bankAccountFingerprint('key-2', account)).not.toBe(base);
    expect(bankAccountFingerprint('key-1', { ...account, bankCode: '0005' })).not.toBe(base);
    expect(bankAccountFingerprint('key-1', { ...account, branchCode: '252' })).not.toBe(base);
    expect(bankAccountFingerprint('key-1', { ...account, accountNumber: '1234568' })).not.toBe(base);
  });
});
