import { validate, type Validation } from '../../contract/validation';
import { conflict } from '../../shared/domain-error';
import { MAX_REASON_LENGTH } from '../../shared/limits';
import type { DisputeHourlyWork, RecordHourlyWork, SettleHourlyDispute } from '../commands';
import type { HourlyDisputeSettled, HourlyWeekPaidOut, HourlyWorkDisputed, HourlyWorkRecorded } from '../events';
import { requireHourlyActive, requireHourlyClient, requireHourlyContract, requireHourlyWorker, requireRoleOf } from '../guards';
import { committedEscrowOf, weekGross, weekPayout } from '../money';
import { emptyWeek, findWeek, type HourlyState, type HourlyWeekState, hourlyEscrowOf, payableMinutesOf } from '../state';
import { BILLING_UNIT_MINUTES, isBefore, isMonday, reviewWindowClosesAt, reviewWindowOpensAt, weekBeginsAt, weekEndsAt, weekStartOf } from '../weeks';
import { epochMillisOf } from '../../calendar/civil-time';

/** Reports one week may hold: a bound on the stream, far above a tracker reporting every quarter hour of a full week. */
export const MAX_REPORTS_PER_WEEK = 700;

const quarterHours = (check: Validation, value: unknown, field: string, code: string, max: number): Validation =>
  check.check(
    typeof value === 'number' && Number.isSafeInteger(value) && value >= BILLING_UNIT_MINUTES && value <= max && value % BILLING_UNIT_MINUTES === 0,
    field,
    code,
    `${field} must be a whole number of quarter hours (multiple of ${BILLING_UNIT_MINUTES}) from ${BILLING_UNIT_MINUTES} to ${max} minutes`,
  );

const weekStartField = (check: Validation, weekStart: unknown): Validation =>
  check.date(weekStart, 'weekStart').check(typeof weekStart !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(weekStart) || isMonday(weekStart), 'weekStart', 'NOT_A_MONDAY', 'weekStart must be the Monday a work week starts on');

export const decideRecordHourlyWork = (command: RecordHourlyWork, state: HourlyState): HourlyWorkRecorded[] => {
  requireHourlyContract(state);
  requireHourlyWorker(state, command.actor);
  const limitMinutes = state.weeklyLimitHours * 60;
  const check = validate().id(command.reportId, 'reportId').instant(command.periodStart, 'periodStart').instant(command.periodEnd, 'periodEnd');
  weekStartField(check, command.weekStart);
  quarterHours(check, command.minutes, 'minutes', 'INVALID_MINUTES', limitMinutes);
  check.done();
  const { weekStart, periodStart, periodEnd, minutes } = command;
  validate()
    .check(isBefore(periodStart, periodEnd), 'periodEnd', 'INVALID_WORK_PERIOD', 'periodEnd must be after periodStart')
    .check(
      !isBefore(periodStart, weekBeginsAt(weekStart)) && !isBefore(weekEndsAt(weekStart), periodEnd),
      'periodStart',
      'PERIOD_OUTSIDE_WEEK',
      'the work period must lie within the work week (Monday to Sunday, Japan time)',
    )
    .check(minutes * 60_000 <= epochMillisOf(periodEnd) - epochMillisOf(periodStart), 'minutes', 'MINUTES_EXCEED_PERIOD', 'minutes must fit within the work period')
    .done();
  requireHourlyActive(state);
  if (state.acceptedAt !== null && weekStart < weekStartOf(state.acceptedAt)) {
    throw conflict('WEEK_BEFORE_CONTRACT', `the contract was accepted after the week of ${weekStart}`, { weekStart });
  }
  if (isBefore(command.at, periodEnd)) throw conflict('WORK_NOT_YET_DONE', 'hours are reported after the period they were worked in', { periodEnd });
  if (!isBefore(command.at, reviewWindowOpensAt(weekStart))) {
    throw conflict('REVIEW_WINDOW_STARTED', `hours of the week of ${weekStart} are no longer taken: its review window opened`, { weekStart });
  }
  if (state.ending && weekStart > state.ending.endsAfterWeek) {
    throw conflict('CONTRACT_ENDING', `the contract ends after the week of ${state.ending.endsAfterWeek}`, { endsAfterWeek: state.ending.endsAfterWeek });
  }
  const week = findWeek(state, weekStart) ?? emptyWeek(weekStart);
  if (week.reportIds.includes(command.reportId) || state.weeks.some((each) => each.reportIds.includes(command.reportId))) {
    throw conflict('REPORT_ALREADY_RECORDED', `report ${command.reportId} was already recorded`, { reportId: command.reportId });
  }
  if (week.reportIds.length >= MAX_REPORTS_PER_WEEK) throw conflict('TOO_MANY_REPORTS', `a week holds at most ${MAX_REPORTS_PER_WEEK} reports`, { weekStart });
  const weekMinutesAfter = week.recordedMinutes + minutes;
  if (weekMinutesAfter > limitMinutes) {
    throw conflict('WEEKLY_LIMIT_EXCEEDED', `the week of ${weekStart} would bill ${weekMinutesAfter} minutes, above the limit of ${limitMinutes}`, {
      weekStart,
      limitMinutes,
      weekMinutesAfter,
    });
  }
  const committedAfter = committedEscrowOf(state) - weekGross(state, week.recordedMinutes) + weekGross(state, weekMinutesAfter);
  if (committedAfter > hourlyEscrowOf(state)) {
    throw conflict('ESCROW_INSUFFICIENT', 'the prepaid escrow does not cover these hours; the client must top up first', {
      escrow: hourlyEscrowOf(state),
      required: committedAfter,
    });
  }
  return [
    {
      type: 'HourlyWorkRecorded',
      data: {
        contractId: state.contractId,
        clientId: state.clientId,
        workerId: state.workerId,
        reportId: command.reportId,
        weekStart,
        periodStart,
        periodEnd,
        minutes,
        weekMinutesAfter,
        recordedAt: command.at,
      },
    },
  ];
};

