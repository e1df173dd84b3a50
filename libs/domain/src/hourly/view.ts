import type { Actor } from '../shared/actor';
import { mayReadContract } from '../shared/access';
import type { PayoutFigures } from '../escrow/movement';
import { committedEscrowOf } from './money';
import { type HourlyState, type HourlyStatus, hourlyEscrowOf, payableMinutesOf } from './state';
import { reviewWindowClosesAt, reviewWindowOpensAt } from './weeks';

export interface HourlyWeekView {
  weekStart: string;
  recordedMinutes: number;
  reports: number;
  disputedMinutes: number;
  awardedMinutes: number | null;
  payableMinutes: number;
  paidMinutes: number;
  paidGross: number;
  reviewOpensAt: string;
  reviewClosesAt: string;
  status: 'recording' | 'held' | 'settled';
  payouts: PayoutFigures[];
}

export interface HourlyContractView {
  contractId: string;
  status: Exclude<HourlyStatus, 'none'>;
  clientId: string;
  workerId: string;
  title: string;
  hourlyRate: number;
  weeklyLimitHours: number;
  feeScheduleId: string | null;
  taxRate: string | null;
  estimatedWeekGross: number;
  acceptedAt: string | null;
  totals: { funded: number; paidOut: number; fees: number; net: number; refunded: number; escrow: number; committed: number };
  weeks: HourlyWeekView[];
  ending: { requestedBy: 'client' | 'worker' | 'support'; endsAfterWeek: string; requestedAt: string } | null;
  endedAt: string | null;
}

/** The contract as GET /v1/hourly-contracts/{id} and its history show it; null before the offer. */
export const hourlyContractView = (state: HourlyState): HourlyContractView | null => {
  if (state.status === 'none') return null;
  return {
    contractId: state.contractId,
    status: state.status,
    clientId: state.clientId,
    workerId: state.workerId,
    title: state.title,
    hourlyRate: state.hourlyRate,
    weeklyLimitHours: state.weeklyLimitHours,
    feeScheduleId: state.feeScheduleId ?? state.offeredFeeScheduleId,
    taxRate: state.taxRate,
    estimatedWeekGross: state.estimatedWeekGross,
    acceptedAt: state.acceptedAt,
    totals: {
      funded: state.funded,
      paidOut: state.paidOut,
      fees: state.fees,
      net: state.net,
      refunded: state.refunded,
      escrow: hourlyEscrowOf(state),
      committed: state.taxRate === null ? 0 : committedEscrowOf(state),
    },
    weeks: state.weeks.map((week) => ({
      weekStart: week.weekStart,
      recordedMinutes: week.recordedMinutes,
      reports: week.reportIds.length,
      disputedMinutes: week.disputedMinutes,
      awardedMinutes: week.awardedMinutes,
      payableMinutes: payableMinutesOf(week),
      paidMinutes: week.paidMinutes,
      paidGross: week.paidGross,
      reviewOpensAt: reviewWindowOpensAt(week.weekStart),
      reviewClosesAt: reviewWindowClosesAt(week.weekStart),
      status: !week.reviewClosed ? 'recording' : week.disputedMinutes > 0 && week.awardedMinutes === null ? 'held' : 'settled',
      payouts: week.payouts.map((payout) => ({ ...payout, tiers: payout.tiers.map((tier) => ({ ...tier })) })),
    })),
    ending: state.ending ? { ...state.ending } : null,
    endedAt: state.endedAt,
  };
};

/** Who may read an hourly contract: its parties and staff, as for a fixed-price contract. */
export const mayReadHourly = (actor: Actor, state: HourlyState): boolean => state.status !== 'none' && mayReadContract(actor, state);
