import { Body, Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { calendarDate, EARLIEST_DATE, LATEST_DATE } from '@escrow/domain/shared/field-rules';
import { PAYOUT_ITEM_STATES, PAYOUT_RUN_STATES, PAYOUT_RUNS_PROJECTION, payoutRun, payoutRunItems, payoutRuns } from '@escrow/projections/payout-runs';
import { Access } from '../auth/access-policy';
import { NDJSON } from '../audit/event-export';
import { BusController } from '../http/bus-controller';
import { Command, CommandContext } from '../http/command-context';
import { negotiate } from '../http/content-negotiation';
import { CSV, CSV_CONTENT_TYPE, csvBodyPattern } from '../http/csv';
import { CommandRoute } from '../http/decorators';
import { ExportSlots } from '../http/export-slots';
import { patternCursor, positionCursor } from '../http/list-cursor';
import { ListPage, PAGE_PARAMETERS, pageOf, readPage } from '../http/list-page';
import { AlternativeContent, textBody } from '../http/openapi/alternative-content';
import { ListResponses, PageParameters } from '../http/openapi/operation-responses';
import { PatternQuery } from '../http/openapi/query-parameters';
import { badRequest, ProblemError } from '../http/problem';
import { StreamedBody } from '../http/streamed-body';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ReadQuery } from '../projections/read-query';
import { WalletReadModels } from '../wallets/wallet-read-models';
import { PAYOUT_RUN_CSV, PAYOUT_RUN_CSV_HEADER, PAYOUT_RUN_NDJSON, streamPayoutRun } from './payout-run-exports';
import { PayoutReportDto } from './payout-run-report.dto';
import { type PayoutReportAnswer, ReportPayoutRunCommand } from './payout-run-reports';
import { refuseInvalidReport } from './payout-report-rules';
import { PayoutReportAnswerSchema, PayoutRunItemSchema, PayoutRunItemsPageSchema, PayoutRunSchema } from './payout-runs.responses';

export const PAYOUT_RUNS_PAGE = { default: 100, max: 500 };
export const PAYOUT_RUN_ITEMS_PAGE = { default: 100, max: 1000 };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isCalendarDate = (text: string) => calendarDate(text, 'date') === undefined;
const DATE_RULE = `a real date YYYY-MM-DD from ${EARLIEST_DATE} to ${LATEST_DATE}`;
/** Runs are listed by payout date: one run per date, so the date is the page key. */
const RUNS_CURSOR = patternCursor('payout-runs', DAY, isCalendarDate);
/** A run's items in the order they joined it: the global position of that event. */
const ITEMS_CURSOR = positionCursor('payout-run-items');

/** The payout date of a path, or the 400 naming it. */
function payoutDateOf(text: string): string {
  const breach = calendarDate(text, 'payoutDate');
  if (breach) throw badRequest([{ field: 'payoutDate', ...breach }]);
  return text;
}

const runNotFound = (payoutDate: string) =>
  new ProblemError(404, 'PAYOUT_RUN_NOT_FOUND', 'Not found', `No withdrawal is due on ${payoutDate}: there is no payout run for it.`, { payoutDate });

@ApiTags('payout runs')
@Controller('v1/payout-runs')
export class PayoutRunsController extends BusController {
  @Inject(WalletReadModels) private readonly readModels!: WalletReadModels;
  @Inject(ExportSlots) private readonly exportSlots!: ExportSlots;

  @Get()
  @Access.staff()
  @AwaitsProjections(PAYOUT_RUNS_PROJECTION)
  @ApiOperation({
    summary: 'Payout runs (振込予定): withdrawals due to be sent, one run per payout date, with counts, totals and state',
    description:
      'Actor role: support, system or auditor. Runs in payout date order, the earliest first. A run is `open` while any item is to be sent, ' +
      '`closed` once every item is reported paid or failed. Amounts in whole yen (docs/automation.md, Payout runs).',
  })
  @ApiQuery({ name: 'state', required: false, enum: [...PAYOUT_RUN_STATES], description: 'Only runs in this state' })
  @PatternQuery('from', DAY, 'Only runs due on or after this payout date (YYYY-MM-DD)', 10)
  @PatternQuery('to', DAY, 'Only runs due on or before this payout date (YYYY-MM-DD)', 10)
  @PageParameters(PAYOUT_RUNS_PAGE)
  @ListResponses(PayoutRunSchema)
  list(@Req() request: FastifyRequest): ListPage<PayoutRunSchema> {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const read = new ReadQuery(query, ['state', 'from', 'to', ...PAGE_PARAMETERS]);
    const state = read.oneOf('state', PAYOUT_RUN_STATES);
    const from = read.matching('from', DAY, DATE_RULE, isCalendarDate);
    const to = read.matching('to', DAY, DATE_RULE, isCalendarDate);
    if (from !== undefined && to !== undefined && to < from) read.fail('to', 'min', 'to must not be before from');
    const page = readPage(query, read, RUNS_CURSOR, PAYOUT_RUNS_PAGE);
    read.done();
    const runs = payoutRuns(this.readModels.db, { state, from, to, after: page.after, limit: page.limit + 1 });
    return pageOf(runs, page.limit, RUNS_CURSOR, (run) => run.payoutDate);
  }

