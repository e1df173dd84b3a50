import type { Actor } from '../shared/actor';

/**
 * Commands of the contract aggregate (one stream per contract). Every command names the contract,
 * the actor who issues it and the instant it is issued at; ids (contract, milestone, change,
 * reminder) are chosen by the caller so that the decider stays deterministic.
 *
 * Amounts are integers of yen. Milestone amounts are tax-exclusive (税抜); funding, payout and
 * refund amounts are gross (税込).
 */
interface CommandBase<Type extends string> {
  type: Type;
  contractId: string;
  actor: Actor;
  /** ISO-8601 instant, e.g. 2025-04-01T09:00:00Z. */
  at: string;
}

export type PaymentMethod = 'card' | 'bank_transfer' | 'invoice';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['card', 'bank_transfer', 'invoice'];

export interface MilestoneTerms {
  milestoneId: string;
  title: string;
  /** Tax-exclusive amount in yen, an integer ≥ 1. */
  amount: number;
  /** Calendar date YYYY-MM-DD. */
  dueDate: string;
}

export interface Deliverable {
  uri: string;
  /** Lower-case hex SHA-256 of the deliverable, when the worker supplies it. */
  sha256?: string;
}

export interface MilestoneChange {
  milestoneId: string;
  /** New tax-exclusive amount. */
  amount?: number;
  dueDate?: string;
}

export interface TerminationSplit {
  milestoneId: string;
  /** Part of the milestone's escrow paid out to the worker (fee deducted); the rest is refunded. */
  payOutGross: number;
}

/**
 * What the caller read from the parties' account streams before a command that starts or funds a
 * contract: the ids, among the client and the worker, whose account is closed (退会済み). A closed account
 * takes part in no new offer, contract or funding. Omitted means the caller found neither closed.
 */
interface PartyStanding {
  closedAccounts?: readonly string[];
}

// ── Offer stage ────────────────────────────────────────────────────────────────────────────────

export interface OfferContract extends CommandBase<'OfferContract'>, PartyStanding {
  clientId: string;
  workerId: string;
  title: string;
  /** 1 to 20 milestones. */
  milestones: MilestoneTerms[];
  /** A fee schedule to apply instead of the default in force at acceptance. */
  feeScheduleId?: string;
}

/** Replaces the named parts of the open offer; at least one must be given. */
export interface AmendOffer extends CommandBase<'AmendOffer'> {
  title?: string;
  milestones?: MilestoneTerms[];
  /** `null` returns to the default schedule in force at acceptance. */
  feeScheduleId?: string | null;
}

export interface WithdrawOffer extends CommandBase<'WithdrawOffer'> {
  reason?: string;
}

export interface DeclineOffer extends CommandBase<'DeclineOffer'> {
  reason?: string;
}

export type AcceptOffer = CommandBase<'AcceptOffer'> & PartyStanding;

// ── Escrow, delivery and inspection ────────────────────────────────────────────────────────────

export interface FundMilestone extends CommandBase<'FundMilestone'>, PartyStanding {
  milestoneId: string;
  paymentReference: string;
  method: PaymentMethod;
  /**
   * The gross paid. Optional: when given it must equal the amount due exactly (the milestone's
   * gross, or the difference after a raise by change of terms).
   */
  amount?: number;
}

export interface DeliverMilestone extends CommandBase<'DeliverMilestone'> {
  milestoneId: string;
  /** May be empty: the work was handed over outside the platform. */
  deliverables: Deliverable[];
  message?: string;
}

export interface RequestRevision extends CommandBase<'RequestRevision'> {
  milestoneId: string;
  reason: string;
}

export interface InspectMilestone extends CommandBase<'InspectMilestone'> {
  milestoneId: string;
}

/** Support completes the inspection for a client silent for at least 7 days after the latest delivery. */
export interface SupportInspectMilestone extends CommandBase<'SupportInspectMilestone'> {
  milestoneId: string;
  reason: string;
}

/**
 * The service inspects a delivery its client left without an answer (neither inspection nor revision request) for
 * `afterMs` after the latest delivery, when the deployment's automatic inspection is on. Role `system`.
 */
export interface AutoInspectMilestone extends CommandBase<'AutoInspectMilestone'> {
  milestoneId: string;
  afterMs: number;
}

// ── Payout and refund ──────────────────────────────────────────────────────────────────────────

export interface PayOutMilestone extends CommandBase<'PayOutMilestone'> {
  milestoneId: string;
}

export interface RefundMilestone extends CommandBase<'RefundMilestone'> {
  milestoneId: string;
  /** Gross to refund; the whole escrow balance when omitted. */
  amount?: number;
  reason: string;
}

// ── Change of terms ────────────────────────────────────────────────────────────────────────────

export interface ProposeTermsChange extends CommandBase<'ProposeTermsChange'> {
  changeId: string;
  changes: MilestoneChange[];
  newMilestones?: MilestoneTerms[];
  reason?: string;
}

export interface AcceptTermsChange extends CommandBase<'AcceptTermsChange'> {
  changeId: string;
}

export interface RejectTermsChange extends CommandBase<'RejectTermsChange'> {
  changeId: string;
  reason?: string;
}

// ── Termination ────────────────────────────────────────────────────────────────────────────────

export interface RequestTermination extends CommandBase<'RequestTermination'> {
  reason: string;
}

export type AcceptTermination = CommandBase<'AcceptTermination'>;

export interface RejectTermination extends CommandBase<'RejectTermination'> {
  reason?: string;
}

/**
 * The service completes a request the other party left unanswered for `answerWithinMs` after it was made, on the
 * requester's terms (as an accepted request). `requestedAt` names the request, so a later one is not completed
 * by the timer of an earlier one.
 */
export interface CompleteUnansweredTermination extends CommandBase<'CompleteUnansweredTermination'> {
  requestedAt: string;
  answerWithinMs: number;
}

export interface SupportTerminate extends CommandBase<'SupportTerminate'> {
  reason: string;
  /** Milestones not named here have their escrow refunded in full. */
  splits: TerminationSplit[];
}

// ── Contact reminders ──────────────────────────────────────────────────────────────────────────

export interface RequestContactReminder extends CommandBase<'RequestContactReminder'> {
  reminderId: string;
  message?: string;
}

export interface ApproveContactReminder extends CommandBase<'ApproveContactReminder'> {
  reminderId: string;
  reason?: string;
}

export interface DenyContactReminder extends CommandBase<'DenyContactReminder'> {
  reminderId: string;
  reason: string;
}

export type ContractCommand =
  | OfferContract
  | AmendOffer
  | WithdrawOffer
  | DeclineOffer
  | AcceptOffer
  | FundMilestone
  | DeliverMilestone
  | RequestRevision
  | InspectMilestone
  | SupportInspectMilestone
  | AutoInspectMilestone
  | PayOutMilestone
  | RefundMilestone
  | ProposeTermsChange
  | AcceptTermsChange
  | RejectTermsChange
  | RequestTermination
  | AcceptTermination
  | RejectTermination
  | CompleteUnansweredTermination
  | SupportTerminate
  | RequestContactReminder
  | ApproveContactReminder
  | DenyContactReminder;

export type ContractCommandType = ContractCommand['type'];
