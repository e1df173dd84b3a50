import type { Actor } from '../shared/actor';
import type { Decider, DomainEvent } from '../shared/decider';
import { conflict, invalid } from '../shared/domain-error';

/**
 * A payment the payments gateway reports (its reference) funds one milestone only. One stream per
 * reference holds who claims it: a prepayment claims its reference before the contract records the
 * funding, and a prepayment the contract refuses releases it again, so a refused command never uses a
 * payment up. Claiming and releasing are serialised by the reference stream's expected revision.
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
export type ClaimPaymentReference = PaymentReferenceCommandBase<'ClaimPaymentReference'>;

/** The prepayment that claimed the reference was refused: the payment is free to fund a milestone again. */
export interface ReleasePaymentReference extends PaymentReferenceCommandBase<'ReleasePaymentReference'> {
  /** The refusal's code, e.g. MILESTONE_ALREADY_FUNDED. */
  reason: string;
  /**
   * Whether the claiming contract's stream records an EscrowFunded with this reference, as the caller read
   * it after the refusal. A payment that funded escrow is never released.
   */
  fundedByHolder: boolean;
}

export type PaymentReferenceCommand = ClaimPaymentReference | ReleasePaymentReference;

export type PaymentReferenceClaimed = DomainEvent<'PaymentReferenceClaimed', PaymentReferenceHolder & { paymentReference: string }>;
export type PaymentReferenceReleased = DomainEvent<
  'PaymentReferenceReleased',
  PaymentReferenceHolder & { paymentReference: string; reason: string }
>;
export type PaymentReferenceEvent = PaymentReferenceClaimed | PaymentReferenceReleased;

export const PAYMENT_REFERENCE_EVENT_SCHEMA_VERSIONS: Readonly<Record<PaymentReferenceEvent['type'], number>> = {
  PaymentReferenceClaimed: 1,
  PaymentReferenceReleased: 1,
};

export interface PaymentReferenceState {
  /** The milestone whose prepayment holds the reference; null while it is free. */
  holder: PaymentReferenceHolder | null;
}

export const initialPaymentReferenceState = (): PaymentReferenceState => ({ holder: null });

export function evolvePaymentReference(state: PaymentReferenceState, event: PaymentReferenceEvent): PaymentReferenceState {
  switch (event.type) {
    case 'PaymentReferenceClaimed':
      return { holder: { contractId: event.data.contractId, milestoneId: event.data.milestoneId } };
    case 'PaymentReferenceReleased':
      return { holder: null };
    default:
      return state;
  }
}

const sameHolder = (holder: PaymentReferenceHolder | null, command: PaymentReferenceHolder): boolean =>
  holder !== null && holder.contractId === command.contractId && holder.milestoneId === command.milestoneId;

function validateCommand(command: PaymentReferenceCommand): void {
  const errors = (['paymentReference', 'contractId', 'milestoneId'] as const)
    .filter((field) => typeof command[field] !== 'string' || command[field].length === 0)
    .map((field) => ({ field, code: 'REQUIRED', message: `${field} must be a non-empty string` }));
  if (errors.length > 0) throw invalid('INVALID_PAYMENT_REFERENCE', 'The payment reference claim is incomplete.', { errors });
}

export function decidePaymentReference(command: PaymentReferenceCommand, state: PaymentReferenceState): PaymentReferenceEvent[] {
  validateCommand(command);
  const { paymentReference, contractId, milestoneId } = command;
  switch (command.type) {
    case 'ClaimPaymentReference':
      // The same prepayment again (a retry, or another attempt after a conflict) goes on with its own claim.
      if (sameHolder(state.holder, command)) return [];
      if (state.holder !== null) {
        throw conflict('PAYMENT_REFERENCE_ALREADY_USED', `Payment ${paymentReference} has already funded another milestone.`, {
          paymentReference,
        });
      }
      return [{ type: 'PaymentReferenceClaimed', data: { paymentReference, contractId, milestoneId } }];
    case 'ReleasePaymentReference':
      // Only the claim of this milestone's prepayment is released; one already released or taken since stays.
      if (!sameHolder(state.holder, command)) return [];
      if (command.fundedByHolder) {
        throw conflict('PAYMENT_REFERENCE_IN_USE', `Payment ${paymentReference} funded milestone ${milestoneId} and stays claimed.`, {
          paymentReference,
          contractId,
          milestoneId,
        });
      }
      return [{ type: 'PaymentReferenceReleased', data: { paymentReference, contractId, milestoneId, reason: command.reason } }];
    default: {
      const unknown: { type?: unknown } = command;
      throw invalid('UNKNOWN_COMMAND', `unknown payment reference command ${String(unknown.type)}`);
    }
  }
}

export const paymentReferenceDecider: Decider<PaymentReferenceCommand, PaymentReferenceState, PaymentReferenceEvent> = {
  decide: decidePaymentReference,
  evolve: evolvePaymentReference,
  initialState: initialPaymentReferenceState,
};
