import { ApiProperty } from '@nestjs/swagger';
import { TIMER_KINDS, type TimerKind } from '@escrow/projections/timers';
import { EnumField, InstantField, PositionField, TextField } from '../http/openapi/response-fields';
import { TIMER_OUTCOME_KINDS } from './timer-outcomes';
import type { TimerOutcomeKind } from './timer-scheduler';

/** One upcoming timer, as GET /v1/schedule lists it. */
export class ScheduledTimerSchema {
  @TextField({ description: 'Derived from what the timer is about, e.g. `settle:{contractId}:{milestoneId}`, `cutoff:{date}:{accountId}`; the idempotency key of its command' })
  timerId!: string;
  @EnumField(TIMER_KINDS) kind!: TimerKind;
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
    description: 'What the timer acts on: `contractId` and `milestoneId` for `settlement`; `accountId` and `expiresAt` for `expiry`, with `daysBefore` for `expiry_notice`; `accountId` and `cutoff` (the closing date) for `withdrawal_cutoff`; `contractId` and `requestedAt` for `termination`; `contractId`, `milestoneId` and `deliveredAt` for `inspection`',
  })
  subject!: Record<string, string | number>;
  @InstantField({ description: 'When the rule makes the action due: the inspection for `settlement`; the expiry instant, or 30 or 7 days before it for `expiry_notice`; the cut-off instant for `withdrawal_cutoff`; the request for `termination` (the answer period is the policy\'s); the delivery for `inspection` (the period is the policy\'s)' }) dueAt!: string;
  @InstantField({ nullable: true, description: 'When the scheduler acts under the policy in force (e.g. the next daily batch); null when the policy makes no automatic action (`manual`, `off`)' })
  runsAt!: string | null;
  @PositionField({ minimum: 1, description: 'Position of the event that made it due' }) createdPosition!: number;
}

/** A timer the scheduler will not issue again, as GET /v1/schedule/outcomes lists it. */
export class TimerOutcomeSchema {
  @PositionField({ minimum: 1, description: 'Order in which the outcomes were recorded' }) sequence!: number;
  @TextField({ description: 'The timer, as GET /v1/schedule names it' }) timerId!: string;
  @EnumField(TIMER_KINDS, { nullable: true, description: 'Null only when the due table no longer holds the timer' }) kind!: TimerKind | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
    description: 'What the timer acts on, as GET /v1/schedule shows it',
  })
  subject!: Record<string, string | number> | null;
  @InstantField({ nullable: true, description: 'When the rule made the action due' }) dueAt!: string | null;
  @EnumField(TIMER_OUTCOME_KINDS, {
    description: '`refused`: the decider refused the command for good (the work was done by someone else, or can no longer be); `nothing_to_do`: the command found nothing to record (e.g. a balance spent before it expired, a balance below the mode\'s threshold)',
  })
  outcome!: TimerOutcomeKind;
  @TextField({ description: 'The refusal\'s problem code, or NOTHING_TO_DO' }) code!: string;
  @TextField() message!: string;
  @InstantField({ description: 'When the scheduler recorded it (the service\'s clock)' }) decidedAt!: string;
}
