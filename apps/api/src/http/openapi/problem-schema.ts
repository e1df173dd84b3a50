import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_TITLES } from '../problem';
import { FreeFormField, TextField } from './response-fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorSchema {
  @TextField({ description: 'Where the bad value is: a JSON path into the body (`milestones[0].amount`), a query or header name' })
  field!: string;

  @TextField({ description: 'The rule it broke (`isInt`, `max`, `matches`, `required`, `whitelist`, ...)' })
  rule!: string;

  @TextField()
  message!: string;
}

/**
 * An RFC 9457 problem document, the body of every error (`application/problem+json`). Callers branch on
 * `code`; `type` names a page describing it. Some problems carry more members (e.g. `details`, `projections`).
 */
export class ProblemSchema {
  @TextField({ description: 'A URI reference naming the problem type; resolves to a page describing the code' })
  type!: string;

  @TextField()
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, required: true })
  status!: number;

  @ApiProperty({
    type: 'string',
    pattern: '^[A-Z][A-Z0-9_]*$',
    required: true,
    description: 'Stable machine code, e.g. VALIDATION_FAILED, CONTRACT_NOT_FOUND',
  })
  code!: string;

  @TextField({ optional: true })
  detail?: string;

  @TextField({ optional: true, description: 'The request path' })
  instance?: string;

  @ApiPropertyOptional({ type: () => FieldErrorSchema, isArray: true, description: 'Every field the request was refused for (400)' })
  errors?: FieldErrorSchema[];

  @FreeFormField({ optional: true, description: 'Facts about the refusal, by code' })
  details?: Record<string, unknown>;

  @TextField({ optional: true, description: 'The X-Request-Id of the answer: quote it when reporting the problem' })
  requestId?: string;

  @TextField({ optional: true, description: 'The X-Correlation-Id of the answer' })
  correlationId?: string;
}

/** The ids every answer carries as headers, a problem also as its members `requestId` and `correlationId`. */
export const REQUEST_ID_RESPONSE_HEADERS: Record<string, object> = {
  'X-Request-Id': {
    required: true,
    description: "The request's id: the caller's X-Request-Id when it was 1-128 visible ASCII characters, otherwise one the service made",
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
  },
  'X-Correlation-Id': {
    required: true,
    description: "The caller's X-Correlation-Id, or the request id when it sent none (or one that is not 1-255 visible ASCII characters)",
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  },
};

/** Marks a schema that carries extension members beyond those it lists (see `openApiDocument`). */
export const OPEN_SCHEMAS: readonly string[] = ['ProblemSchema'];

/** The error answers an operation can give, each an `application/problem+json` ProblemSchema. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemSchema, FieldErrorSchema),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_TITLES[status] ?? 'Error',
        headers: REQUEST_ID_RESPONSE_HEADERS,
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemSchema) } } },
      }),
    ),
  );
}
