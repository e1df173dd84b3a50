import type { Actor } from '../shared/actor';
import type { Decider, DomainEvent } from '../shared/decider';
import { conflict, invalid, unknownCommand } from '../shared/domain-error';

/**
 * A payment the payments gateway reports (its reference) funds one milestone only. One stream per
 * reference holds who claims it: a prepayment claims its reference before the contract records the
 * funding, and a prepayment the contract refuses releases it again, so a refused command never uses a
 * payment up. Claiming and releasing are serialised by the reference stream's expected revision.
 *
 * Two prepayments of the same milestone with the same payment may be under way at once (a client's double
 * click, two gateway reports): each is a claimant of the one claim, and the claim is released only when the
 * last claimant was refused, so a refused twin never frees a payment the other is about to record.
 */

export interface PaymentReferenceHolder {
  contractId: string;
  milestoneId: string;
}

interface PaymentReferenceCommandBase<Type extends string> extends PaymentReferenceHolder {
  type: Type;
  paymentReference: string;
  actor: Actor;
  /** ISO-8601 instant. */
  at: string;
}

/** The prepayment of this milestone is about to be recorded with this payment. */
export interface ClaimPaymentReference extends PaymentReferenceCommandBase<'ClaimPaymentReference'> {
  /** Names the prepayment that claims (the same for its retries), among others of the same milestone. */
  claimant: string;
}

/** The prepayment that claimed the reference was refused: once no claimant is left, the payment is free again. */
export interface ReleasePaymentReference extends PaymentReferenceCommandBase<'ReleasePaymentReference'> {
  claimant: string;
  /** The refusal's code, e.g. MILESTONE_ALREADY_FUNDED. */
  reason: string;
  /**
   * Whether the claiming contract's stream records an EscrowFunded with this reference, as the caller read
   * it after the refusal. A payment that funded escrow is never released.
   */
  fundedByHolder: boolean;
}

export type PaymentReferenceCommand = ClaimPaymentReference | ReleasePaymentReference;

/** Version 2 names its claimant; a version-1 claim is read with `claimant: null` (made before claimants were kept). */
export type PaymentReferenceClaimed = DomainEvent<
  'PaymentReferenceClaimed',
  PaymentReferenceHolder & { paymentReference: string; claimant: string | null }
>;
/** Another prepayment of the holding milestone joined the claim. */
export type PaymentReferenceClaimJoined = DomainEvent<'PaymentReferenceClaimJoined', PaymentReferenceHolder & { paymentReference: string; claimant: string }>;
/** A claimant was refused while another claimant of the same milestone still holds the claim. */
export type PaymentReferenceClaimLeft = DomainEvent<
  'PaymentReferenceClaimLeft',
  PaymentReferenceHolder & { paymentReference: string; claimant: string; reason: string }
>;
export type PaymentReferenceReleased = DomainEvent<
  'PaymentReferenceReleased',
  PaymentReferenceHolder & { paymentReference: string; reason: string }
>;
export type PaymentReferenceEvent = PaymentReferenceClaimed | PaymentReferenceClaimJoined | PaymentReferenceClaimLeft | PaymentReferenceReleased;

export const PAYMENT_REFERENCE_EVENT_SCHEMA_VERSIONS: Readonly<Record<PaymentReferenceEvent['type'], number>> = {
  PaymentReferenceClaimed: 2,
  PaymentReferenceClaimJoined: 1,
  PaymentReferenceClaimLeft: 1,
  PaymentReferenceReleased: 1,
};

/** From version 1 to 2 of PaymentReferenceClaimed: the claimant of a claim made before claimants were kept is unknown. */
export const PAYMENT_REFERENCE_UPCASTERS = {
  PaymentReferenceClaimed: { 1: (data: Record<string, unknown>) => ({ ...data, claimant: null }) },
} as const;

export interface PaymentReferenceState {
  /** The milestone whose prepayment holds the reference; null while it is free. */
  holder: PaymentReferenceHolder | null;
  /** The prepayments holding the claim; null stands for a claimant from before claimants were kept. */
  claimants: readonly (string | null)[];
}

