import { IDENTITY_STATUSES } from '../account/identity';
import { addDaysToInstant, epochMillisOf } from '../calendar/civil-time';
import { quickPayoutDate, standardPayoutDate } from '../calendar/business-days';
import { DomainError, conflict, invalid } from '../shared/domain-error';
import { instant } from '../shared/field-rules';
import {
  ApproveWithdrawal,
  CreditWallet,
  ExpireBalances,
  MarkWithdrawalFailed,
  MarkWithdrawalPaid,
  RejectWithdrawal,
  RequestWithdrawal,
  RequestWithdrawalInfo,
  WalletCommand,
} from './commands';
import type { ExpiredLot, WalletEvent, WithdrawalAmounts } from './events';
import { withdrawalReviewReasons } from './review-reasons';
import { WalletState, WithdrawalRecord, WithdrawalStatus, allocateOldestFirst } from './state';
import { DEFAULT_WITHDRAWAL_FEE_POLICY, WithdrawalFeePolicy, WithdrawalMode, withdrawalFees } from './withdrawal-fees';
import { boolean, isOneOf, refuseFieldErrors, required, requireAccountOwner, requireRole, text } from './input-checks';
import { closeWallet, forfeitBalance } from './way-out';
import { addYen, isPositiveYen, subtractYen } from './yen-arithmetic';

/** A balance not withdrawn within this many days of its credit expires. */
export const BALANCE_EXPIRY_DAYS = 180;

const CREDIT_SOURCE_KINDS = ['payout', 'refund'] as const;

// ── Withdrawal lookups ─────────────────────────────────────────────────────────────────────────

function withdrawalIn(state: WalletState, withdrawalId: string): WithdrawalRecord {
  const record = Object.prototype.hasOwnProperty.call(state.withdrawals, withdrawalId) ? state.withdrawals[withdrawalId] : undefined;
  if (!record)
    throw new DomainError('not_found', 'WITHDRAWAL_NOT_FOUND', `No withdrawal ${withdrawalId} in this wallet.`, { withdrawalId });
  return record;
}

function requireStatus(record: WithdrawalRecord, expected: WithdrawalStatus, code: string): void {
  if (record.status !== expected) {
    throw conflict(code, `Withdrawal ${record.withdrawalId} is ${record.status}, not ${expected}.`, {
      withdrawalId: record.withdrawalId,
      status: record.status,
    });
  }
}

const amountsOf = (accountId: string, record: WithdrawalRecord): WithdrawalAmounts => ({
  accountId,
  withdrawalId: record.withdrawalId,
  amount: record.amount,
  bankFee: record.bankFee,
  quickFee: record.quickFee,
  netAmount: record.netAmount,
});

export const payoutDateFor = (mode: WithdrawalMode, at: string): string =>
  mode === 'quick' ? quickPayoutDate(at) : standardPayoutDate(at);

// ── Deciders per command ───────────────────────────────────────────────────────────────────────

function creditWallet(command: CreditWallet, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'system', 'credit a wallet');
  const { source, flags } = command;
  refuseFieldErrors([
    ...(isPositiveYen(command.amount)
      ? []
      : [{ field: 'amount', rule: 'isPositiveInt', message: 'must be a positive whole number of yen' }]),
    ...(isOneOf(CREDIT_SOURCE_KINDS, source?.kind)
      ? []
      : [{ field: 'source.kind', rule: 'isIn', message: `must be one of ${CREDIT_SOURCE_KINDS.join(', ')}` }]),
    ...required('source.id', source?.id),
    ...required('source.contractId', source?.contractId),
    ...required('source.milestoneId', source?.milestoneId),
    ...boolean('flags.noDeliverable', flags?.noDeliverable),
    ...boolean('flags.fastCompletion', flags?.fastCompletion),
  ]);
  if (Object.prototype.hasOwnProperty.call(state.creditedSources, source.id)) {
    const creditedAmount = state.creditedSources[source.id];
    if (creditedAmount === command.amount) return [];
    throw conflict('CREDIT_SOURCE_CONFLICT', `Source ${source.id} was already credited with ¥${creditedAmount}, not ¥${command.amount}.`, {
      sourceId: source.id,
      creditedAmount,
      amount: command.amount,
    });
  }
  // Closure is final: what was credited before it stays, nothing new lands (a redelivery above is no new credit).
  if (state.closed) {
    throw conflict('WALLET_CLOSED', `Account ${command.accountId} is closed; it takes no new credit.`, {
      accountId: command.accountId,
      sourceId: source.id,
      amount: command.amount,
    });
  }
  return [
    {
      type: 'WalletCredited',
      data: {
        accountId: command.accountId,
        source: { kind: source.kind, id: source.id, contractId: source.contractId, milestoneId: source.milestoneId },
        amount: command.amount,
        flags: { noDeliverable: flags.noDeliverable, fastCompletion: flags.fastCompletion },
        creditedAt: command.at,
        expiresAt: addDaysToInstant(command.at, BALANCE_EXPIRY_DAYS),
        availableAfter: addYen(state.available, command.amount),
      },
    },
  ];
}

