import { applyDecorators, CallHandler, ExecutionContext, NestInterceptor, UseInterceptors } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { negotiate } from './content-negotiation';
import { AlternativeContent, textBody } from './openapi/alternative-content';

/**
 * CSV as RFC 4180 writes it: records ended by CRLF, a field quoted when it holds a comma, a quote, CR or LF, and a
 * quote inside doubled. A text cell that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab,
 * CR or LF, which free text keeps) is written with a leading apostrophe, so that opening an export never runs what
 * a value holds. Numbers are written as the integers they are (a negative balance starts with "-" and stays a
 * number): only text is guarded.
 */

export const CSV = 'text/csv';
export const CSV_CONTENT_TYPE = `${CSV}; charset=utf-8; header=present`;

const FORMULA_START = /^[=+\-@\t\r\n]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvCell = string | number | null;

/** One cell: an integer as it is, text guarded against formulas and quoted when it must be, null as an empty cell. */
export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`A CSV number cell must be a safe integer, got ${value}`);
    return String(value);
  }
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export const csvRecord = (cells: readonly CsvCell[]): string => cells.map(csvCell).join(',') + '\r\n';

/** The document's pattern of a CSV body whose first record is `header` (its column names, which need no quoting). */
export const csvBodyPattern = (header: readonly string[]) => `^${header.join(',')}\\r\\n`;

/**
 * Lets a JSON query route also answer `Accept: text/csv`, written by `toCsv` from the JSON answer the handler
 * returns (so the two never disagree); any other Accept is a 406 before the handler runs.
 */
export function CsvAlternative<Body>(header: readonly string[], toCsv: (body: Body) => string, filename: (body: Body) => string) {
  return applyDecorators(
    UseInterceptors(new CsvInterceptor(toCsv, filename)),
    AlternativeContent(
      200,
      {
        [CSV]: textBody(`RFC 4180 CSV with a header row: ${header.join(', ')}`, csvBodyPattern(header)),
      },
      {
        'Content-Disposition': { description: 'CSV: `attachment` with a file name naming the position', schema: { type: 'string' } },
      },
    ),
  );
}

class CsvInterceptor<Body> implements NestInterceptor {
  constructor(
    private readonly toCsv: (body: Body) => string,
    private readonly filename: (body: Body) => string,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    if (negotiate(http.getRequest<FastifyRequest>().headers.accept, ['application/json', CSV]) !== CSV) return next.handle();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: Body) => {
        void reply
          .header('content-type', CSV_CONTENT_TYPE)
          .header('content-disposition', `attachment; filename="${this.filename(body)}"`)
          .header('x-content-type-options', 'nosniff');
        return this.toCsv(body);
      }),
    );
  }
}
