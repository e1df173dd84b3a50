import { DEFAULT_WITHDRAWAL_FEE_POLICY } from '../wallet/withdrawal-fees';
import type { IdentityStatus } from './identity';

/**
 * Why an account cannot be closed (退会できない理由). Listed in this order when several apply.
 * The eligibility query and the CloseAccount command both use closureBlockers, so they always agree.
 */
export type ClosureBlocker =
  | 'OPEN_CONTRACT_AS_CLIENT'
  | 'OPEN_CONTRACT_AS_WORKER'
  | 'UNSETTLED_ESCROW'
  | 'WALLET_BALANCE'
  | 'WALLET_BALANCE_BELOW_MINIMUM'
  | 'WITHDRAWAL_IN_PROGRESS'
  | 'IDENTITY_VERIFICATION_IN_REVIEW';

export const CLOSURE_BLOCKERS: readonly ClosureBlocker[] = [
  'OPEN_CONTRACT_AS_CLIENT',
  'OPEN_CONTRACT_AS_WORKER',
  'UNSETTLED_ESCROW',
  'WALLET_BALANCE',
  'WALLET_BALANCE_BELOW_MINIMUM',
  'WITHDRAWAL_IN_PROGRESS',
  'IDENTITY_VERIFICATION_IN_REVIEW',
];

/** What the streams say about an account, gathered by the caller (see contractClosureFacts). Counts and yen amounts. */
export interface ClosureFacts {
  /** Offers and contracts not yet ended (declined, withdrawn, completed or terminated) with this account as client. */
  openContractsAsClient: number;
  openContractsAsWorker: number;
  /** Escrow funded by or for this account's contracts and neither paid out nor refunded, in yen. */
  unsettledEscrow: number;
  /** Available wallet balance in yen, with the payouts and refunds to the account its wallet has not credited yet. */
  walletAvailable: number;
  /** Withdrawals in review or scheduled. */
  withdrawalsInProgress: number;
  identityStatus: IdentityStatus;
}

/**
 * A balance at or above the withdrawal minimum is withdrawn before closing (WALLET_BALANCE); one below it
 * (WALLET_BALANCE_BELOW_MINIMUM) leaves by one final withdrawal of all of it, or by a recorded forfeit.
 */
export function closureBlockers(facts: ClosureFacts, withdrawalMinimum = DEFAULT_WITHDRAWAL_FEE_POLICY.minimumAmount): ClosureBlocker[] {
  const applies: Record<ClosureBlocker, boolean> = {
    OPEN_CONTRACT_AS_CLIENT: facts.openContractsAsClient > 0,
    OPEN_CONTRACT_AS_WORKER: facts.openContractsAsWorker > 0,
    UNSETTLED_ESCROW: facts.unsettledEscrow > 0,
    WALLET_BALANCE: facts.walletAvailable >= withdrawalMinimum,
    WALLET_BALANCE_BELOW_MINIMUM: facts.walletAvailable > 0 && facts.walletAvailable < withdrawalMinimum,
    WITHDRAWAL_IN_PROGRESS: facts.withdrawalsInProgress > 0,
    IDENTITY_VERIFICATION_IN_REVIEW: facts.identityStatus === 'submitted',
  };
  return CLOSURE_BLOCKERS.filter((blocker) => applies[blocker]);
}

export interface ClosureEligibility {
  eligible: boolean;
  reasons: ClosureBlocker[];
}

export function closureEligibility(facts: ClosureFacts): ClosureEligibility {
  const reasons = closureBlockers(facts);
  return { eligible: reasons.length === 0, reasons };
}
