import Decimal from 'decimal.js';
import { invalid } from '../shared/domain-error';

export type WithdrawalMode = 'standard' | 'quick';
export const WITHDRAWAL_MODES: readonly WithdrawalMode[] = ['standard', 'quick'];

/** The withdrawal fee rules; every amount is integer yen. */
export interface WithdrawalFeePolicy {
  minimumAmount: number;
  /** Transfers to this bank cost `partnerBankFee`, to any other bank `otherBankFee`. */
  partnerBankCode: string;
  partnerBankFee: number;
  otherBankFee: number;
  /** Quick withdrawal (クイック出金) fee: this share of the amount, truncated, but never below the minimum. */
  quickFeeRate: string;
  quickFeeMinimum: number;
}

/** Partner bank 0036 is 楽天銀行 (Rakuten Bank). */
export const DEFAULT_WITHDRAWAL_FEE_POLICY: Readonly<WithdrawalFeePolicy> = Object.freeze({
  minimumAmount: 1_000,
  partnerBankCode: '0036',
  partnerBankFee: 100,
  otherBankFee: 500,
  quickFeeRate: '0.05',
  quickFeeMinimum: 530,
});

export interface WithdrawalFeeRequest {
  /** What leaves the wallet; the fees are taken out of it. */
  amount: number;
  mode: WithdrawalMode;
  /** 4-digit bank code (金融機関コード) of the destination account. */
  bankCode: string;
  /** Overrides the policy's partner bank, for a deployment with another partner. */
  partnerBankCode?: string;
  /**
   * The whole of a balance below the minimum (its final withdrawal): the minimum does not apply, the fees
   * do, and a balance that does not cover them cannot be withdrawn (it can be forfeited).
   */
  wholeBalanceBelowMinimum?: boolean;
}

export interface WithdrawalFees {
  amount: number;
  bankFee: number;
  quickFee: number;
  totalFee: number;
  /** What the bank account receives: amount − bankFee − quickFee; always ≥ 1. */
  netAmount: number;
}

export function bankTransferFee(
  bankCode: string,
  partnerBankCode: string,
  policy: WithdrawalFeePolicy = DEFAULT_WITHDRAWAL_FEE_POLICY,
): number {
  return bankCode === partnerBankCode ? policy.partnerBankFee : policy.otherBankFee;
}

export function quickWithdrawalFee(amount: number, policy: WithdrawalFeePolicy = DEFAULT_WITHDRAWAL_FEE_POLICY): number {
  const proportional = new Decimal(amount).times(policy.quickFeeRate).toDecimalPlaces(0, Decimal.ROUND_DOWN);
  return Decimal.max(proportional, policy.quickFeeMinimum).toNumber();
}

/**
 * The fees of one withdrawal, or an `invalid` error when the amount is not whole yen, is below the
 * minimum, or would leave nothing for the bank once the fees are deducted.
 */
export function withdrawalFees(request: WithdrawalFeeRequest, policy: WithdrawalFeePolicy = DEFAULT_WITHDRAWAL_FEE_POLICY): WithdrawalFees {
  const { amount, mode } = request;
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw invalid('INVALID_AMOUNT', 'The withdrawal amount must be a positive whole number of yen.', {
      errors: [{ field: 'amount', rule: 'isPositiveInt', message: 'must be a positive whole number of yen' }],
    });
  }
  if (!WITHDRAWAL_MODES.includes(mode)) {
    throw invalid('INVALID_WITHDRAWAL_MODE', `Unknown withdrawal mode '${String(mode)}'.`, {
      errors: [{ field: 'mode', rule: 'isIn', message: `must be one of ${WITHDRAWAL_MODES.join(', ')}` }],
    });
  }
  if (amount < policy.minimumAmount && request.wholeBalanceBelowMinimum !== true) {
    throw invalid('WITHDRAWAL_BELOW_MINIMUM', `The minimum withdrawal is ¥${policy.minimumAmount}.`, {
      minimumAmount: policy.minimumAmount,
      errors: [{ field: 'amount', rule: 'min', message: `must be at least ${policy.minimumAmount}` }],
    });
  }
  const bankFee = bankTransferFee(request.bankCode, request.partnerBankCode ?? policy.partnerBankCode, policy);
  const quickFee = mode === 'quick' ? quickWithdrawalFee(amount, policy) : 0;
  const totalFee = new Decimal(bankFee).plus(quickFee);
  const netAmount = new Decimal(amount).minus(totalFee);
  if (netAmount.lte(0)) {
    throw invalid('WITHDRAWAL_FEES_EXCEED_AMOUNT', `The fees (¥${totalFee.toString()}) leave nothing of ¥${amount} to transfer.`, {
      bankFee,
      quickFee,
      errors: [{ field: 'amount', rule: 'min', message: `must be more than the fees of ${totalFee.toString()}` }],
    });
  }
  return { amount, bankFee, quickFee, totalFee: totalFee.toNumber(), netAmount: netAmount.toNumber() };
}
