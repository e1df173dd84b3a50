import { type DomainEvent, eventGuardOf } from '../shared/decider';
import type { Deliverable, MilestoneTerms, PaymentMethod } from './commands';
import type { PartyRef } from './view-types';

/**
 * Facts of the contract stream. Data only: the application layer wraps each event with its
 * metadata (event id, schema version, occurredAt, actor, correlation, causation, idempotency key).
 * Amounts are integers of yen; `amount` of a milestone is tax-exclusive, all money movements gross.
 * Money events carry clientId and workerId so that ledgers and wallets need no lookups.
 */

export interface MilestoneWithGross extends MilestoneTerms {
  gross: number;
}

/** The whole offer: what the client offers the worker, in which milestones, under which fee schedule. */
export interface OfferData {
  contractId: string;
  clientId: string;
  workerId: string;
  title: string;
  milestones: MilestoneTerms[];
  /** null: the default schedule in force at acceptance will apply. */
  feeScheduleId: string | null;
}

export interface ContractOfferedData extends OfferData {
  offeredAt: string;
}

/** Carries the whole amended offer, not a diff, so the offer reads from one event. */
export type OfferAmendedData = OfferData;

export interface OfferClosedData {
  contractId: string;
  clientId: string;
  workerId: string;
  reason?: string;
}

export interface ContractAcceptedData {
  contractId: string;
  clientId: string;
  workerId: string;
  title: string;
  feeScheduleId: string;
  taxRate: string;
  milestones: MilestoneWithGross[];
  totalGross: number;
  acceptedAt: string;
}

export interface EscrowFundedData {
  contractId: string;
  milestoneId: string;
  clientId: string;
  workerId: string;
  /** Gross paid into escrow by this prepayment. */
  amount: number;
  paymentReference: string;
  method: PaymentMethod;
  /** Milestone escrow balance after this prepayment. */
  escrowAfter: number;
}

export interface MilestoneDeliveredData {
  contractId: string;
  milestoneId: string;
  clientId: string;
  workerId: string;
  /** Empty when the work was handed over outside the platform. */
  deliverables: Deliverable[];
  message?: string;
  /** 1 for the first delivery, 2 after one revision request, … */
  deliveryNumber: number;
  deliveredAt: string;
}

export interface RevisionRequestedData {
  contractId: string;
  milestoneId: string;
  reason: string;
}

export interface MilestoneInspectedData {
  contractId: string;
  milestoneId: string;
  clientId: string;
  workerId: string;
  /**
   * `support` when support completed the inspection for a silent client; `automatic` when the service did, the
   * client having left the latest delivery unanswered for `inspectedAfterMs`.
   */
  inspectedBy: 'client' | 'support' | 'automatic';
  supportId?: string;
  reason?: string;
  /** With `automatic`: the deployment's period (AUTO_INSPECTION_AFTER, in milliseconds) the client let pass. */
  inspectedAfterMs?: number;
}

export interface FeeTierPortion {
  rate: string;
  from: number;
  upTo: number | null;
  grossInTier: number;
}

export interface MilestonePaidOutData {
  contractId: string;
  milestoneId: string;
  clientId: string;
  workerId: string;
  /** Escrow released by this payout. */
  gross: number;
  feeExTax: number;
  feeTax: number;
  /** feeExTax + feeTax, charged to the worker. */
  fee: number;
  /** gross − fee, credited to the worker's wallet. */
  net: number;
  tiers: FeeTierPortion[];
  /** Gross paid out in this contract before / after this payout (the fee tiers apply to it). */
  cumulativeGrossBefore: number;
  cumulativeGrossAfter: number;
  cumulativeFeeAfter: number;
  scheduleId: string;
  taxRate: string;
  /** `settlement`: the settlement job after inspection; `support_termination`: a split on termination. */
  cause: 'settlement' | 'support_termination';
}

export type RefundCause = 'support' | 'system' | 'terms_change' | 'termination';

export interface EscrowRefundedData {
  contractId: string;
  milestoneId: string;
  clientId: string;
  workerId: string;
  /** Gross returned to the client's wallet. */
  amount: number;
  reason: string;
  cause: RefundCause;
  /** Milestone escrow balance after this refund. */
  escrowAfter: number;
}

export interface ProposedMilestoneChange {
  milestoneId: string;
  amount?: number;
  dueDate?: string;
}

export interface TermsChangeProposedData {
  contractId: string;
  changeId: string;
  proposedBy: PartyRef;
  changes: ProposedMilestoneChange[];
  newMilestones: MilestoneTerms[];
  reason?: string;
  proposedAt: string;
}

export interface AppliedMilestoneChange {
  milestoneId: string;
  previousAmount: number;
  amount: number;
  previousGross: number;
  gross: number;
  previousDueDate: string;
  dueDate: string;
}

/** Followed in the same decision by one EscrowRefunded (cause terms_change) per reduced funded milestone. */
export interface TermsChangeAcceptedData {
  contractId: string;
  changeId: string;
  clientId: string;
  workerId: string;
  acceptedBy: PartyRef;
  changes: AppliedMilestoneChange[];
  newMilestones: MilestoneWithGross[];
}

export interface TermsChangeRejectedData {
  contractId: string;
  changeId: string;
  rejectedBy: PartyRef;
  reason?: string;
}

export interface MilestoneCancelledData {
  contractId: string;
  milestoneId: string;
  reason: string;
}

export interface TerminationRequestedData {
  contractId: string;
  requestedBy: PartyRef;
  reason: string;
  requestedAt: string;
}

export interface TerminationRejectedData {
  contractId: string;
  rejectedBy: PartyRef;
  reason?: string;
}

