import { quickPayoutDate, standardPayoutDate } from '../../calendar/business-days';
import { DomainError, conflict } from '../../shared/domain-error';
import type { WithdrawalAmounts } from '../events';
import type { WalletState, WithdrawalRecord, WithdrawalStatus } from '../state';
import type { WithdrawalMode } from '../withdrawal-fees';

/** What the commands on an existing withdrawal share: finding it, checking where it stands, its amounts. */

/** The withdrawal the command names, refused (with `code`) unless it stands at `expected`. */
export function withdrawalAwaiting(state: WalletState, withdrawalId: string, expected: WithdrawalStatus, code: string): WithdrawalRecord {
  const record = Object.prototype.hasOwnProperty.call(state.withdrawals, withdrawalId) ? state.withdrawals[withdrawalId] : undefined;
  if (!record)
    throw new DomainError('not_found', 'WITHDRAWAL_NOT_FOUND', `No withdrawal ${withdrawalId} in this wallet.`, { withdrawalId });
  if (record.status !== expected) {
    throw conflict(code, `Withdrawal ${record.withdrawalId} is ${record.status}, not ${expected}.`, {
      withdrawalId: record.withdrawalId,
      status: record.status,
    });
  }
  return record;
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
