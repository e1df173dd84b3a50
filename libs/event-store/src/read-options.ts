/** Validation and defaults of read and subscription options, shared by the adapters. */

import { ReadAllOptions, ReadStreamOptions, SubscribeToAllOptions } from './port';

export const DEFAULT_SUBSCRIPTION_BATCH_SIZE = 500;

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

export interface ResolvedSubscriptionStart {
  /** The subscription delivers the events after this position. */
  after: number;
  maxBatchSize: number;
}

/** An option that counts something from zero: its value, or the fallback when it is not given. */
export function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number;
export function nonNegativeInteger(name: string, value: number | undefined, fallback: undefined): number | undefined;
export function nonNegativeInteger(name: string, value: number | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be an integer >= 0, got ${String(value)}`);
  }
  return value;
}

/** A size, interval or limit that must be at least one: its value, or the fallback when it is not given. */
export function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${String(value)}`);
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

export const resolveSubscriptionStart = (options: SubscribeToAllOptions): ResolvedSubscriptionStart => ({
  after: nonNegativeInteger('after', options.after, 0),
  maxBatchSize: positiveInteger('maxBatchSize', options.maxBatchSize, DEFAULT_SUBSCRIPTION_BATCH_SIZE),
});