export const initialPaymentReferenceState = (): PaymentReferenceState => ({ holder: null, claimants: [] });

export function evolvePaymentReference(state: PaymentReferenceState, event: PaymentReferenceEvent): PaymentReferenceState {
  switch (event.type) {
    case 'PaymentReferenceClaimed':
      return { holder: { contractId: event.data.contractId, milestoneId: event.data.milestoneId }, claimants: [event.data.claimant] };
    case 'PaymentReferenceClaimJoined':
      return { ...state, claimants: [...state.claimants, event.data.claimant] };
    case 'PaymentReferenceClaimLeft':
      return { ...state, claimants: withoutClaimant(state.claimants, event.data.claimant) };
    case 'PaymentReferenceReleased':
      return { holder: null, claimants: [] };
    default:
      return state;
  }
}

/** The claimants once this one left; a claimant unknown by name (null) stands for whoever claimed before names were kept. */
function withoutClaimant(claimants: readonly (string | null)[], claimant: string): (string | null)[] {
  const at = claimants.includes(claimant) ? claimants.indexOf(claimant) : claimants.indexOf(null);
  return at < 0 ? [...claimants] : [...claimants.slice(0, at), ...claimants.slice(at + 1)];
}

const sameHolder = (holder: PaymentReferenceHolder | null, command: PaymentReferenceHolder): boolean =>
  holder !== null && holder.contractId === command.contractId && holder.milestoneId === command.milestoneId;

function validateCommand(command: PaymentReferenceCommand): void {
  const errors = (['paymentReference', 'contractId', 'milestoneId', 'claimant'] as const)
    .filter((field) => typeof command[field] !== 'string' || command[field].length === 0)
    .map((field) => ({ field, code: 'REQUIRED', message: `${field} must be a non-empty string` }));
  if (errors.length > 0) throw invalid('INVALID_PAYMENT_REFERENCE', 'The payment reference claim is incomplete.', { errors });
}

export function decidePaymentReference(command: PaymentReferenceCommand, state: PaymentReferenceState): PaymentReferenceEvent[] {
  validateCommand(command);
  const { paymentReference, contractId, milestoneId } = command;
  switch (command.type) {
    case 'ClaimPaymentReference': {
      const { claimant } = command;
      if (sameHolder(state.holder, command)) {
        // The same prepayment again (a retry, another attempt after a conflict) goes on with its own claim;
        // another prepayment of the same milestone joins it.
        return state.claimants.includes(claimant) ? [] : [{ type: 'PaymentReferenceClaimJoined', data: { paymentReference, contractId, milestoneId, claimant } }];
      }
      if (state.holder !== null) {
        throw conflict('PAYMENT_REFERENCE_ALREADY_USED', `Payment ${paymentReference} has already funded another milestone.`, {
          paymentReference,
        });
      }
      return [{ type: 'PaymentReferenceClaimed', data: { paymentReference, contractId, milestoneId, claimant } }];
    }
    case 'ReleasePaymentReference': {
      // Only a claimant of this milestone's claim leaves it; a claim already released or taken since stays.
      if (!sameHolder(state.holder, command)) return [];
      const { claimant, reason } = command;
      if (!state.claimants.includes(claimant) && !state.claimants.includes(null)) return [];
      if (command.fundedByHolder) {
        throw conflict('PAYMENT_REFERENCE_IN_USE', `Payment ${paymentReference} funded milestone ${milestoneId} and stays claimed.`, {
          paymentReference,
          contractId,
          milestoneId,
        });
      }
      if (withoutClaimant(state.claimants, claimant).length > 0) {
        return [{ type: 'PaymentReferenceClaimLeft', data: { paymentReference, contractId, milestoneId, claimant, reason } }];
      }
      return [{ type: 'PaymentReferenceReleased', data: { paymentReference, contractId, milestoneId, reason } }];
    }
    default:
      throw unknownCommand('payment reference', command);
  }
}

export const paymentReferenceDecider: Decider<PaymentReferenceCommand, PaymentReferenceState, PaymentReferenceEvent> = {
  decide: decidePaymentReference,
  evolve: evolvePaymentReference,
  initialState: initialPaymentReferenceState,
};
