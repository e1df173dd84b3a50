import type { PaymentMethod } from '../contract/commands';
import type { PayoutFigures } from '../escrow/movement';
import { type DomainEvent, eventGuardOf } from '../shared/decider';

/** Facts of the hourly contract stream (`hourly-<contractId>`). Money is whole yen; every money event names both parties. */
interface Parties {
  contractId: string;
  clientId: string;
  workerId: string;
}

export interface HourlyContractOfferedData extends Parties {
  title: string;
  hourlyRate: number;
  weeklyLimitHours: number;
  /** null: the default schedule in force at acceptance. */
  feeScheduleId: string | null;
  offeredAt: string;
}

export interface HourlyContractAcceptedData extends Parties {
  feeScheduleId: string;
  taxRate: string;
  hourlyRate: number;
  weeklyLimitHours: number;
  /** Gross of a full week at the limit: what one prepayment is by default. */
  estimatedWeekGross: number;
  acceptedAt: string;
}

export interface HourlyEscrowFundedData extends Parties {
  amount: number;
  paymentReference: string;
  method: PaymentMethod;
  escrowAfter: number;
}

export interface HourlyWorkRecordedData extends Parties {
  reportId: string;
  weekStart: string;
  periodStart: string;
  periodEnd: string;
  minutes: number;
  weekMinutesAfter: number;
  recordedAt: string;
}

export interface HourlyWorkDisputedData extends Parties {
  weekStart: string;
  minutes: number;
  reason: string;
  /** Gross held back from the week's payout until support settles the dispute. */
  heldGross: number;
  disputedAt: string;
}

export interface HourlyDisputeSettledData extends Parties {
  weekStart: string;
  disputedMinutes: number;
  awardedMinutes: number;
  reason: string;
  settledAt: string;
}

export interface HourlyReviewWindowClosedData extends Parties {
  weekStart: string;
  recordedMinutes: number;
  /** Minutes still disputed when the window closed, held until support settles them. */
  heldMinutes: number;
  /** Minutes paid at the close: undisputed ones, and disputed ones support already awarded. */
  paidMinutes: number;
  closedAt: string;
}

export type HourlyPayoutCause = 'review_window_closed' | 'dispute_settled';

export interface HourlyWeekPaidOutData extends Parties, PayoutFigures {
  weekStart: string;
  /** Minutes this payout pays for. */
  minutes: number;
  cause: HourlyPayoutCause;
}

export interface HourlyContractEndingData extends Parties {
  requestedBy: 'client' | 'worker' | 'support';
  /** The last work week: the contract ends once it is settled. */
  endsAfterWeek: string;
  reason?: string;
  requestedAt: string;
}

export interface HourlyEscrowRefundedData extends Parties {
  amount: number;
  cause: 'contract_ended';
  escrowAfter: number;
}

export interface HourlyContractEndedData extends Parties {
  /** completed: at least one week was paid; terminated: none was. */
  outcome: 'completed' | 'terminated';
  /** The last work week, as the ending named it. */
  endsAfterWeek: string;
  paidOutGross: number;
  fees: number;
  net: number;
  refunded: number;
  acceptedAt: string;
  endedAt: string;
}

export type HourlyContractOffered = DomainEvent<'HourlyContractOffered', HourlyContractOfferedData>;
export type HourlyContractAccepted = DomainEvent<'HourlyContractAccepted', HourlyContractAcceptedData>;
export type HourlyEscrowFunded = DomainEvent<'HourlyEscrowFunded', HourlyEscrowFundedData>;
export type HourlyWorkRecorded = DomainEvent<'HourlyWorkRecorded', HourlyWorkRecordedData>;
export type HourlyWorkDisputed = DomainEvent<'HourlyWorkDisputed', HourlyWorkDisputedData>;
export type HourlyDisputeSettled = DomainEvent<'HourlyDisputeSettled', HourlyDisputeSettledData>;
export type HourlyReviewWindowClosed = DomainEvent<'HourlyReviewWindowClosed', HourlyReviewWindowClosedData>;
export type HourlyWeekPaidOut = DomainEvent<'HourlyWeekPaidOut', HourlyWeekPaidOutData>;
export type HourlyContractEnding = DomainEvent<'HourlyContractEnding', HourlyContractEndingData>;
export type HourlyEscrowRefunded = DomainEvent<'HourlyEscrowRefunded', HourlyEscrowRefundedData>;
export type HourlyContractEnded = DomainEvent<'HourlyContractEnded', HourlyContractEndedData>;

export type HourlyEvent =
  | HourlyContractOffered
  | HourlyContractAccepted
  | HourlyEscrowFunded
  | HourlyWorkRecorded
  | HourlyWorkDisputed
  | HourlyDisputeSettled
  | HourlyReviewWindowClosed
  | HourlyWeekPaidOut
  | HourlyContractEnding
  | HourlyEscrowRefunded
  | HourlyContractEnded;

export const HOURLY_EVENT_SCHEMA_VERSIONS: Readonly<Record<HourlyEvent['type'], number>> = {
  HourlyContractOffered: 1,
  HourlyContractAccepted: 1,
  HourlyEscrowFunded: 1,
  HourlyWorkRecorded: 1,
  HourlyWorkDisputed: 1,
  HourlyDisputeSettled: 1,
  HourlyReviewWindowClosed: 1,
  HourlyWeekPaidOut: 1,
  HourlyContractEnding: 1,
  HourlyEscrowRefunded: 1,
  HourlyContractEnded: 1,
};

export const isHourlyEvent = eventGuardOf<HourlyEvent>(HOURLY_EVENT_SCHEMA_VERSIONS);
