import type { PaymentMethod } from '../contract/commands';
import type { Actor } from '../shared/actor';

/**
 * Commands of the hourly contract (時間単価制), one stream per contract. Ids are chosen by the caller so the decider
 * stays deterministic. The hourly rate is tax-exclusive whole yen; prepayments are gross (税込).
 */
interface CommandBase<Type extends string> {
  type: Type;
  contractId: string;
  actor: Actor;
  /** ISO-8601 instant with offset. */
  at: string;
}

/** The ids, among the parties, whose account is closed, as the caller read them from the account streams. */
interface PartyStanding {
  closedAccounts?: readonly string[];
}

export interface OfferHourlyContract extends CommandBase<'OfferHourlyContract'>, PartyStanding {
  clientId: string;
  workerId: string;
  title: string;
  /** Tax-exclusive yen per hour. */
  hourlyRate: number;
  /** Whole hours a work week may bill at most. */
  weeklyLimitHours: number;
  feeScheduleId?: string;
}

export type AcceptHourlyContract = CommandBase<'AcceptHourlyContract'> & PartyStanding;

/** A prepayment or a top-up into the contract's escrow. */
export interface PrepayHourlyEscrow extends CommandBase<'PrepayHourlyEscrow'>, PartyStanding {
  paymentReference: string;
  method: PaymentMethod;
  /** Gross paid; the estimated week (rate × limit, with tax) when omitted. */
  amount?: number;
}

/** One report of the worker's time-tracking service: minutes worked within one work week. */
export interface RecordHourlyWork extends CommandBase<'RecordHourlyWork'> {
  reportId: string;
  /** The Monday (Japan time) the work week starts on, YYYY-MM-DD. */
  weekStart: string;
  periodStart: string;
  periodEnd: string;
  /** A whole number of quarter hours, in minutes. */
  minutes: number;
}

export interface DisputeHourlyWork extends CommandBase<'DisputeHourlyWork'> {
  weekStart: string;
  minutes: number;
  reason: string;
}

/** Support's decision on a week's dispute: how many of the disputed minutes the worker is paid for. */
export interface SettleHourlyDispute extends CommandBase<'SettleHourlyDispute'> {
  weekStart: string;
  awardedMinutes: number;
  reason: string;
}

/** The timer at the end of a week's review window: pays the undisputed hours (role `system`). */
export interface SettleHourlyWeek extends CommandBase<'SettleHourlyWeek'> {
  weekStart: string;
}

/** 契約終了: the contract ends once the current work week is settled. */
export interface EndHourlyContract extends CommandBase<'EndHourlyContract'> {
  reason?: string;
}

export type HourlyCommand =
  | OfferHourlyContract
  | AcceptHourlyContract
  | PrepayHourlyEscrow
  | RecordHourlyWork
  | DisputeHourlyWork
  | SettleHourlyDispute
  | SettleHourlyWeek
  | EndHourlyContract;
