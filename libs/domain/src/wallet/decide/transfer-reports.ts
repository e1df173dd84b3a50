import { refuseFieldErrors, required, text } from '../../shared/field-errors';
import { requireRole } from '../../shared/account-actor-guards';
import type { MarkWithdrawalFailed, MarkWithdrawalPaid } from '../commands';
import type { WalletEvent } from '../events';
import type { WalletState } from '../state';
import { addYen } from '../yen-arithmetic';
import { amountsOf, requireStatus, withdrawalIn } from './withdrawal-lookup';

/** The payments gateway reports a scheduled withdrawal's bank transfer as done. */
export function markWithdrawalPaid(command: MarkWithdrawalPaid, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'system', 'report a bank transfer');
  refuseFieldErrors([...required('withdrawalId', command.withdrawalId), ...text('transferReference', command.transferReference)]);
  const record = withdrawalIn(state, command.withdrawalId);
  requireStatus(record, 'scheduled', 'WITHDRAWAL_NOT_SCHEDULED');
  return [
    {
      type: 'WithdrawalPaid',
      data: {
        ...amountsOf(command.accountId, record),
        bankAccountId: record.bankAccountId,
        ...(command.transferReference !== undefined ? { transferReference: command.transferReference } : {}),
        paidAt: command.at,
      },
    },
  ];
}

/** The payments gateway reports a scheduled withdrawal's bank transfer as failed: the amount returns to the wallet. */
export function markWithdrawalFailed(command: MarkWithdrawalFailed, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'system', 'report a bank transfer');
  refuseFieldErrors([
    ...required('withdrawalId', command.withdrawalId),
    ...required('reason', command.reason),
    ...text('reason', command.reason),
  ]);
  const record = withdrawalIn(state, command.withdrawalId);
  requireStatus(record, 'scheduled', 'WITHDRAWAL_NOT_SCHEDULED');
  return [
    {
      type: 'WithdrawalFailed',
      data: {
        ...amountsOf(command.accountId, record),
        bankAccountId: record.bankAccountId,
        reason: command.reason,
        failedAt: command.at,
        availableAfter: addYen(state.available, record.amount),
      },
    },
  ];
}
