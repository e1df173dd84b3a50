import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { ParkedEvent } from '@escrow/projections/runtime/parked-events';
import {
  type OverdueKey,
  overdueMilestoneCount,
  overdueMilestones,
  pendingContactReminderCount,
  pendingContactReminders,
  silentDeliveries,
  silentDeliveryCount,
  SUPPORT_QUEUES_PROJECTION,
  unansweredTerminationCount,
  unansweredTerminations,
  withdrawalReviewCount,
} from '@escrow/projections/support-queues';
import { WALLET_REVIEW_QUEUE_PROJECTION } from '@escrow/projections/wallet-review-queue';
import { reviewQueueAfter } from '@escrow/projections/wallet-review-queue/review-queue.queries';
import { Access } from '../auth/access-policy';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Command, CommandContext } from '../http/command-context';
import { type CursorKind, positionCursor } from '../http/list-cursor';
import { type ListPage, PAGE_PARAMETERS, type PageRequest, pageOf, readPage } from '../http/list-page';
import { PageParameters, QueryResponses } from '../http/openapi/operation-responses';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ProjectionRuntime } from '../projections/projection-runtime';
import { ReadQuery } from '../projections/read-query';
import { SupportQueueListsSchema, SupportQueuesSchema } from './support-queues.responses';

export const SUPPORT_QUEUE_NAMES = [
  'silentDeliveries',
  'contactReminders',
  'withdrawalReviews',
  'unansweredTerminations',
  'parkedEvents',
  'overdueMilestones',
] as const;
export type SupportQueueName = (typeof SUPPORT_QUEUE_NAMES)[number];

export const SUPPORT_QUEUE_PAGE = { default: 50, max: 500 };

/** The overdue queue pages by due date, then by the event that made the milestone and its place in it. */
const OVERDUE_KEY = /^(\d{4}-\d{2}-\d{2})_(\d{1,16})_(\d{1,2})$/;
const overdueCursor: CursorKind<OverdueKey> = {
  scope: 'support-queues:overdueMilestones',
  format: (key) => `${key.dueDate}_${key.listedPosition}_${key.listedIndex}`,
  parse: (text) => {
    const match = OVERDUE_KEY.exec(text);
    return match ? { dueDate: match[1], listedPosition: Number(match[2]), listedIndex: Number(match[3]) } : undefined;
  },
};

/** Every other queue pages by a position that fixes its order: the event's, or the parked event's id. */
const positionQueue = (name: Exclude<SupportQueueName, 'overdueMilestones'>) => positionCursor(`support-queues:${name}`);
const CURSORS = {
  silentDeliveries: positionQueue('silentDeliveries'),
  contactReminders: positionQueue('contactReminders'),
  withdrawalReviews: positionQueue('withdrawalReviews'),
  unansweredTerminations: positionQueue('unansweredTerminations'),
  parkedEvents: positionQueue('parkedEvents'),
  overdueMilestones: overdueCursor,
} satisfies Record<SupportQueueName, CursorKind<unknown>>;