export interface ContractTerminatedData {
  contractId: string;
  clientId: string;
  workerId: string;
  /**
   * `agreement`: the counterparty accepted a request; `unanswered`: the counterparty left it unanswered past the
   * answer period and the service completed it on the same terms; `support`: support terminated it.
   */
  terminatedBy: 'agreement' | 'unanswered' | 'support';
  reason: string;
  requestedBy?: PartyRef;
  supportId?: string;
  cancelledMilestoneIds: string[];
  /** Gross refunded to the client by this termination. */
  refundedTotal: number;
  /** Gross paid out to the worker by a support split in this termination. */
  paidOutGross: number;
  acceptedAt: string;
  terminatedAt: string;
}

export interface ContractCompletedData {
  contractId: string;
  clientId: string;
  workerId: string;
  paidOutGross: number;
  fees: number;
  net: number;
  refunded: number;
  acceptedAt: string;
  completedAt: string;
}

export interface ContactReminderRequestedData {
  contractId: string;
  reminderId: string;
  requestedBy: PartyRef;
  /** The party support is asked to prompt. */
  counterparty: PartyRef;
  message?: string;
  requestedAt: string;
}

export interface ContactReminderDecidedData {
  contractId: string;
  reminderId: string;
  supportId: string;
  reason?: string;
  decidedAt: string;
}

export interface ContactReminderDeniedData extends ContactReminderDecidedData {
  reason: string;
}

export type ContractOffered = DomainEvent<'ContractOffered', ContractOfferedData>;
export type OfferAmended = DomainEvent<'OfferAmended', OfferAmendedData>;
export type OfferWithdrawn = DomainEvent<'OfferWithdrawn', OfferClosedData>;
export type OfferDeclined = DomainEvent<'OfferDeclined', OfferClosedData>;
export type ContractAccepted = DomainEvent<'ContractAccepted', ContractAcceptedData>;
export type EscrowFunded = DomainEvent<'EscrowFunded', EscrowFundedData>;
export type MilestoneDelivered = DomainEvent<'MilestoneDelivered', MilestoneDeliveredData>;
export type RevisionRequested = DomainEvent<'RevisionRequested', RevisionRequestedData>;
export type MilestoneInspected = DomainEvent<'MilestoneInspected', MilestoneInspectedData>;
export type MilestonePaidOut = DomainEvent<'MilestonePaidOut', MilestonePaidOutData>;
export type EscrowRefunded = DomainEvent<'EscrowRefunded', EscrowRefundedData>;
export type TermsChangeProposed = DomainEvent<'TermsChangeProposed', TermsChangeProposedData>;
export type TermsChangeAccepted = DomainEvent<'TermsChangeAccepted', TermsChangeAcceptedData>;
export type TermsChangeRejected = DomainEvent<'TermsChangeRejected', TermsChangeRejectedData>;
export type MilestoneCancelled = DomainEvent<'MilestoneCancelled', MilestoneCancelledData>;
export type TerminationRequested = DomainEvent<'TerminationRequested', TerminationRequestedData>;
export type TerminationRejected = DomainEvent<'TerminationRejected', TerminationRejectedData>;
export type ContractTerminated = DomainEvent<'ContractTerminated', ContractTerminatedData>;
export type ContractCompleted = DomainEvent<'ContractCompleted', ContractCompletedData>;
export type ContactReminderRequested = DomainEvent<'ContactReminderRequested', ContactReminderRequestedData>;
export type ContactReminderApproved = DomainEvent<'ContactReminderApproved', ContactReminderDecidedData>;
export type ContactReminderDenied = DomainEvent<'ContactReminderDenied', ContactReminderDeniedData>;

export type ContractEvent =
  | ContractOffered
  | OfferAmended
  | OfferWithdrawn
  | OfferDeclined
  | ContractAccepted
  | EscrowFunded
  | MilestoneDelivered
  | RevisionRequested
  | MilestoneInspected
  | MilestonePaidOut
  | EscrowRefunded
  | TermsChangeProposed
  | TermsChangeAccepted
  | TermsChangeRejected
  | MilestoneCancelled
  | TerminationRequested
  | TerminationRejected
  | ContractTerminated
  | ContractCompleted
  | ContactReminderRequested
  | ContactReminderApproved
  | ContactReminderDenied;

export type ContractEventType = ContractEvent['type'];

/** Current data-shape version of each event type; a change of shape bumps it and adds an upcaster. */
export const CONTRACT_EVENT_SCHEMA_VERSIONS: Readonly<Record<ContractEventType, number>> = {
  ContractOffered: 1,
  OfferAmended: 1,
  OfferWithdrawn: 1,
  OfferDeclined: 1,
  ContractAccepted: 1,
  EscrowFunded: 1,
  MilestoneDelivered: 1,
  RevisionRequested: 1,
  MilestoneInspected: 1,
  MilestonePaidOut: 1,
  EscrowRefunded: 1,
  TermsChangeProposed: 1,
  TermsChangeAccepted: 1,
  TermsChangeRejected: 1,
  MilestoneCancelled: 1,
  TerminationRequested: 1,
  TerminationRejected: 1,
  ContractTerminated: 1,
  ContractCompleted: 1,
  ContactReminderRequested: 1,
  ContactReminderApproved: 1,
  ContactReminderDenied: 1,
};

export const CONTRACT_EVENT_TYPES = Object.keys(CONTRACT_EVENT_SCHEMA_VERSIONS) as ContractEventType[];

export const isContractEvent = eventGuardOf<ContractEvent>(CONTRACT_EVENT_SCHEMA_VERSIONS);
