import { refuseFieldErrors, required, requiredText } from '../../shared/field-errors';
import { requireRole } from '../../shared/account-actor-guards';
import type { ApproveWithdrawal, RejectWithdrawal, RequestWithdrawalInfo } from '../commands';
import type { WalletEvent } from '../events';
import type { WalletState } from '../state';
import { addYen } from '../yen-arithmetic';
import { amountsOf, payoutDateFor, withdrawalAwaiting } from './withdrawal-lookup';

export type ReviewCommand = ApproveWithdrawal | RejectWithdrawal | RequestWithdrawalInfo;

/** Support's steps on a withdrawal in review: approve it, reject it (the amount returns), or ask for more. */
export function reviewWithdrawal(command: ReviewCommand, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'support', 'review a withdrawal');
  refuseFieldErrors([...required('withdrawalId', command.withdrawalId), ...requiredText('reason', command.reason)]);
  const record = withdrawalAwaiting(state, command.withdrawalId, 'in_review', 'WITHDRAWAL_NOT_IN_REVIEW');
  const step = { ...amountsOf(command.accountId, record), reviewerId: command.actor.id, reason: command.reason, reviewedAt: command.at };
  switch (command.type) {
    case 'ApproveWithdrawal': {
      // A balance is finalised when it is approved, so a late approval moves the payout date on, never back.
      const recomputed = payoutDateFor(record.mode, command.at);
      return [
        { type: 'WithdrawalApproved', data: { ...step, payoutDate: recomputed > record.payoutDate ? recomputed : record.payoutDate } },
      ];
    }
    case 'RejectWithdrawal':
      return [{ type: 'WithdrawalRejected', data: { ...step, availableAfter: addYen(state.available, record.amount) } }];
    case 'RequestWithdrawalInfo':
      return [{ type: 'WithdrawalInfoRequested', data: step }];
  }
}
