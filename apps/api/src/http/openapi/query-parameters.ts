import { ApiQuery } from '@nestjs/swagger';
import { MAX_INSTANT_LENGTH } from '@escrow/domain/shared/limits';

/**
 * Query parameters documented with the exact form the routes accept, so that a generated client and a
 * validator know it as well as the route does.
 */
const LARGEST_POSITION = 999_999_999_999_999;

/** A global position (whole number, up to 15 digits). */
export const PositionQuery = (name: string, description: string) =>
  ApiQuery({ name, required: false, description, schema: { type: 'integer', minimum: 0, maximum: LARGEST_POSITION } });

/** A page size. */
export const LimitQuery = (maximum: number, byDefault: number, description = `At most this many, 1 to ${maximum}`) =>
  ApiQuery({ name: 'limit', required: false, description, schema: { type: 'integer', minimum: 1, maximum, default: byDefault } });

/** A global position or an ISO-8601 instant with offset: what the ledger is asked as of. */
export const PositionOrInstantQuery = (name: string, description: string) =>
  ApiQuery({
    name,
    required: false,
    description,
    schema: { type: 'string', pattern: '^([0-9]{1,15}|[0-9]{4}-[0-9]{2}-[0-9]{2}T.+)$', maxLength: MAX_INSTANT_LENGTH },
  });

/** One of a fixed set of words. */
export const EnumQuery = (name: string, values: readonly string[], description: string, byDefault?: string) =>
  ApiQuery({ name, required: false, description, schema: { type: 'string', enum: [...values], ...(byDefault ? { default: byDefault } : {}) } });

/** A string of a fixed form. */
export const PatternQuery = (name: string, pattern: RegExp | string, description: string, maxLength?: number) =>
  ApiQuery({
    name,
    required: false,
    description,
    schema: { type: 'string', pattern: typeof pattern === 'string' ? pattern : pattern.source, ...(maxLength ? { maxLength } : {}) },
  });
