import { standardPayoutDate } from '../../calendar/business-days';
import { epochMillisOf, tokyoDateOf } from '../../calendar/civil-time';
import { withdrawalCutoffOf } from '../../calendar/withdrawal-cutoffs';
import { requireOwnerOrSupport, requireRole } from '../../shared/account-actor-guards';
import { conflict } from '../../shared/domain-error';
import { breachOf, oneOf, refuseFieldErrors } from '../../shared/field-errors';
import { calendarDate } from '../../shared/field-rules';
import { AUTOMATIC_WITHDRAWAL_MODES, automaticWithdrawalPlan, currentWithdrawalMode } from '../automatic-withdrawal-modes';
import type { ChooseWithdrawalMode, RequestAutomaticWithdrawal } from '../commands';
import type { WalletEvent } from '../events';
import type { WalletState } from '../state';
import type { WithdrawalFeePolicy } from '../withdrawal-fees';
import { screenedWithdrawal } from './request-withdrawal';

/** The owner (or support on the owner's behalf) picks the mode; choosing the mode in force again appends nothing. */
export function chooseWithdrawalMode(command: ChooseWithdrawalMode, state: WalletState): WalletEvent[] {
  requireOwnerOrSupport(command.actor, command.accountId, "choose this account's withdrawal mode");
  refuseFieldErrors(oneOf('mode', AUTOMATIC_WITHDRAWAL_MODES, command.mode));
  const previousMode = currentWithdrawalMode(state);
  if (previousMode === command.mode) return [];
  return [
    {
      type: 'WithdrawalModeChosen',
      data: {
        accountId: command.accountId,
        mode: command.mode,
        previousMode,
        chosenBy: { id: command.actor.id, role: command.actor.role },
        chosenAt: command.at,
      },
    },
  ];
}

/**
 * At a cut-off the account's mode decides: a standard withdrawal of the balance at the cut-off when it meets
 * the mode's threshold, decided as every other withdrawal (fees, balance, review); nothing below the
 * threshold, for `carry_over`, without a bank account, or when this cut-off's withdrawal already exists.
 */
export function requestAutomaticWithdrawal(command: RequestAutomaticWithdrawal, state: WalletState, feePolicy: WithdrawalFeePolicy): WalletEvent[] {
  requireRole(command.actor, 'system', 'request automatic withdrawals');
  refuseFieldErrors(breachOf('cutoff', calendarDate(command.cutoff, 'cutoff')));
  const cutoff = withdrawalCutoffOf(command.cutoff);
  if (epochMillisOf(command.at) < epochMillisOf(cutoff.at)) {
    throw conflict('CUTOFF_NOT_REACHED', `The ${cutoff.closingDate} cut-off falls at ${cutoff.at}.`, { cutoff: cutoff.closingDate, cutoffAt: cutoff.at, at: command.at });
  }
  const plan = automaticWithdrawalPlan(state, command.accountId, cutoff, feePolicy.minimumAmount);
  if (plan.outcome !== 'requested' || command.bankAccount === null) return [];
  return screenedWithdrawal(
    {
      accountId: command.accountId,
      at: command.at,
      withdrawalId: plan.withdrawalId,
      amount: plan.balance,
      mode: 'standard',
      bankAccount: command.bankAccount,
      screening: command.screening,
      ...(command.partnerBankCode !== undefined ? { partnerBankCode: command.partnerBankCode } : {}),
    },
    state,
    feePolicy,
    automaticPayoutDate(cutoff.payoutDate, command.at),
  );
}

/**
 * The cut-off's payout date; a run so late that the date has come (in Tokyo) goes to the payout date of a
 * standard withdrawal requested now, so a payment is never dated on a day whose payout run may have gone.
 */
const automaticPayoutDate = (cutoffPayoutDate: string, at: string): string =>
  cutoffPayoutDate > tokyoDateOf(at) ? cutoffPayoutDate : standardPayoutDate(at);
