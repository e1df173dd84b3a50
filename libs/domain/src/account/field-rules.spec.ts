import { DomainError } from '../shared/domain-error';
import type { Actor } from '../shared/actor';
import { decideAccount } from './decide';
import { initialAccountState } from './state';

/** The shared free-text rule as the account decider applies it. */
const OWNER: Actor = { id: 'acc-1', role: 'user' };
const APRIL_1 = '2026-04-01T00:00:00Z';

describe('free text in account commands', () => {
  const refusal = (holderName: string) => {
    try {
      decideAccount(
        {
          type: 'RegisterBankAccount',
          accountId: OWNER.id,
          actor: OWNER,
          at: APRIL_1,
          bankAccountId: 'bank-1',
          bankCode: '0036',
          branchCode: '251',
          accountNumber: '1234567',
          holderName,
          fingerprint: 'hmac-1',
        },
        initialAccountState(),
      );
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    return undefined;
  };

  it('refuses a holder name with NUL or a lone surrogate, and keeps one in katakana', () => {
    expect(refusal('ヤマダ\u0000タロウ')?.details?.errors).toEqual([expect.objectContaining({ field: 'holderName', rule: 'freeText' })]);
    expect(refusal('ヤマダ \udfff')?.details?.errors).toEqual([expect.objectContaining({ field: 'holderName', rule: 'freeText' })]);
    expect(refusal('ヤマダ タロウ')).toBeUndefined();
  });
});