const requireRecordedWeek = (state: HourlyState, weekStart: string): HourlyWeekState => {
  const week = findWeek(state, weekStart);
  if (!week || week.recordedMinutes === 0) throw conflict('NO_HOURS_RECORDED', `no hours were recorded for the week of ${weekStart}`, { weekStart });
  return week;
};

/** The client disputes some of a week's minutes during its review window; once per week. */
export const decideDisputeHourlyWork = (command: DisputeHourlyWork, state: HourlyState): HourlyWorkDisputed[] => {
  requireHourlyContract(state);
  requireHourlyClient(state, command.actor);
  const check = validate().text(command.reason, 'reason', 'INVALID_REASON', MAX_REASON_LENGTH);
  weekStartField(check, command.weekStart);
  quarterHours(check, command.minutes, 'minutes', 'INVALID_MINUTES', state.weeklyLimitHours * 60);
  check.done();
  requireHourlyActive(state);
  const week = requireRecordedWeek(state, command.weekStart);
  if (isBefore(command.at, reviewWindowOpensAt(command.weekStart)) || !isBefore(command.at, reviewWindowClosesAt(command.weekStart))) {
    throw conflict('OUTSIDE_REVIEW_WINDOW', `the review window of the week of ${command.weekStart} is not open`, {
      opensAt: reviewWindowOpensAt(command.weekStart),
      closesAt: reviewWindowClosesAt(command.weekStart),
    });
  }
  if (week.disputedMinutes > 0) throw conflict('WEEK_ALREADY_DISPUTED', `the week of ${command.weekStart} is already disputed`, { weekStart: command.weekStart });
  if (command.minutes > week.recordedMinutes) {
    throw conflict('DISPUTE_EXCEEDS_HOURS', `the week of ${command.weekStart} recorded only ${week.recordedMinutes} minutes`, { recordedMinutes: week.recordedMinutes });
  }
  return [
    {
      type: 'HourlyWorkDisputed',
      data: {
        contractId: state.contractId,
        clientId: state.clientId,
        workerId: state.workerId,
        weekStart: command.weekStart,
        minutes: command.minutes,
        reason: command.reason,
        heldGross: weekGross(state, week.recordedMinutes) - weekGross(state, week.recordedMinutes - command.minutes),
        disputedAt: command.at,
      },
    },
  ];
};

/**
 * Support settles a dispute by awarding the worker some (0 to all) of the disputed minutes. After the window closed the
 * award is paid at once; before, the window's close pays it with the rest. Disputed minutes not awarded are never paid:
 * their escrow is free again for later weeks, or refunded when the contract ends.
 */
export const decideSettleHourlyDispute = (command: SettleHourlyDispute, state: HourlyState): (HourlyDisputeSettled | HourlyWeekPaidOut)[] => {
  requireHourlyContract(state);
  requireRoleOf(command.actor, ['support']);
  const check = validate().text(command.reason, 'reason', 'INVALID_REASON', MAX_REASON_LENGTH);
  weekStartField(check, command.weekStart);
  check.check(
    typeof command.awardedMinutes === 'number' && Number.isSafeInteger(command.awardedMinutes) && command.awardedMinutes >= 0 && command.awardedMinutes % BILLING_UNIT_MINUTES === 0,
    'awardedMinutes',
    'INVALID_MINUTES',
    `awardedMinutes must be a whole number of quarter hours (multiple of ${BILLING_UNIT_MINUTES}), 0 or more`,
  );
  check.done();
  requireHourlyActive(state);
  const week = requireRecordedWeek(state, command.weekStart);
  if (week.disputedMinutes === 0 || week.awardedMinutes !== null) {
    throw conflict('NO_OPEN_DISPUTE', `the week of ${command.weekStart} has no open dispute`, { weekStart: command.weekStart });
  }
  if (command.awardedMinutes > week.disputedMinutes) {
    throw conflict('AWARD_EXCEEDS_DISPUTE', `only ${week.disputedMinutes} minutes were disputed`, { disputedMinutes: week.disputedMinutes });
  }
  const settled: HourlyDisputeSettled = {
    type: 'HourlyDisputeSettled',
    data: {
      contractId: state.contractId,
      clientId: state.clientId,
      workerId: state.workerId,
      weekStart: command.weekStart,
      disputedMinutes: week.disputedMinutes,
      awardedMinutes: command.awardedMinutes,
      reason: command.reason,
      settledAt: command.at,
    },
  };
  if (!week.reviewClosed) return [settled];
  const awarded = { ...week, awardedMinutes: command.awardedMinutes };
  return [settled, ...weekPayout(state, week, payableMinutesOf(awarded), 'dispute_settled')];
};
