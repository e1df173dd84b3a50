import { payoutFigures } from '../money/fee';
import { addYen, subtractYen } from '../wallet/yen-arithmetic';
import { getFeeSchedule, payoutFee } from '../money';
import { conflict } from '../shared/domain-error';
import type { HourlyPayoutCause, HourlyWeekPaidOut } from './events';
import { type HourlyState, type HourlyWeekState, hourlyEscrowOf } from './state';
import { grossOfMinutes } from './weeks';

const taxRateOf = (state: HourlyState): string => {
  if (state.taxRate === null) throw conflict('CONTRACT_NOT_ACTIVE', 'the hourly contract was not accepted');
  return state.taxRate;
};

export const weekGross = (state: HourlyState, minutes: number): number => grossOfMinutes(state.hourlyRate, minutes, taxRateOf(state));

/**
 * Escrow promised to weeks not yet paid: the gross of every minute recorded in a week whose window is open (any of
 * them may be paid), and of the disputed minutes of a closed week whose dispute support has not settled.
 */
export const committedEscrowOf = (state: HourlyState): number =>
  state.weeks.reduce((sum, week) => {
    if (!week.reviewClosed) return addYen(sum, weekGross(state, week.recordedMinutes));
    if (week.disputedMinutes > 0 && week.awardedMinutes === null) return addYen(sum, subtractYen(weekGross(state, week.paidMinutes + week.disputedMinutes), week.paidGross));
    return sum;
  }, 0);

/** Escrow no week has a claim on: what a new report may use, and what an ended contract refunds. */
export const uncommittedEscrowOf = (state: HourlyState): number => subtractYen(hourlyEscrowOf(state), committedEscrowOf(state));

/**
 * The payout that brings a week's paid minutes to `minutesAfter`. Its gross is the week's gross of all its paid
 * minutes less what the week was paid already, and its fee continues the week's own tiers from there: each week's
 * tiers start at zero (no carry-over between weeks), so a week paid in two parts is charged as if paid at once.
 */
export const weekPayout = (state: HourlyState, week: HourlyWeekState, minutesAfter: number, cause: HourlyPayoutCause): HourlyWeekPaidOut[] => {
  const paidGross = week.paidGross;
  const allGross = weekGross(state, minutesAfter);
  if (allGross <= paidGross) return [];
  const gross = subtractYen(allGross, paidGross);
  const schedule = state.feeScheduleId === null ? undefined : getFeeSchedule(state.feeScheduleId);
  if (!schedule) throw conflict('FEE_SCHEDULE_NOT_FOUND', `fee schedule ${state.feeScheduleId} of the contract is unknown`);
  const fee = payoutFee(schedule, taxRateOf(state), week.paidGross, gross);
  return [
    {
      type: 'HourlyWeekPaidOut',
      data: {
        contractId: state.contractId,
        clientId: state.clientId,
        workerId: state.workerId,
        weekStart: week.weekStart,
        minutes: minutesAfter - week.paidMinutes,
        cause,
        ...payoutFigures(fee),
      },
    },
  ];
};
