import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { AnsweringWith } from '../decorators';
import { ApiProblems } from './problem-schema';

/**
 * The statuses of refusals any command can meet: a field refused (400), no or a bad token (401), a role or party
 * not allowed (403), what it names not found (404), a state that does not allow it or contention (409), a stale
 * If-Match (412), a body too large (413), an Idempotency-Key reused with another body (422), and the store
 * unavailable (503); 500 is an unexpected fault.
 */
export const COMMAND_PROBLEM_STATUSES = [400, 401, 403, 404, 409, 412, 413, 422, 500, 503] as const;

/** The statuses of refusals any query can meet; 503 also when a read model is behind the asked minPosition. */
export const QUERY_PROBLEM_STATUSES = [400, 401, 403, 404, 500, 503] as const;

/** Headers every answer carries. */
const RESPONSE_HEADERS: Record<string, object> = {};

function success(status: number, schema: Type<unknown>, description: string, headers: Record<string, object> = {}) {
  return applyDecorators(
    ApiExtraModels(schema),
    ApiResponse({
      status,
      description,
      headers: { ...RESPONSE_HEADERS, ...headers },
      content: { 'application/json': { schema: { $ref: getSchemaPath(schema) } } },
    }),
  );
}

/** A command's answers: its resource after the command (201 when it creates one), or a problem. */
export function CommandResponses(schema: Type<unknown>, options: { created?: boolean; problems?: readonly number[] } = {}) {
  const status = options.created ? 201 : 200;
  return applyDecorators(
    success(
      status,
      schema,
      options.created
        ? 'Created; a retry with the same Idempotency-Key answers the same'
        : 'Done; a retry with the same Idempotency-Key answers the same',
      {
        'Idempotent-Replayed': {
          description: '`true` when this is the stored answer of an earlier request with the same key',
          schema: { type: 'string', enum: ['true'] },
        },
      },
    ),
    ApiProblems(...(options.problems ?? COMMAND_PROBLEM_STATUSES)),
  );
}

/** A query's answers: its body, or a problem. The handler must answer what the class describes (see AnsweringWith). */
export function QueryResponses<Response>(schema: Type<Response>, options: { problems?: readonly number[] } = {}): AnsweringWith<Response> {
  return applyDecorators(success(200, schema, 'OK'), ApiProblems(...(options.problems ?? QUERY_PROBLEM_STATUSES)));
}

/**
 * A read-model route whose body is not given a schema here yet (the lists, which move to one list envelope): a JSON
 * object, or an array, with members not listed.
 */
export function UntypedReadResponses(shape: 'object' | 'array' = 'object') {
  return applyDecorators(
    ApiResponse({
      status: 200,
      description: 'OK; the members of this body are not described here yet',
      content: { 'application/json': { schema: shape === 'array' ? { type: 'array', items: { type: 'object' } } : { type: 'object' } } },
    }),
    ApiProblems(...QUERY_PROBLEM_STATUSES),
  );
}
