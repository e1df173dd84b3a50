import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import { DEFAULT_WITHDRAWAL_FEE_POLICY, WithdrawalFees, withdrawalFees } from './withdrawal-fees';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

describe('withdrawalFees', () => {
  it('charges ¥100 to the partner bank (0036) for a standard withdrawal', () => {
    expect(withdrawalFees({ amount: 10_000, mode: 'standard', bankCode: '0036' })).toEqual<WithdrawalFees>({
      amount: 10_000,
      bankFee: 100,
      quickFee: 0,
      totalFee: 100,
      netAmount: 9_900,
    });
  });

  it('charges ¥500 to any other bank', () => {
    expect(withdrawalFees({ amount: 10_000, mode: 'standard', bankCode: '0005' })).toMatchObject({ bankFee: 500, netAmount: 9_500 });
  });

  it('uses a configured partner bank instead of the default', () => {
    expect(withdrawalFees({ amount: 10_000, mode: 'standard', bankCode: '0036', partnerBankCode: '0038' }).bankFee).toBe(500);
    expect(withdrawalFees({ amount: 10_000, mode: 'standard', bankCode: '0038', partnerBankCode: '0038' }).bankFee).toBe(100);
  });

  it('adds 5% of the amount for a quick withdrawal, truncated', () => {
    expect(withdrawalFees({ amount: 123_459, mode: 'quick', bankCode: '0036' })).toEqual<WithdrawalFees>({
      amount: 123_459,
      bankFee: 100,
      quickFee: 6_172,
      totalFee: 6_272,
      netAmount: 117_187,
    });
  });

  it('charges at least ¥530 for a quick withdrawal', () => {
    expect(withdrawalFees({ amount: 10_000, mode: 'quick', bankCode: '0005' })).toMatchObject({
      quickFee: 530,
      totalFee: 1_030,
      netAmount: 8_970,
    });
    expect(withdrawalFees({ amount: 10_619, mode: 'quick', bankCode: '0036' }).quickFee).toBe(530);
    expect(withdrawalFees({ amount: 10_620, mode: 'quick', bankCode: '0036' }).quickFee).toBe(531);
  });

  it('accepts exactly the minimum of ¥1,000 and refuses ¥999', () => {
    expect(withdrawalFees({ amount: 1_000, mode: 'standard', bankCode: '0005' }).netAmount).toBe(500);
    expect(codeOf(() => withdrawalFees({ amount: 999, mode: 'standard', bankCode: '0036' }))).toBe('WITHDRAWAL_BELOW_MINIMUM');
  });

  it('refuses a quick withdrawal whose fees leave nothing to transfer', () => {
    expect(codeOf(() => withdrawalFees({ amount: 1_030, mode: 'quick', bankCode: '0005' }))).toBe('WITHDRAWAL_FEES_EXCEED_AMOUNT');
    expect(withdrawalFees({ amount: 1_031, mode: 'quick', bankCode: '0005' }).netAmount).toBe(1);
  });

  it('refuses fractional, negative and unsafe amounts and unknown modes as invalid input', () => {
    for (const amount of [1_000.5, -5_000, 0, Number.MAX_SAFE_INTEGER + 2, Number.NaN]) {
      expect(codeOf(() => withdrawalFees({ amount, mode: 'standard', bankCode: '0036' }))).toBe('INVALID_AMOUNT');
    }
    expect(codeOf(() => withdrawalFees({ amount: 5_000, mode: 'instant' as never, bankCode: '0036' }))).toBe('INVALID_WITHDRAWAL_MODE');
  });

  describe('properties', () => {
    const bankCode = fc.constantFrom('0036', '0001', '0005', '0009');
    const mode = fc.constantFrom<'standard' | 'quick'>('standard', 'quick');

    it('the bank receives the amount minus the fees, all in whole yen, never more than the amount', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1_031, max: 1_000_000_000_000 }), mode, bankCode, (amount, m, code) => {
          const fees = withdrawalFees({ amount, mode: m, bankCode: code });
          expect(fees.netAmount + fees.bankFee + fees.quickFee).toBe(amount);
          expect(fees.totalFee).toBe(fees.bankFee + fees.quickFee);
          for (const part of [fees.bankFee, fees.quickFee, fees.netAmount]) expect(Number.isSafeInteger(part)).toBe(true);
          expect(fees.netAmount).toBeGreaterThan(0);
        }),
      );
    });

    it('the quick fee is the larger of ¥530 and floor(5% of the amount), and zero for a standard withdrawal', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1_031, max: 1_000_000_000_000 }), bankCode, (amount, code) => {
          const quick = withdrawalFees({ amount, mode: 'quick', bankCode: code });
          const fivePercentFloor = (amount - (amount % 20)) / 20;
          expect(quick.quickFee).toBe(Math.max(DEFAULT_WITHDRAWAL_FEE_POLICY.quickFeeMinimum, fivePercentFloor));
          expect(withdrawalFees({ amount, mode: 'standard', bankCode: code }).quickFee).toBe(0);
        }),
      );
    });

    it('a larger amount never has a smaller fee nor a smaller transfer', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1_031, max: 10_000_000 }),
          fc.integer({ min: 0, max: 1_000_000 }),
          mode,
          bankCode,
          (amount, extra, m, code) => {
            const smaller = withdrawalFees({ amount, mode: m, bankCode: code });
            const larger = withdrawalFees({ amount: amount + extra, mode: m, bankCode: code });
            expect(larger.totalFee).toBeGreaterThanOrEqual(smaller.totalFee);
            expect(larger.netAmount).toBeGreaterThanOrEqual(smaller.netAmount);
          },
        ),
      );
    });
  });
});
