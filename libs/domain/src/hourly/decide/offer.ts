import { consumptionTaxRateAt, defaultFeeScheduleAt, getFeeSchedule, toJapanCalendarDate } from '../../money';
import { requireOpenAccounts } from '../../contract/guards';
import { validate, type Validation } from '../../contract/validation';
import { conflict, forbidden } from '../../shared/domain-error';
import { MAX_TITLE_LENGTH } from '../../shared/limits';
import type { AcceptHourlyContract, OfferHourlyContract } from '../commands';
import type { HourlyContractAccepted, HourlyContractOffered } from '../events';
import { requireHourlyContract, requireHourlyWorker } from '../guards';
import type { HourlyState } from '../state';
import { grossOfMinutes } from '../weeks';

/** The lowest rate: a quarter hour at it is ¥25, whose fee can never exceed it, so every billed unit can be paid out. */
export const MIN_HOURLY_RATE = 100;
export const MAX_HOURLY_RATE = 1_000_000;
/** A week has 168 hours. */
export const MAX_WEEKLY_LIMIT_HOURS = 168;

const wholeNumber = (check: Validation, value: unknown, field: string, code: string, min: number, max: number): Validation =>
  check.check(
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
    field,
    code,
    `${field} must be a whole number from ${min} to ${max}`,
  );

export const decideOfferHourly = (command: OfferHourlyContract, state: HourlyState): HourlyContractOffered[] => {
  if (state.status !== 'none') throw conflict('CONTRACT_ALREADY_EXISTS', `hourly contract ${command.contractId} already exists`, { status: state.status });
  if (command.actor.role !== 'user') throw forbidden('ROLE_NOT_ALLOWED', 'only a client user may offer a contract', { role: command.actor.role });
  if (command.actor.id !== command.clientId) throw forbidden('NOT_CONTRACT_CLIENT', 'a contract can only be offered by its client');
  const check = validate()
    .id(command.contractId, 'contractId')
    .accountId(command.clientId, 'clientId')
    .accountId(command.workerId, 'workerId')
    .check(command.clientId !== command.workerId, 'workerId', 'SAME_CLIENT_AND_WORKER', 'a client cannot hire itself')
    .text(command.title, 'title', 'INVALID_TITLE', MAX_TITLE_LENGTH);
  wholeNumber(check, command.hourlyRate, 'hourlyRate', 'INVALID_HOURLY_RATE', MIN_HOURLY_RATE, MAX_HOURLY_RATE);
  wholeNumber(check, command.weeklyLimitHours, 'weeklyLimitHours', 'INVALID_WEEKLY_LIMIT', 1, MAX_WEEKLY_LIMIT_HOURS);
  if (command.feeScheduleId !== undefined) {
    check.check(getFeeSchedule(command.feeScheduleId) !== undefined, 'feeScheduleId', 'UNKNOWN_FEE_SCHEDULE', 'feeScheduleId names no known fee schedule');
  }
  check.done();
  requireOpenAccounts(command, command.closedAccounts);
  return [
    {
      type: 'HourlyContractOffered',
      data: {
        contractId: command.contractId,
        clientId: command.clientId,
        workerId: command.workerId,
        title: command.title,
        hourlyRate: command.hourlyRate,
        weeklyLimitHours: command.weeklyLimitHours,
        feeScheduleId: command.feeScheduleId ?? null,
        offeredAt: command.at,
      },
    },
  ];
};

/** Fixes the fee schedule and the tax rate in force at acceptance, and with them the estimated week's gross. */
export const decideAcceptHourly = (command: AcceptHourlyContract, state: HourlyState): HourlyContractAccepted[] => {
  requireHourlyContract(state);
  requireHourlyWorker(state, command.actor);
  if (state.status !== 'offered') throw conflict('OFFER_NOT_OPEN', `the hourly contract is ${state.status}`, { status: state.status });
  requireOpenAccounts(state, command.closedAccounts);
  const date = toJapanCalendarDate(command.at);
  let schedule;
  try {
    schedule = state.offeredFeeScheduleId === null ? defaultFeeScheduleAt(date) : getFeeSchedule(state.offeredFeeScheduleId);
  } catch {
    throw conflict('FEE_SCHEDULE_NOT_IN_FORCE', `no default fee schedule is in force on ${date}`, { date });
  }
  if (!schedule) throw conflict('FEE_SCHEDULE_NOT_FOUND', `fee schedule ${state.offeredFeeScheduleId} no longer exists`);
  if (schedule.effectiveFrom > date) {
    throw conflict('FEE_SCHEDULE_NOT_IN_FORCE', `fee schedule ${schedule.id} applies from ${schedule.effectiveFrom}`, { feeScheduleId: schedule.id });
  }
  const taxRate = consumptionTaxRateAt(date);
  return [
    {
      type: 'HourlyContractAccepted',
      data: {
        contractId: state.contractId,
        clientId: state.clientId,
        workerId: state.workerId,
        feeScheduleId: schedule.id,
        taxRate,
        hourlyRate: state.hourlyRate,
        weeklyLimitHours: state.weeklyLimitHours,
        estimatedWeekGross: grossOfMinutes(state.hourlyRate, state.weeklyLimitHours * 60, taxRate),
        acceptedAt: command.at,
      },
    },
  ];
};