  @Get(':payoutDate')
  @Access.staff()
  @AwaitsProjections(PAYOUT_RUNS_PROJECTION)
  @ApiOperation({
    summary: 'A payout run: what the payments gateway must send on the payout date, as JSON pages, NDJSON or CSV',
    description:
      'Actor role: system (the payments gateway), support or auditor. The items in the order they joined the run, each with its amount, ' +
      'fees, the net amount to send, the bank account (id and bank code), its mode and state. As JSON pages with the run and its totals by ' +
      'default; with `Accept: application/x-ndjson` every item, one JSON object per line; with `Accept: text/csv` every item as RFC 4180 CSV ' +
      '(columns in docs/automation.md). Exports are streamed as the read model holds the run while they are written; at most ' +
      'EXPORT_MAX_CONCURRENT exports run at once, past it 503 EXPORTS_BUSY with Retry-After. 404 PAYOUT_RUN_NOT_FOUND when nothing is due on the date.',
  })
  @ApiParam({ name: 'payoutDate', example: '2026-04-30', schema: { type: 'string', format: 'date' } })
  @ApiQuery({ name: 'state', required: false, enum: [...PAYOUT_ITEM_STATES], description: 'Only items in this state (to_send: what is left to send)' })
  @PageParameters(PAYOUT_RUN_ITEMS_PAGE)
  @AlternativeContent(
    200,
    {
      [NDJSON]: textBody('One item per line, each a JSON object with the members of the JSON answer\'s items', '^(\\{[^\\n]*\\}\\n)*$'),
      [CSV]: textBody(`RFC 4180 CSV with a header row: ${PAYOUT_RUN_CSV_HEADER.join(', ')}`, csvBodyPattern(PAYOUT_RUN_CSV_HEADER)),
    },
    { 'Content-Disposition': { description: 'NDJSON and CSV: `attachment` with a file name naming the payout date', schema: { type: 'string' } } },
  )
  @ListResponses(PayoutRunItemSchema, { page: PayoutRunItemsPageSchema, problems: [400, 401, 403, 404, 406, 414, 500, 503] })
  async run(@Param('payoutDate') payoutDateText: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = negotiate(request.headers.accept, ['application/json', NDJSON, CSV]);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const read = new ReadQuery(query, format === 'application/json' ? ['state', ...PAGE_PARAMETERS] : ['state']);
    const payoutDate = payoutDateOf(payoutDateText);
    const state = read.oneOf('state', PAYOUT_ITEM_STATES);
    const page = format === 'application/json' ? readPage(query, read, ITEMS_CURSOR, PAYOUT_RUN_ITEMS_PAGE) : undefined;
    read.done();
    const db = this.readModels.db;
    const run = payoutRun(db, payoutDate);
    if (run === undefined) throw runNotFound(payoutDate);
    if (page !== undefined) {
      const items = payoutRunItems(db, payoutDate, { after: page.after ?? 0, limit: page.limit + 1, state });
      const answer: PayoutRunItemsPageSchema = { ...pageOf(items, page.limit, ITEMS_CURSOR, (item) => item.queuedPosition), run };
      await reply.send(answer);
      return;
    }
    const release = this.exportSlots.take();
    try {
      const csv = format === CSV;
      const body = StreamedBody.open(reply, {
        'content-type': csv ? CSV_CONTENT_TYPE : `${NDJSON}; charset=utf-8`,
        'content-disposition': `attachment; filename="payout-run-${payoutDate}.${csv ? 'csv' : 'ndjson'}"`,
      });
      await streamPayoutRun(body, db, { payoutDate, state }, csv ? PAYOUT_RUN_CSV : PAYOUT_RUN_NDJSON);
    } finally {
      release();
    }
  }

  @CommandRoute(':payoutDate/reports', 200, PayoutReportAnswerSchema, {
    summary: "The payments gateway's report of a run's transfers: each item paid or failed",
    description:
      'Actor role: system (the payments gateway). 1 to 1000 items, each withdrawal at most once; `reason` is required with `failed` and ' +
      'refused with `paid`, `transferReference` is refused with `failed`. Every field is checked before anything is recorded. Each item ' +
      "becomes the wallet's MarkWithdrawalPaid or MarkWithdrawalFailed for this payout date, under a key derived from the run, the withdrawal " +
      'and the outcome: a report sent again records nothing twice (`already_recorded`). Each item has its result: `recorded`, ' +
      '`already_recorded`, or `refused` with the problem code it has on its own (WITHDRAWAL_NOT_IN_PAYOUT_RUN for a withdrawal due on another ' +
      'date, WITHDRAWAL_NOT_SCHEDULED for one not to be sent, WITHDRAWAL_NOT_FOUND).',
  })
  @ApiParam({ name: 'payoutDate', example: '2026-04-30', schema: { type: 'string', format: 'date' } })
  report(@Param('payoutDate') payoutDateText: string, @Body() body: PayoutReportDto, @Command() context: CommandContext): Promise<PayoutReportAnswer> {
    const payoutDate = payoutDateOf(payoutDateText);
    refuseInvalidReport(body.items);
    const items = body.items.map(({ withdrawalId, outcome, transferReference, reason }) => ({
      withdrawalId,
      outcome,
      ...(transferReference !== undefined ? { transferReference } : {}),
      ...(reason !== undefined ? { reason } : {}),
    }));
    return this.commands.execute(new ReportPayoutRunCommand(payoutDate, items, context));
  }
}
