import { Controller, Get, Inject, Logger, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JournalKey, JournalQueries } from '@escrow/projections/ledger/journal.queries';
import { LEDGER_PROJECTION } from '@escrow/projections/ledger/ledger.projection';
import { LedgerQueries } from '@escrow/projections/ledger/ledger.queries';
import { Access } from '../auth/access-policy';
import { negotiate } from '../http/content-negotiation';
import { CSV, CSV_CONTENT_TYPE, csvBodyPattern, csvRecord } from '../http/csv';
import { encodeCursor, patternCursor } from '../http/list-cursor';
import { PAGE_PARAMETERS, readPage } from '../http/list-page';
import { AlternativeContent, textBody } from '../http/openapi/alternative-content';
import { ListResponses, PageParameters } from '../http/openapi/operation-responses';
import { PositionOrInstantQuery } from '../http/openapi/query-parameters';
import { ExportSlots } from '../http/export-slots';
import { StreamedBody } from '../http/streamed-body';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ProjectionRuntime } from '../projections/projection-runtime';
import { AsOf, ReadQuery } from '../projections/read-query';
import { JournalLineSchema, JournalPageSchema } from './journal.responses';
import { JOURNAL_CSV_HEADER, journalCsvRecord } from './ledger-csv';

export const JOURNAL_PAGE = { default: 100, max: 1000 };
/** Postings in the order of the journal: by global position, then line; fixed once written. */
const JOURNAL_CURSOR = patternCursor('journal', /^\d{1,16}\.\d{1,6}$/);
/** Postings read from the read models at once for a CSV export: all it holds in memory. */
const CSV_CHUNK = 1000;

/**
 * The end of a CSV export the service could not finish: a quoted field that never closes and no CRLF, so that no
 * RFC 4180 reader takes the file for a complete one.
 */
export const JOURNAL_TRUNCATION_MARKER = '"truncated: the export was cut short, request it again';

const keyOfCursor = (text: string): JournalKey => {
  const [position, line] = text.split('.').map(Number);
  return { position, line };
};
const laterKey = (a: JournalKey, b: JournalKey): JournalKey =>
  a.position > b.position || (a.position === b.position && a.line > b.line) ? a : b;

@ApiTags('ledger')
@Controller('v1/ledger')
@AwaitsProjections(LEDGER_PROJECTION)
export class JournalController {
  private readonly logger = new Logger('JournalExport');

  constructor(
    @Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime,
    @Inject(LedgerQueries) private readonly ledger: LedgerQueries,
    @Inject(JournalQueries) private readonly journal: JournalQueries,
    @Inject(ExportSlots) private readonly exportSlots: ExportSlots,
  ) {}

