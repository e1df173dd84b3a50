/**
 * The event store port. Every adapter (embedded SQLite, in-memory, EventStoreDB) implements it with
 * the same semantics, proven by the shared store-contract suite in `testing/store-contract.ts`.
 *
 * Numbers: stream revisions and global positions are JavaScript safe integers. An adapter whose
 * native type is wider (EventStoreDB's bigint positions) converts with a range check and refuses
 * rather than rounding, so no precision is ever lost silently.
 */

import type { Actor } from '@escrow/domain/shared/actor';

/** Metadata every stored event carries; immutable once appended. */
export interface EventMetadata {
  /** Version of this event type's data shape; a change of shape is a new version with an upcaster. */
  schemaVersion: number;
  /** ISO-8601 instant at which the fact happened (the command's time). */
  occurredAt: string;
  actor: Actor;
  /** Id of the calling service (API client) the command came through; absent on events recorded before it was kept. */
  callingService?: string;
  correlationId: string;
  causationId: string;
  /** The Idempotency-Key of the command that produced the event, when it had one. */
  idempotencyKey?: string;
  /** Hash of the request that carried the idempotency key, so a reused key with another body is told apart. */
  requestHash?: string;
}

export interface EventToAppend {
  /** UUID; deterministic for a command so that a retried append can be recognised. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent extends EventToAppend {
  streamId: string;
  /** 0-based position of the event inside its stream. */
  revision: number;
  /** Position in the store's single global order; strictly increasing, first event is 1. */
  position: number;
  /** When the store recorded it (ISO-8601). */
  recordedAt: string;
}

/**
 * - `any`: no check.
 * - `no_stream`: the stream must not exist yet.
 * - `stream_exists`: the stream must have at least one event.
 * - a number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** Revision of the last appended event (the stream's new current revision). */
  nextExpectedRevision: number;
  /** Global position of the last appended event. */
  position: number;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this global position; default 0 (from the start). */
  after?: number;
  maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Deliver events strictly after this position (a checkpoint is exclusive); default 0. */
  after?: number;
  /** Largest batch handed to the handler at once. */
  maxBatchSize?: number;
  /**
   * Receives events in global order, in batches. The next batch is not delivered until the
   * returned promise settles; a rejection stops the subscription and is reported to onError.
   */
  handler: (events: RecordedEvent[]) => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Stops delivery; resolves once no handler call is in flight. */
  stop(): Promise<void>;
}

export interface EventStore {
  /** Appends atomically or not at all; throws WrongExpectedRevisionError on a failed check. */
  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of every stream in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up subscription: replays from `after`, then turns live and keeps delivering new events. */
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  /** Position of the last event in the store (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * `headPosition`, answered at once from what is committed now (appends still queued are not counted), by an
   * adapter that can read it without a round trip and whose appends each hold consecutive positions. Comparing
   * it with the positions of one's own appends tells whether anyone else appended since (another process on the
   * same file, another writer in this one), which is how the command executor knows its cached folds are current.
   */
  committedHeadPosition?(): number;
  /**
   * The store's identity: a random UUID created with the store and kept for its whole life. Read models
   * record it, so that a log that is not the one they were built from (another store's, or an emptied
   * one) is recognised at start instead of being read as a continuation.
   */
  storeId(): Promise<string>;
  /**
   * Since when appends have been failing for want of room or I/O while reads still work (an embedded
   * store on a full disk); undefined while appends succeed, and for adapters whose ping already fails then.
   */
  readonly writeFailingSince?: string;
  /** Cheap liveness probe for health checks. */
  ping(): Promise<void>;
  /**
   * Calls `observer` (each observer added) after each write transaction of an adapter that commits appends
   * in groups (the embedded store), for the service's metrics and to wake the processors' thread; absent
   * where there is no such group.
   */
  observeCommits?(observer: CommitObserver): void;
  close(): Promise<void>;
}

/** One group commit: how many appends and events it carried, how long the transaction took, whether it committed. */
export interface CommitReport {
  appends: number;
  events: number;
  durationMs: number;
  committed: boolean;
}

export type CommitObserver = (report: CommitReport) => void;

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Current revision of the stream, or -1 when it does not exist. */
    readonly actual: number,
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** The store cannot be reached or cannot take writes right now; nothing was done. Retry later. */
export class EventStoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}

/** DI token under which the application receives its EventStore. */
export const EVENT_STORE = Symbol('EVENT_STORE');
