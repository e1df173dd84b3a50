import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

/** The headers every command takes, documented once. */
export const CommandHeaders = () =>
  applyDecorators(
    ApiHeader({ name: 'X-Actor-Id', required: true, description: 'The user (or support/system principal) on whose behalf the call is made' }),
    ApiHeader({ name: 'X-Actor-Role', required: true, enum: ['user', 'support', 'system'] }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key and body returns the first response and appends nothing' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision; 412 when stale' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Carried into the metadata of every event the command appends' }),
  );
