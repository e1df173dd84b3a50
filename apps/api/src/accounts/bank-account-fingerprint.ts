import { createHmac } from 'node:crypto';

export interface BankAccountIdentity {
  bankCode: string;
  branchCode: string;
  accountNumber: string;
}

/**
 * The keyed hash (HMAC-SHA256, hex) that stands for a bank account in events and read models. The
 * same bank, branch and number give the same fingerprint on every account, which is how one bank
 * account registered to several accounts is found; without the key the number cannot be recovered
 * from it by trying the few million possible numbers of a branch.
 */
export function bankAccountFingerprint(key: string, account: BankAccountIdentity): string {
  return createHmac('sha256', key).update(`${account.bankCode}:${account.branchCode}:${account.accountNumber}`).digest('hex');
}
