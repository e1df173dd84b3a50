import { conflict } from '../../shared/domain-error';
import { type FieldError, breachOf, refuseFieldErrors, required, requiredText, text } from '../../shared/field-errors';
import { calendarDate } from '../../shared/field-rules';
import { requireRole } from '../../shared/account-actor-guards';
import type { MarkWithdrawalFailed, MarkWithdrawalPaid } from '../commands';
import type { WalletEvent, WithdrawalAmounts } from '../events';
import type { WalletState } from '../state';
import { addYen } from '../yen-arithmetic';
import { amountsOf, withdrawalAwaiting } from './withdrawal-lookup';

/**
 * What both reports of a bank transfer record: the scheduled withdrawal they name, its amounts and the bank
 * account paid to. Only the platform reports transfers; `reportErrors` are the report's own field problems. A
 * report from a payout run names the run's payout date, and the withdrawal must be due on it.
 */
function reportedTransfer(
  command: MarkWithdrawalPaid | MarkWithdrawalFailed,
  state: WalletState,
  reportErrors: FieldError[],
): WithdrawalAmounts & { bankAccountId: string } {
  requireRole(command.actor, 'system', 'report a bank transfer');
  refuseFieldErrors([
    ...required('withdrawalId', command.withdrawalId),
    ...(command.payoutDate !== undefined ? breachOf('payoutDate', calendarDate(command.payoutDate, 'payoutDate')) : []),
    ...reportErrors,
  ]);
  const record = withdrawalAwaiting(state, command.withdrawalId, 'scheduled', 'WITHDRAWAL_NOT_SCHEDULED');
  if (command.payoutDate !== undefined && record.payoutDate !== command.payoutDate) {
    throw conflict('WITHDRAWAL_NOT_IN_PAYOUT_RUN', `Withdrawal ${record.withdrawalId} is due on ${record.payoutDate}, not ${command.payoutDate}.`, {
      withdrawalId: record.withdrawalId,
      payoutDate: record.payoutDate,
      reportedPayoutDate: command.payoutDate,
    });
  }
  return { ...amountsOf(command.accountId, record), bankAccountId: record.bankAccountId };
}

/** The payments gateway reports a scheduled withdrawal's bank transfer as done. */
export function markWithdrawalPaid(command: MarkWithdrawalPaid, state: WalletState): WalletEvent[] {
  const transfer = reportedTransfer(command, state, text('transferReference', command.transferReference));
  return [
    {
      type: 'WithdrawalPaid',
      data: {
        ...transfer,
        ...(command.transferReference !== undefined ? { transferReference: command.transferReference } : {}),
        paidAt: command.at,
      },
    },
  ];
}

/** The payments gateway reports a scheduled withdrawal's bank transfer as failed: the amount returns to the wallet. */
export function markWithdrawalFailed(command: MarkWithdrawalFailed, state: WalletState): WalletEvent[] {
  const transfer = reportedTransfer(command, state, requiredText('reason', command.reason));
  return [
    {
      type: 'WithdrawalFailed',
      data: { ...transfer, reason: command.reason, failedAt: command.at, availableAfter: addYen(state.available, transfer.amount) },
    },
  ];
}
