import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ACTOR_ROLES } from '@escrow/domain/shared/actor';

/** The headers every command takes, documented once. */
export const CommandHeaders = () =>
  applyDecorators(
    ApiHeader({ name: 'X-Actor-Id', required: true, description: 'The user (or support or system principal) on whose behalf the call is made' }),
    ApiHeader({ name: 'X-Actor-Role', required: true, enum: ACTOR_ROLES.filter((role) => role !== 'auditor'), description: 'Must be one of the roles the calling service is allowed to assert; auditor issues no commands' }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key and body, by the same calling service and actor, returns the first response and appends nothing' }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description:
        'Entity tags of the stream revision the caller last saw (the ETag it was answered with: `"3"`, a list `"3", "4"`, or `*` for any revision of a stream that exists), compared strongly: ' +
        'a weak tag (`W/"3"`) never matches. 412 STALE_REVISION when none matches; 400 when malformed. A bare revision (`3`) is read as `"3"`.',
      schema: { type: 'string', example: '"3"' },
    }),
    ...traceHeaders('Carried into the metadata of every event the command appends; the request id when absent'),
  );

const traceHeaders = (correlation: string) => [
  ApiHeader({
    name: 'X-Request-Id',
    required: false,
    description: "The caller's id of this request, 1-128 visible ASCII characters; echoed in the answer and in its problem, logged. Another value is replaced by one the service makes.",
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
  }),
  ApiHeader({ name: 'X-Correlation-Id', required: false, description: correlation, schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' } }),
];

/** The request headers that trace a query: X-Request-Id and X-Correlation-Id. */
export const TraceHeaders = () => applyDecorators(...traceHeaders('Echoed in the answer; the request id when absent'));
