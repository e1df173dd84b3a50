import { quickPayoutDate, standardPayoutDate } from '../../calendar/business-days';
import { DomainError, conflict } from '../../shared/domain-error';
import type { WithdrawalAmounts } from '../events';
import type { WalletState, WithdrawalRecord, WithdrawalStatus } from '../state';
import type { WithdrawalMode } from '../withdrawal-fees';

/** What the commands on an existing withdrawal share: finding it, checking where it stands, its amounts. */

export function withdrawalIn(state: WalletState, withdrawalId: string): WithdrawalRecord {
  const record = Object.prototype.hasOwnProperty.call(state.withdrawals, withdrawalId) ? state.withdrawals[withdrawalId] : undefined;
  if (!record)
    throw new DomainError('not_found', 'WITHDRAWAL_NOT_FOUND', `No withdrawal ${withdrawalId} in this wallet.`, { withdrawalId });
  return record;
}

export function requireStatus(record: WithdrawalRecord, expected: WithdrawalStatus, code: string): void {
  if (record.status !== expected) {
    throw conflict(code, `Withdrawal ${record.withdrawalId} is ${record.status}, not ${expected}.`, {
      withdrawalId: record.withdrawalId,
      status: record.status,
    });
  }
}

export const amountsOf = (accountId: string, record: WithdrawalRecord): WithdrawalAmounts => ({
  accountId,
  withdrawalId: record.withdrawalId,
  amount: record.amount,
  bankFee: record.bankFee,
  quickFee: record.quickFee,
  netAmount: record.netAmount,
});

export const payoutDateFor = (mode: WithdrawalMode, at: string): string =>
  mode === 'quick' ? quickPayoutDate(at) : standardPayoutDate(at);