  @Get('journal')
  @Access.staff()
  @ApiOperation({
    summary: 'The journal: every posting of a period, in order, with the balance of its account after it',
    description:
      'The period is the postings of events after `from` up to `to` (each a global position or an ISO-8601 instant, which stands ' +
      'for the last position recorded at or before it): the journal from A to B is what moves the trial balance as of A to the ' +
      'trial balance as of B. As JSON pages by default; with `Accept: text/csv` the whole period as one RFC 4180 CSV file, ' +
      'streamed (see docs/audit.md, Exports); at most EXPORT_MAX_CONCURRENT exports run at once, past it 503 EXPORTS_BUSY with Retry-After.',
  })
  @PositionOrInstantQuery('from', 'The period starts after this global position or instant; from the first posting when absent')
  @PositionOrInstantQuery('to', 'The period ends at this global position or instant, included; what the ledger has applied when absent')
  @PageParameters(JOURNAL_PAGE)
  @AlternativeContent(
    200,
    { [CSV]: textBody(`RFC 4180 CSV with a header row: ${JOURNAL_CSV_HEADER.join(', ')}`, csvBodyPattern(JOURNAL_CSV_HEADER)) },
    {
      'X-Export-After-Position': { description: 'CSV: the position the period starts after', schema: { type: 'integer', minimum: 0 } },
      'X-Export-Through-Position': { description: 'CSV: the last position the period includes', schema: { type: 'integer', minimum: 0 } },
      'Content-Disposition': { description: 'CSV: `attachment` with a file name naming the positions', schema: { type: 'string' } },
    },
  )
  @ListResponses(JournalLineSchema, { page: JournalPageSchema, problems: [400, 401, 403, 404, 406, 414, 500, 503] })
  async journalOf(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const format = negotiate(request.headers.accept, ['application/json', CSV]);
    const read = new ReadQuery(query, format === CSV ? ['from', 'to'] : ['from', 'to', ...PAGE_PARAMETERS]);
    const from = read.asOf('from');
    const to = read.asOf('to');
    const page = format === CSV ? undefined : readPage(query, read, JOURNAL_CURSOR, JOURNAL_PAGE);
    if (from !== undefined && to !== undefined && 'position' in from === 'position' in to && ordinal(from) > ordinal(to))
      read.fail('to', 'min', 'to must not be before from');
    read.done();
    const after = from === undefined ? 0 : this.positionOf(from);
    const through = Math.max(after, this.positionOf(to));
    // Before every line of the first position after the period's start.
    const start: JournalKey = { position: after + 1, line: -1 };
    if (page !== undefined) {
      const resumed = page.after === undefined ? start : laterKey(keyOfCursor(page.after), start);
      const lines = this.journal.chunk(resumed, through, page.limit + 1);
      const data = lines.slice(0, page.limit);
      const last = data[data.length - 1];
      const answer: JournalPageSchema = {
        data,
        nextCursor: lines.length > page.limit && last ? encodeCursor(JOURNAL_CURSOR, `${last.position}.${last.line}`) : null,
        afterPosition: after,
        throughPosition: through,
        from: typeof query.from === 'string' ? query.from : null,
        to: typeof query.to === 'string' ? query.to : null,
      };
      await reply.send(answer);
      return;
    }
    const release = this.exportSlots.take();
    try {
      await this.streamCsv(reply, after, through);
    } finally {
      release();
    }
  }

  private async streamCsv(reply: FastifyReply, after: number, through: number): Promise<void> {
    const body = StreamedBody.open(reply, {
      'content-type': CSV_CONTENT_TYPE,
      'content-disposition': `attachment; filename="journal-${after + 1}-${through}.csv"`,
      'x-export-after-position': String(after),
      'x-export-through-position': String(through),
    });
    let key: JournalKey = { position: after + 1, line: -1 };
    try {
      if (!(await body.write(csvRecord(JOURNAL_CSV_HEADER)))) return;
      for (;;) {
        const lines = this.journal.chunk(key, through, CSV_CHUNK);
        if (lines.length === 0) break;
        if (!(await body.write(lines.map(journalCsvRecord).join('')))) return;
        const last = lines[lines.length - 1];
        key = { position: last.position, line: last.line };
        if (lines.length < CSV_CHUNK) break;
      }
    } catch (error) {
      body.abort(JOURNAL_TRUNCATION_MARKER);
      this.logger.warn(
        `A journal export was cut short after position ${key.position}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    body.end();
  }

  /** A position never beyond what the ledger has applied, so that the answer covers only what it really holds. */
  private positionOf(asOf: AsOf | undefined): number {
    const applied = this.runtime.positionOf(LEDGER_PROJECTION);
    if (asOf === undefined) return applied;
    const asked = 'position' in asOf ? asOf.position : this.ledger.positionRecordedBy(asOf.instant);
    return Math.min(asked, applied);
  }
}

/** Where a bound falls among bounds of its own kind (positions, or instants); a position and an instant are not compared. */
function ordinal(asOf: AsOf): number {
  return 'position' in asOf ? asOf.position : asOf.instant.getTime();
}