/** What support has to look at, queue by queue. */
@ApiTags('operations')
@Controller('v1/support/queues')
export class SupportQueuesController {
  constructor(
    @Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  // Like the withdrawal review queue and the parked events: support and system act on them, auditors may read them.
  @Access.staff()
  @AwaitsProjections(SUPPORT_QUEUES_PROJECTION, WALLET_REVIEW_QUEUE_PROJECTION)
  @ApiOperation({
    summary: 'Support queues: what waits for support, oldest first',
    description:
      'Actor role: support, system or auditor. Six queues, each a page oldest first with its `total`: deliveries uninspected for at least ' +
      '7 days (from when support may inspect), contact reminders awaiting a decision, withdrawals in review, termination requests not ' +
      'answered (with when they complete by themselves), events parked by a background process, and undelivered milestones past their ' +
      'due date. Ages and the 7 days are taken at the service\'s clock (`asOf`). Without `queue` every queue answers its first `limit` ' +
      'items; with `queue` only that one, and its `nextCursor` pages on (`cursor` needs `queue`). `minPosition` waits for the read models.',
  })
  @ApiQuery({ name: 'queue', required: false, enum: [...SUPPORT_QUEUE_NAMES], description: 'Only this queue (needed to page with `cursor`)' })
  @PageParameters(SUPPORT_QUEUE_PAGE)
  @QueryResponses(SupportQueuesSchema)
  queues(@Query() query: Record<string, unknown>, @Command() context: CommandContext): SupportQueuesSchema {
    const read = new ReadQuery(query, ['queue', ...PAGE_PARAMETERS]);
    const queue = read.oneOf('queue', SUPPORT_QUEUE_NAMES);
    const kind: CursorKind<unknown> | undefined = queue === undefined ? undefined : CURSORS[queue];
    if (query.queue === undefined && query.cursor !== undefined) {
      read.fail('cursor', 'requiresQueue', 'cursor pages through one queue: give the queue it came from as queue');
    }
    // Without a queue only the limit is read: a cursor belongs to one queue.
    const page = readPage(kind === undefined ? { limit: query.limit } : query, read, kind ?? CURSORS.silentDeliveries, SUPPORT_QUEUE_PAGE);
    read.done();
    const now = new Date(context.at);
    const queues: SupportQueueListsSchema = {};
    for (const name of queue === undefined ? SUPPORT_QUEUE_NAMES : [queue]) Object.assign(queues, { [name]: this.queue(name, now, page) });
    return { asOf: now.toISOString(), queues };
  }

  /** One queue's page after the key the cursor named, and its total. */
  private queue(name: SupportQueueName, now: Date, page: PageRequest<unknown>): ListPage<unknown> & { total: number } {
    const db = this.runtime.db;
    const limit = page.limit + 1;
    const after = page.after as number | undefined;
    const listed = <Item, Key>(rows: Item[], total: number, kind: CursorKind<Key>, keyOf: (item: Item) => Key) => ({ ...pageOf(rows, page.limit, kind, keyOf), total });
    switch (name) {
      case 'silentDeliveries':
        return listed(silentDeliveries(db, now, { after, limit }), silentDeliveryCount(db, now), CURSORS.silentDeliveries, (row) => row.deliveredPosition);
      case 'contactReminders':
        return listed(pendingContactReminders(db, now, { after, limit }), pendingContactReminderCount(db), CURSORS.contactReminders, (row) => row.requestedPosition);
      case 'withdrawalReviews':
        return listed(this.withdrawalReviews(now, after, limit), withdrawalReviewCount(db), CURSORS.withdrawalReviews, (row) => row.requestedPosition);
      case 'unansweredTerminations':
        return listed(this.unansweredTerminations(now, after, limit), unansweredTerminationCount(db), CURSORS.unansweredTerminations, (row) => row.requestedPosition);
      case 'parkedEvents':
        return listed(this.parkedEvents(after, limit), this.runtime.parkedEventCount(), CURSORS.parkedEvents, (row) => row.parkedId);
      case 'overdueMilestones':
        return listed(overdueMilestones(db, now, { after: page.after as OverdueKey | undefined, limit }), overdueMilestoneCount(db, now), CURSORS.overdueMilestones, (row) => ({
          dueDate: row.dueDate,
          listedPosition: row.listedPosition,
          listedIndex: row.listedIndex,
        }));
    }
  }

  private withdrawalReviews(now: Date, after: number | undefined, limit: number) {
    return reviewQueueAfter(this.runtime.db, { after: after ?? 0, limit }).map((entry) => ({
      ...entry,
      ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(entry.requestedAt)) / 1000)),
      infoRequested: entry.infoRequests > 0,
      awaitingOwner: entry.infoRequests > 0 && entry.infoProvidedAt === null,
    }));
  }

  /** When each request completes by itself under the answer period in force; null when none is. */
  private unansweredTerminations(now: Date, after: number | undefined, limit: number) {
    const answerWithin = this.config.scheduler.terminationAnswerWithinMs;
    return unansweredTerminations(this.runtime.db, now, { after, limit }).map((request) => ({
      ...request,
      completesAt: answerWithin === null ? null : new Date(Date.parse(request.requestedAt) + answerWithin).toISOString(),
    }));
  }

  private parkedEvents(after: number | undefined, limit: number): ParkedEvent[] {
    return this.runtime.parkedEvents({ status: 'parked', after: after ?? 0, limit });
  }
}
