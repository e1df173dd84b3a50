import { addYen, subtractYen } from '../wallet/yen-arithmetic';
import type { WorkStanding } from '../escrow/closure';
import type { PayoutFigures } from '../escrow/movement';

export type HourlyStatus = 'none' | 'offered' | 'active' | 'ended';

export interface HourlyWeekState {
  weekStart: string;
  recordedMinutes: number;
  reportIds: string[];
  /** Minutes the client disputed; 0 when the week is not disputed. */
  disputedMinutes: number;
  disputeReason: string | null;
  /** Support's award of the disputed minutes; null while the dispute is open (or there is none). */
  awardedMinutes: number | null;
  reviewClosed: boolean;
  paidMinutes: number;
  /** Gross paid for the week so far: the base of its next payout's fee tiers. */
  paidGross: number;
  payouts: PayoutFigures[];
}

export interface HourlyState {
  status: HourlyStatus;
  contractId: string;
  clientId: string;
  workerId: string;
  title: string;
  hourlyRate: number;
  weeklyLimitHours: number;
  offeredFeeScheduleId: string | null;
  feeScheduleId: string | null;
  taxRate: string | null;
  estimatedWeekGross: number;
  acceptedAt: string | null;
  funded: number;
  paidOut: number;
  fees: number;
  net: number;
  refunded: number;
  paymentReferences: string[];
  weeks: HourlyWeekState[];
  ending: { requestedBy: 'client' | 'worker' | 'support'; endsAfterWeek: string; requestedAt: string } | null;
  endedAt: string | null;
}

export const initialHourlyState = (): HourlyState => ({
  status: 'none',
  contractId: '',
  clientId: '',
  workerId: '',
  title: '',
  hourlyRate: 0,
  weeklyLimitHours: 0,
  offeredFeeScheduleId: null,
  feeScheduleId: null,
  taxRate: null,
  estimatedWeekGross: 0,
  acceptedAt: null,
  funded: 0,
  paidOut: 0,
  fees: 0,
  net: 0,
  refunded: 0,
  paymentReferences: [],
  weeks: [],
  ending: null,
  endedAt: null,
});

export const hourlyEscrowOf = (state: HourlyState): number => subtractYen(state.funded, addYen(state.paidOut, state.refunded));

export const findWeek = (state: HourlyState, weekStart: string): HourlyWeekState | undefined => state.weeks.find((week) => week.weekStart === weekStart);

export const emptyWeek = (weekStart: string): HourlyWeekState => ({
  weekStart,
  recordedMinutes: 0,
  reportIds: [],
  disputedMinutes: 0,
  disputeReason: null,
  awardedMinutes: null,
  reviewClosed: false,
  paidMinutes: 0,
  paidGross: 0,
  payouts: [],
});

/** Minutes of a week the worker is owed now: undisputed ones, and disputed ones support awarded. */
export const payableMinutesOf = (week: HourlyWeekState): number => week.recordedMinutes - week.disputedMinutes + (week.awardedMinutes ?? 0);

/** Whether a week still waits for money to move: its window is open, or its dispute is not settled. */
export const isWeekOpen = (week: HourlyWeekState): boolean => !week.reviewClosed || (week.disputedMinutes > 0 && week.awardedMinutes === null);

/**
 * Where an account stands in an hourly contract, for its closure: both parties while it is active (hours may still be
 * recorded, paid out or refunded). An offer not yet accepted holds neither back: it holds no money, it cannot yet be
 * declined or withdrawn (so it would hold them forever), and a closed account's acceptance is refused anyway. An ended
 * contract has paid every week and refunded the rest.
 */
export const hourlyStanding = (state: HourlyState, accountId: string): WorkStanding => {
  const open = state.status === 'active';
  return { openAsClient: open && state.clientId === accountId, openAsWorker: open && state.workerId === accountId };
};
