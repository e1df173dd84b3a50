import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ACTOR_ROLES } from '@escrow/domain/shared/actor';

/** The headers every command takes, documented once. */
export const CommandHeaders = () =>
  applyDecorators(
    ApiHeader({ name: 'X-Actor-Id', required: true, description: 'The user (or support or system principal) on whose behalf the call is made' }),
    ApiHeader({ name: 'X-Actor-Role', required: true, enum: ACTOR_ROLES.filter((role) => role !== 'auditor'), description: 'Must be one of the roles the calling service is allowed to assert; auditor issues no commands' }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key and body, by the same calling service and actor, returns the first response and appends nothing' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision; 412 when stale' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Carried into the metadata of every event the command appends' }),
  );
