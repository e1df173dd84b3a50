import { createHash } from 'node:crypto';
import { epochMillisOf } from '../calendar/civil-time';
import type { WithdrawalCutoff } from '../calendar/withdrawal-cutoffs';
import { MAX_ID_LENGTH } from '../shared/limits';
import type { WalletState } from './state';
import { DEFAULT_WITHDRAWAL_FEE_POLICY } from './withdrawal-fees';
import { addYen } from './yen-arithmetic';

/**
 * How an account's balance leaves at each standard withdrawal cut-off (出金方法):
 * - `on_cutoff` (随時出金): all of it, automatically, whenever it is at least ¥1,000 at the cut-off;
 * - `over_50000` (50,000円以上出金): all of it, automatically, once it is at least ¥50,000 at the cut-off;
 * - `carry_over` (キャリーオーバー): never automatically; it stays until the owner withdraws it.
 */
export type AutomaticWithdrawalMode = 'on_cutoff' | 'over_50000' | 'carry_over';
export const AUTOMATIC_WITHDRAWAL_MODES: readonly AutomaticWithdrawalMode[] = ['on_cutoff', 'over_50000', 'carry_over'];

/** A new account's mode: the marketplace starts every account on 随時出金 until its owner picks another. */
export const DEFAULT_AUTOMATIC_WITHDRAWAL_MODE: AutomaticWithdrawalMode = 'on_cutoff';

/** The balance at a cut-off from which the mode withdraws it; null for a mode that never does. */
export const AUTOMATIC_WITHDRAWAL_THRESHOLDS: Readonly<Record<AutomaticWithdrawalMode, number | null>> = Object.freeze({
  on_cutoff: 1_000,
  over_50000: 50_000,
  carry_over: null,
});

/**
 * One id per account and cut-off, so that a repeated or racing run finds the withdrawal already there:
 * `automatic-{closingDate}-{accountId}`. Withdrawal ids are global (a withdrawal is read and reviewed by its id
 * alone) and bounded like every id; an account id too long for the readable form is replaced by its SHA-256.
 */
export function automaticWithdrawalIdOf(accountId: string, cutoff: Pick<WithdrawalCutoff, 'closingDate'>): string {
  const readable = `automatic-${cutoff.closingDate}-${accountId}`;
  return readable.length <= MAX_ID_LENGTH ? readable : `automatic-${cutoff.closingDate}-sha256-${createHash('sha256').update(accountId).digest('hex')}`;
}

/** The mode in force at an instant: the last choice made before it, or the default. */
export function automaticWithdrawalModeAt(state: WalletState, instant: string): AutomaticWithdrawalMode {
  const millis = epochMillisOf(instant);
  const choices = state.withdrawalModeChoices.filter((choice) => epochMillisOf(choice.chosenAt) < millis);
  return choices.at(-1)?.mode ?? DEFAULT_AUTOMATIC_WITHDRAWAL_MODE;
}

/** The mode chosen last, or the default. */
export const currentWithdrawalMode = (state: WalletState): AutomaticWithdrawalMode =>
  state.withdrawalModeChoices.at(-1)?.mode ?? DEFAULT_AUTOMATIC_WITHDRAWAL_MODE;

/**
 * The balance at a cut-off: what remains of the credits that landed before it. Credits are kept oldest first
 * and withdrawals draw from the oldest, so a withdrawal of this amount takes exactly these credits; money that
 * landed after the cut-off waits for the next one.
 */
export function balanceAtCutoff(state: WalletState, cutoff: Pick<WithdrawalCutoff, 'at'>): number {
  const millis = epochMillisOf(cutoff.at);
  return addYen(...state.lots.filter((lot) => epochMillisOf(lot.creditedAt) < millis).map((lot) => lot.remaining));
}

export type AutomaticWithdrawalOutcome = 'requested' | 'already_requested' | 'carry_over' | 'below_threshold';

export interface AutomaticWithdrawalPlan {
  outcome: AutomaticWithdrawalOutcome;
  mode: AutomaticWithdrawalMode;
  withdrawalId: string;
  /** The balance at the cut-off; what a `requested` plan withdraws. */
  balance: number;
  threshold: number | null;
}

/**
 * What a cut-off implies for a wallet, before any bank account or screening is looked at. A deployment whose
 * withdrawal minimum is above a mode's threshold raises the threshold to it: an automatic withdrawal is never
 * one the owner could not have asked for.
 */
export function automaticWithdrawalPlan(
  state: WalletState,
  accountId: string,
  cutoff: WithdrawalCutoff,
  withdrawalMinimum = DEFAULT_WITHDRAWAL_FEE_POLICY.minimumAmount,
): AutomaticWithdrawalPlan {
  const mode = automaticWithdrawalModeAt(state, cutoff.at);
  const withdrawalId = automaticWithdrawalIdOf(accountId, cutoff);
  const modeThreshold = AUTOMATIC_WITHDRAWAL_THRESHOLDS[mode];
  const threshold = modeThreshold === null ? null : Math.max(modeThreshold, withdrawalMinimum);
  const balance = balanceAtCutoff(state, cutoff);
  const outcome: AutomaticWithdrawalOutcome = Object.prototype.hasOwnProperty.call(state.withdrawals, withdrawalId)
    ? 'already_requested'
    : threshold === null
      ? 'carry_over'
      : balance < threshold
        ? 'below_threshold'
        : 'requested';
  return { outcome, mode, withdrawalId, balance, threshold };
}
