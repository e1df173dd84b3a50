import type { MilestoneTerms } from './commands';
import type {
  ContactReminderView,
  ContractStatus,
  MilestonePayoutView,
  PartyRef,
  PendingTerminationView,
  PendingTermsChangeView,
} from './view-types';

/** Where the work on a milestone stands while its escrow is open. */
export type MilestoneProgress = 'unfunded' | 'funded' | 'delivered' | 'revision_requested' | 'inspected';

/** A milestone whose escrow is settled for good: nothing can happen to it any more. */
export type MilestoneClosure = 'paid_out' | 'refunded' | 'cancelled';

/** What the state keeps of a payout, a pending change or termination and a contact reminder is what the view shows. */
export type MilestonePayout = MilestonePayoutView;
export type PendingTermsChange = PendingTermsChangeView;
export type PendingTermination = PendingTerminationView;
export type ContactReminderState = ContactReminderView;

export interface MilestoneState {
  milestoneId: string;
  title: string;
  amount: number;
  /** null until the contract is accepted (the tax rate is fixed then). */
  gross: number | null;
  dueDate: string;
  progress: MilestoneProgress;
  closure: MilestoneClosure | null;
  fundedGross: number;
  paidOutGross: number;
  refundedTotal: number;
  /**
   * Refunds ordered by support or the system (not those following from a change of terms or a
   * termination): they lower what the worker can be paid, so they create no funding obligation.
   */
  discretionaryRefunds: number;
  deliveries: number;
  lastDeliveredAt: string | null;
  payout: MilestonePayout | null;
}

export interface ContractState {
  /** `none`: the stream is empty, no offer was made yet. */
  status: 'none' | ContractStatus;
  contractId: string;
  clientId: string;
  workerId: string;
  title: string;
  /** The schedule named by the offer (null: default at acceptance). */
  offeredFeeScheduleId: string | null;
  /** Fixed at acceptance. */
  feeScheduleId: string | null;
  taxRate: string | null;
  acceptedAt: string | null;
  milestones: MilestoneState[];
  /** Gross paid out so far in this contract; the fee tiers apply to it. */
  cumulativePaidOutGross: number;
  pendingTermsChange: PendingTermsChange | null;
  /** Every change id ever proposed, so that a change id names one proposal only. */
  proposedChangeIds: string[];
  pendingTermination: PendingTermination | null;
  contactReminders: ContactReminderState[];
  paymentReferences: string[];
}

export const initialContractState = (): ContractState => ({
  status: 'none',
  contractId: '',
  clientId: '',
  workerId: '',
  title: '',
  offeredFeeScheduleId: null,
  feeScheduleId: null,
  taxRate: null,
  acceptedAt: null,
  milestones: [],
  cumulativePaidOutGross: 0,
  pendingTermsChange: null,
  proposedChangeIds: [],
  pendingTermination: null,
  contactReminders: [],
  paymentReferences: [],
});

export const offeredMilestone = (terms: MilestoneTerms): MilestoneState => ({
  milestoneId: terms.milestoneId,
  title: terms.title,
  amount: terms.amount,
  gross: null,
  dueDate: terms.dueDate,
  progress: 'unfunded',
  closure: null,
  fundedGross: 0,
  paidOutGross: 0,
  refundedTotal: 0,
  discretionaryRefunds: 0,
  deliveries: 0,
  lastDeliveredAt: null,
  payout: null,
});

export const escrowBalanceOf = (milestone: MilestoneState): number =>
  milestone.fundedGross - milestone.paidOutGross - milestone.refundedTotal;

/** What the worker can still be paid for the milestone: its gross less discretionary refunds. */
export const payableGrossOf = (milestone: MilestoneState): number => Math.max(0, (milestone.gross ?? 0) - milestone.discretionaryRefunds);

/** Gross the client still has to prepay before work (or payout) may go on: 0 when fully funded. */
export const fundingDueOf = (milestone: MilestoneState): number =>
  milestone.closure !== null || milestone.gross === null ? 0 : Math.max(0, payableGrossOf(milestone) - escrowBalanceOf(milestone));

export const isMilestoneOpen = (milestone: MilestoneState): boolean => milestone.closure === null;

export const findMilestone = (state: ContractState, milestoneId: string): MilestoneState | undefined =>
  state.milestones.find((milestone) => milestone.milestoneId === milestoneId);

export const partyOf = (state: ContractState, actorId: string): PartyRef | undefined => {
  if (actorId === state.clientId) return { id: actorId, party: 'client' };
  if (actorId === state.workerId) return { id: actorId, party: 'worker' };
  return undefined;
};

export const counterpartyOf = (state: ContractState, party: PartyRef): PartyRef =>
  party.party === 'client' ? { id: state.workerId, party: 'worker' } : { id: state.clientId, party: 'client' };