function requestWithdrawal(command: RequestWithdrawal, state: WalletState, feePolicy: WithdrawalFeePolicy): WalletEvent[] {
  requireAccountOwner(command.actor, command.accountId, 'withdraw from this wallet');
  const { bankAccount, screening } = command;
  refuseFieldErrors([
    ...required('withdrawalId', command.withdrawalId),
    ...required('bankAccount.bankAccountId', bankAccount?.bankAccountId),
    ...required('bankAccount.bankCode', bankAccount?.bankCode),
    ...required('bankAccount.fingerprint', bankAccount?.fingerprint),
    ...boolean('screening.bankAccountSharedWithOtherAccount', screening?.bankAccountSharedWithOtherAccount),
    ...(isOneOf(IDENTITY_STATUSES, screening?.identityStatus)
      ? []
      : [{ field: 'screening.identityStatus', rule: 'isIn', message: `must be one of ${IDENTITY_STATUSES.join(', ')}` }]),
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
        payoutDate: payoutDateFor(command.mode, command.at),
        status: reviewReasons.length === 0 ? 'scheduled' : 'in_review',
        reviewReasons,
        allocations,
        requestedAt: command.at,
        availableAfter: subtractYen(state.available, command.amount),
      },
    },
  ];
}

type ReviewCommand = ApproveWithdrawal | RejectWithdrawal | RequestWithdrawalInfo;

function review(command: ReviewCommand, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'support', 'review a withdrawal');
  refuseFieldErrors([...required('withdrawalId', command.withdrawalId), ...required('reason', command.reason), ...text('reason', command.reason)]);
  const record = withdrawalIn(state, command.withdrawalId);
  requireStatus(record, 'in_review', 'WITHDRAWAL_NOT_IN_REVIEW');
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

function markWithdrawalPaid(command: MarkWithdrawalPaid, state: WalletState): WalletEvent[] {
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

function markWithdrawalFailed(command: MarkWithdrawalFailed, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'system', 'report a bank transfer');
  refuseFieldErrors([...required('withdrawalId', command.withdrawalId), ...required('reason', command.reason), ...text('reason', command.reason)]);
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

function expireBalances(command: ExpireBalances, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'system', 'expire balances');
  const asOfBreach = instant(command.asOf, 'asOf');
  refuseFieldErrors(asOfBreach ? [{ field: 'asOf', ...asOfBreach }] : []);
  const asOf = epochMillisOf(command.asOf);
  if (asOf > epochMillisOf(command.at)) {
    throw invalid('EXPIRY_AS_OF_IN_FUTURE', 'Balances cannot be expired as of a time after the command.', {
      asOf: command.asOf,
      at: command.at,
    });
  }
  const lots: ExpiredLot[] = state.lots
    .filter((lot) => lot.remaining > 0 && epochMillisOf(lot.expiresAt) <= asOf)
    .map((lot) => ({ sourceId: lot.sourceId, amount: lot.remaining, creditedAt: lot.creditedAt, expiresAt: lot.expiresAt }));
  if (lots.length === 0) return [];
  const amount = addYen(...lots.map((lot) => lot.amount));
  return [
    {
      type: 'BalanceExpired',
      data: { accountId: command.accountId, amount, lots, asOf: command.asOf, availableAfter: subtractYen(state.available, amount) },
    },
  ];
}

export interface WalletDecisionOptions {
  feePolicy?: WithdrawalFeePolicy;
}

/** The events that record a wallet command's effect, or a DomainError; an empty list means "already done". */
export function decideWallet(command: WalletCommand, state: WalletState, options: WalletDecisionOptions = {}): WalletEvent[] {
  refuseFieldErrors([...required('accountId', command.accountId), ...required('actor.id', command.actor?.id)]);
  epochMillisOf(command.at);
  if (state.accountId !== null && state.accountId !== command.accountId) {
    throw conflict('WALLET_ACCOUNT_MISMATCH', `This wallet belongs to ${state.accountId}, not ${command.accountId}.`, {
      walletAccountId: state.accountId,
      accountId: command.accountId,
    });
  }
  switch (command.type) {
    case 'CreditWallet':
      return creditWallet(command, state);
    case 'RequestWithdrawal':
      return requestWithdrawal(command, state, options.feePolicy ?? DEFAULT_WITHDRAWAL_FEE_POLICY);
    case 'ApproveWithdrawal':
    case 'RejectWithdrawal':
    case 'RequestWithdrawalInfo':
      return review(command, state);
    case 'MarkWithdrawalPaid':
      return markWithdrawalPaid(command, state);
    case 'MarkWithdrawalFailed':
      return markWithdrawalFailed(command, state);
    case 'ExpireBalances':
      return expireBalances(command, state);
    case 'ForfeitBalance':
      return forfeitBalance(command, state, options.feePolicy ?? DEFAULT_WITHDRAWAL_FEE_POLICY);
    case 'CloseWallet':
      return closeWallet(command, state);
    default:
      throw invalid('UNKNOWN_COMMAND', `Unknown wallet command ${(command as { type?: unknown }).type as string}.`);
  }
}
