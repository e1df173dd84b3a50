/** Validation and defaults of read options, shared by the adapters. */

import { ReadAllOptions, ReadStreamOptions } from './port';

export interface ResolvedReadAllOptions {
  after: number;
  /** undefined: no limit. */
  maxCount: number | undefined;
}

export interface ResolvedReadStreamOptions {
  fromRevision: number;
  /** undefined: no limit. */
  maxCount: number | undefined;
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number;
function nonNegativeInteger(name: string, value: number | undefined, fallback: undefined): number | undefined;
function nonNegativeInteger(name: string, value: number | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be an integer >= 0, got ${String(value)}`);
  }
  return value;
}

export const resolveReadAllOptions = (options: ReadAllOptions = {}): ResolvedReadAllOptions => ({
  after: nonNegativeInteger('after', options.after, 0),
  maxCount: nonNegativeInteger('maxCount', options.maxCount, undefined),
});

export const resolveReadStreamOptions = (options: ReadStreamOptions = {}): ResolvedReadStreamOptions => ({
  fromRevision: nonNegativeInteger('fromRevision', options.fromRevision, 0),
  maxCount: nonNegativeInteger('maxCount', options.maxCount, undefined),
});
