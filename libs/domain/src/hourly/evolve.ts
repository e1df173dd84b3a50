import { addYen } from '../wallet/yen-arithmetic';
import type { HourlyEvent } from './events';
import { emptyWeek, type HourlyState, type HourlyWeekState } from './state';

const withWeek = (state: HourlyState, weekStart: string, change: (week: HourlyWeekState) => HourlyWeekState): HourlyState => {
  const existing = state.weeks.find((week) => week.weekStart === weekStart);
  const changed = change(existing ?? emptyWeek(weekStart));
  const weeks = existing ? state.weeks.map((week) => (week.weekStart === weekStart ? changed : week)) : [...state.weeks, changed];
  return { ...state, weeks: [...weeks].sort((a, b) => a.weekStart.localeCompare(b.weekStart)) };
};

/** Pure: the state given is never changed. */
export function evolveHourly(state: HourlyState, event: HourlyEvent): HourlyState {
  switch (event.type) {
    case 'HourlyContractOffered': {
      const { contractId, clientId, workerId, title, hourlyRate, weeklyLimitHours, feeScheduleId } = event.data;
      return { ...state, status: 'offered', contractId, clientId, workerId, title, hourlyRate, weeklyLimitHours, offeredFeeScheduleId: feeScheduleId };
    }
    case 'HourlyContractAccepted': {
      const { feeScheduleId, taxRate, estimatedWeekGross, acceptedAt } = event.data;
      return { ...state, status: 'active', feeScheduleId, taxRate, estimatedWeekGross, acceptedAt };
    }
    case 'HourlyEscrowFunded':
      return { ...state, funded: addYen(state.funded, event.data.amount), paymentReferences: [...state.paymentReferences, event.data.paymentReference] };
    case 'HourlyWorkRecorded':
      return withWeek(state, event.data.weekStart, (week) => ({
        ...week,
        recordedMinutes: event.data.weekMinutesAfter,
        reportIds: [...week.reportIds, event.data.reportId],
      }));
    case 'HourlyWorkDisputed':
      return withWeek(state, event.data.weekStart, (week) => ({ ...week, disputedMinutes: event.data.minutes, disputeReason: event.data.reason }));
    case 'HourlyDisputeSettled':
      return withWeek(state, event.data.weekStart, (week) => ({ ...week, awardedMinutes: event.data.awardedMinutes }));
    case 'HourlyReviewWindowClosed':
      return withWeek(state, event.data.weekStart, (week) => ({ ...week, reviewClosed: true }));
    case 'HourlyWeekPaidOut': {
      const { weekStart, minutes, cause: _cause, contractId: _c, clientId: _cl, workerId: _w, ...payout } = event.data;
      const next = withWeek(state, weekStart, (week) => ({
        ...week,
        paidMinutes: week.paidMinutes + minutes,
        paidGross: addYen(week.paidGross, payout.gross),
        payouts: [...week.payouts, { ...payout, tiers: payout.tiers.map((tier) => ({ ...tier })) }],
      }));
      return { ...next, paidOut: addYen(state.paidOut, payout.gross), fees: addYen(state.fees, payout.fee), net: addYen(state.net, payout.net) };
    }
    case 'HourlyContractEnding': {
      const { requestedBy, endsAfterWeek, requestedAt } = event.data;
      return { ...state, ending: { requestedBy, endsAfterWeek, requestedAt } };
    }
    case 'HourlyEscrowRefunded':
      return { ...state, refunded: addYen(state.refunded, event.data.amount) };
    case 'HourlyContractEnded':
      return { ...state, status: 'ended', endedAt: event.data.endedAt };
    default:
      return state;
  }
}
