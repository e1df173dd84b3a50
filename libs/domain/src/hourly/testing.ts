import type { Actor } from '../shared/actor';
import { deciderSpec } from '../testing/given-when-then';
import type { HourlyCommand } from './commands';
import { hourlyDecider } from './decider';
import type { HourlyContractAccepted, HourlyContractOffered, HourlyEvent, HourlyWorkRecorded } from './events';

/** Fixtures of the hourly contract's specs: one contract at ¥2,000 an hour, 40 hours a week, accepted on Monday 2 November 2026. */
export const CONTRACT_ID = 'h1';
export const CLIENT: Actor = { id: 'client-1', role: 'user' };
export const WORKER: Actor = { id: 'worker-1', role: 'user' };
export const SUPPORT: Actor = { id: 'support-1', role: 'support' };
export const SYSTEM: Actor = { id: 'hourly-settlement', role: 'system' };
export const WEEK_1 = '2026-11-02';
export const WEEK_2 = '2026-11-09';
export const ACCEPTED_AT = '2026-11-02T01:00:00Z';
/** Tuesday 10 November 00:00 Japan time: week 1's review window opens. */
export const WEEK_1_REVIEW_OPENS = '2026-11-09T15:00:00.000Z';
/** Tuesday 17 November 00:00 Japan time: week 1's review window has closed. */
export const WEEK_1_REVIEW_CLOSES = '2026-11-16T15:00:00.000Z';
export const ESTIMATED_WEEK_GROSS = 88_000;

const parties = { contractId: CONTRACT_ID, clientId: CLIENT.id, workerId: WORKER.id };

export const given = deciderSpec(hourlyDecider).given;

type CommandOf<Type extends HourlyCommand['type']> = Extract<HourlyCommand, { type: Type }>;
export const command = <Type extends HourlyCommand['type']>(
  type: Type,
  actor: Actor,
  fields: Omit<CommandOf<Type>, 'type' | 'contractId' | 'actor' | 'at'> & { at?: string },
): CommandOf<Type> => ({ type, contractId: CONTRACT_ID, actor, at: ACCEPTED_AT, ...fields }) as unknown as CommandOf<Type>;

export const offered: HourlyContractOffered = {
  type: 'HourlyContractOffered',
  data: { ...parties, title: 'Support desk', hourlyRate: 2_000, weeklyLimitHours: 40, feeScheduleId: null, offeredAt: '2026-11-01T01:00:00Z' },
};
export const accepted: HourlyContractAccepted = {
  type: 'HourlyContractAccepted',
  data: { ...parties, feeScheduleId: 'crowdworks-2019-10', taxRate: '0.10', hourlyRate: 2_000, weeklyLimitHours: 40, estimatedWeekGross: ESTIMATED_WEEK_GROSS, acceptedAt: ACCEPTED_AT },
};
export const funded = (amount = ESTIMATED_WEEK_GROSS, paymentReference = 'pay-1', escrowAfter = amount): HourlyEvent => ({
  type: 'HourlyEscrowFunded',
  data: { ...parties, amount, paymentReference, method: 'card', escrowAfter },
});
export const recorded = (weekStart: string, minutes: number, reportId = `r-${weekStart}`, weekMinutesAfter = minutes): HourlyWorkRecorded => ({
  type: 'HourlyWorkRecorded',
  data: {
    ...parties,
    reportId,
    weekStart,
    periodStart: `${weekStart}T00:00:00Z`,
    periodEnd: `${weekStart}T12:00:00Z`,
    minutes,
    weekMinutesAfter,
    recordedAt: `${weekStart}T13:00:00Z`,
  },
});
export const active: HourlyEvent[] = [offered, accepted, funded()];
export const PARTIES = parties;
