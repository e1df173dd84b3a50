import { ApiProperty } from '@nestjs/swagger';
import { TIMER_KINDS, type TimerKind } from '@escrow/projections/timers';
import { EnumField, InstantField, PositionField, TextField } from '../http/openapi/response-fields';

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
