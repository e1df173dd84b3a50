import { IDENTITY_STATUSES } from '../../account/identity';
import { conflict } from '../../shared/domain-error';
import { boolean, oneOf, refuseFieldErrors, required } from '../../shared/field-errors';
import { requireAccountOwner } from '../../shared/account-actor-guards';
import type { RequestWithdrawal } from '../commands';
import type { WalletEvent } from '../events';
import { withdrawalReviewReasons } from '../review-reasons';
import { WalletState, allocateOldestFirst } from '../state';
import { WithdrawalFeePolicy, withdrawalFees } from '../withdrawal-fees';
import { subtractYen } from '../yen-arithmetic';
import { payoutDateFor } from './withdrawal-lookup';

/** The owner asks for a withdrawal: its fees, the lots it consumes, and whether support must review it first. */
export function requestWithdrawal(command: RequestWithdrawal, state: WalletState, feePolicy: WithdrawalFeePolicy): WalletEvent[] {
  requireAccountOwner(command.actor, command.accountId, 'withdraw from this wallet');
  return screenedWithdrawal(command, state, feePolicy, payoutDateFor(command.mode, command.at));
}

/** A withdrawal whoever asked for it: the owner by hand, or the platform at a cut-off by the account's mode. */
export type WithdrawalRequest = Omit<RequestWithdrawal, 'type' | 'actor'>;

/**
 * Every withdrawal's decision once its requester is known to be allowed: the fields, the fees, the balance,
 * the lots it consumes and the review reasons that apply, paid on `payoutDate` unless a review moves it.
 */
export function screenedWithdrawal(command: WithdrawalRequest, state: WalletState, feePolicy: WithdrawalFeePolicy, payoutDate: string): WalletEvent[] {
  const { bankAccount, screening } = command;
  refuseFieldErrors([
    ...required('withdrawalId', command.withdrawalId),
    ...required('bankAccount.bankAccountId', bankAccount?.bankAccountId),
    ...required('bankAccount.bankCode', bankAccount?.bankCode),
    ...required('bankAccount.fingerprint', bankAccount?.fingerprint),
    ...boolean('screening.bankAccountSharedWithOtherAccount', screening?.bankAccountSharedWithOtherAccount),
    ...oneOf('screening.identityStatus', IDENTITY_STATUSES, screening?.identityStatus),
  ]);
  if (Object.prototype.hasOwnProperty.call(state.withdrawals, command.withdrawalId)) {
    throw conflict('WITHDRAWAL_ALREADY_EXISTS', `Withdrawal ${command.withdrawalId} was already requested.`, {
      withdrawalId: command.withdrawalId,
    });
  }
  // A balance below the minimum can leave by one withdrawal of all of it (or by a forfeit).
  const wholeBalanceBelowMinimum = command.amount === state.available && state.available < feePolicy.minimumAmount;
  const fees = withdrawalFees(
    {
      amount: command.amount,
      mode: command.mode,
      bankCode: bankAccount.bankCode,
      partnerBankCode: command.partnerBankCode,
      wholeBalanceBelowMinimum,
    },
    feePolicy,
  );
  if (command.amount > state.available) {
    throw conflict('INSUFFICIENT_BALANCE', `¥${command.amount} is more than the available ¥${state.available}.`, {
      available: state.available,
      amount: command.amount,
    });
  }
  const allocations = allocateOldestFirst(state.lots, command.amount);
  const lotsBySource = new Map(state.lots.map((lot) => [lot.sourceId, lot]));
  const reviewReasons = withdrawalReviewReasons({
    amount: command.amount,
    consumedCreditFlags: allocations.map(
      ({ sourceId }) => lotsBySource.get(sourceId)?.flags ?? { noDeliverable: false, fastCompletion: false },
    ),
    screening,
    largestEarlierWithdrawal: state.largestPaidWithdrawal,
  });
  return [
    {
      type: 'WithdrawalRequested',
      data: {
        accountId: command.accountId,
        withdrawalId: command.withdrawalId,
        amount: fees.amount,
        bankFee: fees.bankFee,
        quickFee: fees.quickFee,
        netAmount: fees.netAmount,
        mode: command.mode,
        bankAccountId: bankAccount.bankAccountId,
        bankCode: bankAccount.bankCode,
        payoutDate,
        status: reviewReasons.length === 0 ? 'scheduled' : 'in_review',
        reviewReasons,
        allocations,
        requestedAt: command.at,
        availableAfter: subtractYen(state.available, command.amount),
      },
    },
  ];
}
