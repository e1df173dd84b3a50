import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { settlementInstant } from '@escrow/domain/settlement';
import { ScheduleKey, TIMER_KINDS, TimerKind, TIMERS_PROJECTION, upcomingTimers } from '@escrow/projections/timers';
import { Access } from '../auth/access-policy';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Command, CommandContext } from '../http/command-context';
import { patternCursor } from '../http/list-cursor';
import { ListPage, PAGE_PARAMETERS, pageOf, readPage } from '../http/list-page';
import { ListResponses, PageParameters } from '../http/openapi/operation-responses';
import { ProblemError } from '../http/problem';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ProjectionRuntime } from '../projections/projection-runtime';
import { ReadQuery } from '../projections/read-query';
import { ScheduledTimerSchema, TimerOutcomeSchema } from './schedule.responses';
import { recordedTimerOutcomes, TIMER_OUTCOME_KINDS } from './timer-outcomes';
import { TIMER_OUTCOMES } from './timer-scheduler';

export const SCHEDULE_PAGE = { default: 100, max: 500 };
/** A page ends at a due instant and, among timers due at the same instant, the position of the event that made it due. */
const SCHEDULE_KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_(\d{1,16})$/;
const SCHEDULE_CURSOR = patternCursor('schedule', SCHEDULE_KEY);
const OUTCOMES_CURSOR = patternCursor('schedule-outcomes', /^\d{1,16}$/);
/** Who may read the schedule: those who act for the platform. */
const READ_ROLES: readonly string[] = ['support', 'system'];

const keyOf = (timer: ScheduleKey): string => `${timer.dueAt}_${timer.createdPosition}`;

function parseKey(text: string | undefined): ScheduleKey | undefined {
  const match = text === undefined ? null : SCHEDULE_KEY.exec(text);
  return match ? { dueAt: match[1], createdPosition: Number(match[2]) } : undefined;
}

/** What the service will do by itself, and when. */
@ApiTags('operations')
@Controller('v1/schedule')
export class ScheduleController {
  constructor(
    @Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Access.staff()
  @AwaitsProjections(TIMERS_PROJECTION)
  @ApiOperation({
    summary: 'Upcoming timers: what the service will do by itself, and when',
    description:
      'Actor role: support or system. Pending timers in due order (then by the position of the event that made them due), from the due ' +
      'table the processors keep; those whose command was refused for good are left out. `runsAt` applies the policy in force (see ' +
      'docs/automation.md). `minPosition` waits for the due table to include a position.',
  })
  @ApiQuery({ name: 'kind', required: false, enum: [...TIMER_KINDS], description: 'Only timers of this kind' })
  @PageParameters(SCHEDULE_PAGE)
  @ListResponses(ScheduledTimerSchema)
  list(@Query() query: Record<string, unknown>, @Command() context: CommandContext): ListPage<ScheduledTimerSchema> {
    this.requireReader(context);
    const read = new ReadQuery(query, ['kind', ...PAGE_PARAMETERS]);
    const kind = read.oneOf('kind', TIMER_KINDS);
    const page = readPage(query, read, SCHEDULE_CURSOR, SCHEDULE_PAGE);
    read.done();
    const timers = upcomingTimers(this.runtime.db, {
      kind,
      after: parseKey(page.after),
      limit: page.limit + 1,
      excludeIdsIn: this.outcomesKept() ? { table: TIMER_OUTCOMES, column: 'timer_id' } : undefined,
    });
    const items = timers.map(({ timerId, kind: timerKind, subject, dueAt, createdPosition }) => ({
      timerId,
      kind: timerKind,
      subject,
      dueAt,
      runsAt: this.runsAt(timerKind, dueAt),
      createdPosition,
    }));
    return pageOf(items, page.limit, SCHEDULE_CURSOR, keyOf);
  }

  @Get('outcomes')
  @Access.staff()
  @AwaitsProjections(TIMERS_PROJECTION)
  @ApiOperation({
    summary: 'Timers the service will not issue again, and why',
    description:
      'Actor role: support or system. The timers whose command was refused for good (`refused`, with the refusal) or found nothing ' +
      'to record (`nothing_to_do`), in the order the scheduler recorded them; they are left out of GET /v1/schedule. See docs/automation.md.',
  })
  @ApiQuery({ name: 'outcome', required: false, enum: [...TIMER_OUTCOME_KINDS], description: 'Only outcomes of this kind' })
  @ApiQuery({ name: 'kind', required: false, enum: [...TIMER_KINDS], description: 'Only timers of this kind' })
  @PageParameters(SCHEDULE_PAGE)
  @ListResponses(TimerOutcomeSchema)
  outcomes(@Query() query: Record<string, unknown>, @Command() context: CommandContext): ListPage<TimerOutcomeSchema> {
    this.requireReader(context);
    const read = new ReadQuery(query, ['outcome', 'kind', ...PAGE_PARAMETERS]);
    const outcome = read.oneOf('outcome', TIMER_OUTCOME_KINDS);
    const kind = read.oneOf('kind', TIMER_KINDS);
    const page = readPage(query, read, OUTCOMES_CURSOR, SCHEDULE_PAGE);
    read.done();
    const after = page.after === undefined ? undefined : Number(page.after);
    const items = recordedTimerOutcomes(this.runtime.db, { outcome, kind, after, limit: page.limit + 1 });
    return pageOf(items, page.limit, OUTCOMES_CURSOR, (item) => String(item.sequence));
  }

  private requireReader(context: CommandContext): void {
    if (!READ_ROLES.includes(context.actor.role)) {
      throw new ProblemError(403, 'ROLE_NOT_ALLOWED', 'Forbidden', `Only ${READ_ROLES.join(', ')} may read the schedule.`, { role: context.actor.role });
    }
  }

  /** When the scheduler acts on a timer under the policies in force; null when they leave it to a caller. */
  private runsAt(kind: TimerKind, dueAt: string): string | null {
    if (kind === 'settlement') return settlementInstant(this.config.scheduler.settlement, new Date(dueAt))?.toISOString() ?? null;
    if (kind === 'withdrawal_cutoff') return this.config.scheduler.automaticWithdrawals === 'on' ? dueAt : null;
    if (kind === 'termination') return this.after(dueAt, this.config.scheduler.terminationAnswerWithinMs);
    if (kind === 'inspection') return this.after(dueAt, this.config.scheduler.autoInspectionAfterMs);
    if (kind === 'task_auto_approval') return dueAt;
    return this.config.scheduler.balanceExpiry === 'when_due' ? dueAt : null;
  }

  /** A period's end from the rule's instant; null when the policy is `off`. */
  private after(dueAt: string, periodMs: number | null): string | null {
    return periodMs === null ? null : new Date(Date.parse(dueAt) + periodMs).toISOString();
  }

  /** The outcomes table exists once a scheduler has run on this read-model database. */
  private outcomesKept(): boolean {
    return this.runtime.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(TIMER_OUTCOMES) !== undefined;
  }
}
