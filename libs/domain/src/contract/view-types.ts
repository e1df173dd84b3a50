/**
 * What GET /v1/contracts/{id} shows (the application adds the stream revision).
 * Every amount is an integer of yen; `amount` is tax-exclusive, everything else gross.
 */
export const CONTRACT_STATUSES = ['offered', 'active', 'completed', 'terminated', 'declined', 'withdrawn'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const MILESTONE_STATUSES = [
  'unfunded',
  'funded',
  'delivered',
  'revision_requested',
  'inspected',
  'paid_out',
  'refunded',
  'cancelled',
] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export type ContractParty = 'client' | 'worker';

export interface PartyRef {
  id: string;
  party: ContractParty;
}

export interface MilestonePayoutView {
  gross: number;
  feeExTax: number;
  feeTax: number;
  fee: number;
  net: number;
}

export interface MilestoneView {
  milestoneId: string;
  title: string;
  /** Tax-exclusive amount. */
  amount: number;
  /** Gross (税込) fixed at acceptance or by an accepted change of terms; null while only offered. */
  gross: number | null;
  dueDate: string;
  status: MilestoneStatus;
  /** Everything the client has prepaid into this milestone's escrow. */
  fundedGross: number;
  /** fundedGross − paid out − refunded. */
  escrowBalance: number;
  /** Gross the client still has to prepay before the milestone may be delivered (after acceptance or a raise). */
  fundingDue: number;
  refundedTotal: number;
  /** Number of deliveries made (re-deliveries after a revision request count). */
  deliveries: number;
  payout?: MilestonePayoutView;
}

export interface ContractTotalsView {
  /** Sum of the grosses of milestones that are not cancelled. */
  gross: number;
  funded: number;
  /** Gross released to the worker (before fees). */
  paidOut: number;
  fees: number;
  net: number;
  refunded: number;
  escrow: number;
}

export interface PendingTermsChangeView {
  changeId: string;
  proposedBy: PartyRef;
  proposedAt: string;
  changes: { milestoneId: string; amount?: number; dueDate?: string }[];
  newMilestones: { milestoneId: string; title: string; amount: number; dueDate: string }[];
  reason?: string;
}

export interface PendingTerminationView {
  requestedBy: PartyRef;
  requestedAt: string;
  reason: string;
}

export interface ContactReminderView {
  reminderId: string;
  requestedBy: PartyRef;
  requestedAt: string;
  message?: string;
  status: 'pending' | 'approved' | 'denied';
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

export interface ContractView {
  contractId: string;
  status: ContractStatus;
  clientId: string;
  workerId: string;
  title: string;
  /** Fixed at acceptance; before that, the schedule named by the offer, or null for the default. */
  feeScheduleId: string | null;
  /** Consumption tax rate fixed at acceptance (e.g. '0.10'); null while only offered. */
  taxRate: string | null;
  milestones: MilestoneView[];
  totals: ContractTotalsView;
  pendingTermsChange?: PendingTermsChangeView;
  pendingTermination?: PendingTerminationView;
  contactReminders: ContactReminderView[];
}
