/** An RFC 9457 problem document with the stable machine `code` callers branch on. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface FieldError {
  /** Where the bad value is: a JSON path into the body (`milestones[0].amount`), a query or header name. */
  field: string;
  /** The rule it broke (`isInt`, `min`, `required`, `whitelist`, ...). */
  rule: string;
  message: string;
}

/** Thrown anywhere in the HTTP layer; the problem filter renders it as is. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'ProblemError';
  }
}

/** The title of each status's problem documents. */
export const PROBLEM_TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  408: 'Request timeout',
  409: 'Conflict with the current state',
  412: 'Precondition failed',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  431: 'Request headers too large',
  422: 'Idempotency key reused',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Problem types are relative URIs under /problems/, documented in docs/api.md. */
export const PROBLEM_TYPE_BASE = '/problems/';
export const problemType = (code: string) => PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');

export const badRequest = (errors: FieldError[], detail = 'The request has invalid fields.') =>
  new ProblemError(400, 'VALIDATION_FAILED', 'Invalid request', detail, { errors });

export const HTTP_STATUS_OF_DOMAIN_ERROR = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409 } as const;
