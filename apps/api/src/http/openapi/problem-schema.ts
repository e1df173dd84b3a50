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
}

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
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemSchema) } } },
      }),
    ),
  );
}
