import { conflict } from '../../shared/domain-error';
import { refuseFieldErrors, required, requiredText } from '../../shared/field-errors';
import { requireAccountOwner, requireRole } from '../../shared/account-actor-guards';
import { MAX_REASON_LENGTH } from '../../shared/limits';
import type { AnswerWithdrawalInfoRequest, ApproveWithdrawal, RejectWithdrawal, RequestWithdrawalInfo } from '../commands';
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

/**
 * The owner answers support's request for information: only while the withdrawal is in review and a request awaits
 * an answer, once per request. The withdrawal stays in review; support approves or rejects it as before.
 */
export function answerWithdrawalInfoRequest(command: AnswerWithdrawalInfoRequest, state: WalletState): WalletEvent[] {
  requireAccountOwner(command.actor, command.accountId, 'answer a request for information on their withdrawal');
  refuseFieldErrors([...required('withdrawalId', command.withdrawalId), ...requiredText('answer', command.answer), ...bounded('answer', command.answer, MAX_REASON_LENGTH)]);
  const record = withdrawalAwaiting(state, command.withdrawalId, 'in_review', 'WITHDRAWAL_NOT_IN_REVIEW');
  if (record.infoAwaitedSince === null) {
    const asked = record.reviewSteps.some((step) => step.action === 'info_requested');
    throw conflict(
      asked ? 'WITHDRAWAL_INFO_ALREADY_PROVIDED' : 'WITHDRAWAL_INFO_NOT_REQUESTED',
      asked
        ? `The request for information on withdrawal ${record.withdrawalId} was answered already; support may ask again.`
        : `Support has not asked for information on withdrawal ${record.withdrawalId}.`,
      { withdrawalId: record.withdrawalId },
    );
  }
  return [
    {
      type: 'WithdrawalInfoProvided',
      data: {
        accountId: command.accountId,
        withdrawalId: record.withdrawalId,
        answer: command.answer,
        infoRequestedAt: record.infoAwaitedSince,
        providedAt: command.at,
      },
    },
  ];
}

/** Text within its length, as the contract decider bounds a reason (the HTTP layer checks it first). */
const bounded = (field: string, value: unknown, max: number) =>
  typeof value === 'string' && value.length > max ? [{ field, rule: 'maxLength', message: `must be at most ${max} characters` }] : [];
