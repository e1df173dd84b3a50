/**
 * The production event store: EventStoreDB (one node or a cluster) through `@eventstore/db-client`.
 *
 * - Streams and revisions are EventStoreDB's own; the expected-revision check is done by the server
 *   (`expectedRevision`), which is what keeps several stateless API replicas correct.
 * - The global order is `$all` without system events. Positions are commit positions (see
 *   `positions.ts`): strictly increasing but not contiguous, and refused when beyond 2^53 - 1.
 * - Before each append the tail of the target stream is read once: a violated expected revision
 *   and an event id already stored there are refused exactly like the embedded store refuses them
 *   (the server's check stays authoritative for races). Event ids are deterministic per command and
 *   a command writes one stream, so a retried command meets its earlier events there; EventStoreDB's
 *   idempotent-write check covers the append retried concurrently.
 * - Transient failures become `EventStoreUnavailableError` (the HTTP layer answers 503 with
 *   Retry-After); nothing was appended, or the append landed and a retry is recognised.
 */

import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type AppendResult as EsdbAppendResult,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import { assertValidAppend, expectedRevisionViolation, NO_STREAM_REVISION } from '../append-rules';
import { DuplicateEventIdError } from '../errors';
import {
  AppendResult,
  EventStore,
  EventStoreUnavailableError,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../port';
import { nonNegativeInteger, positiveInteger, resolveReadAllOptions, resolveReadStreamOptions } from '../read-options';
import { assertValidBackoffPolicy, DEFAULT_BACKOFF_POLICY, type BackoffPolicy } from '../backoff';
import { createEsdbClient, type EsdbClient } from './esdb-client';
import { isStreamNotFoundError, mapAppendError, mapEsdbError } from './esdb-errors';
import { isSystemEventType, toEsdbExpectedRevision, toEventData, toRecordedEvent } from './event-mapping';
import { bigintToSafeInteger, compareEsdbPositions, toEsdbPosition, toPortPosition } from './positions';
import { readOrCreateStoreId } from './store-identity';
import { abortableSleep, ResubscribingAllSubscription, type Sleep, type SubscriptionDrop } from './resubscribing-all-subscription';

export interface EventStoreDbEventStoreOptions {
  /** Records read from `$all` per request by readAll and headPosition. */
  readPageSize?: number;
  /**
   * How many of the target stream's latest events are checked for an already stored event id
   * before an append; 0 turns the pre-append read off (the server's checks remain).
   */
  duplicateCheckWindow?: number;
  /** ping() fails with EventStoreUnavailableError when the server has not answered by then. */
  pingTimeoutMs?: number;
  /** Back-off between resubscriptions after a dropped subscription. */
  resubscribeBackoff?: Partial<BackoffPolicy>;
  /** Told about each dropped subscription before it is retried (for logs and metrics). */
  onSubscriptionDropped?: (drop: SubscriptionDrop) => void;
  /** Source of jitter; Math.random by default. */
  random?: () => number;
  /** Waits between resubscriptions; a timer by default. */
  sleep?: Sleep;
  /**
   * Source of the store identity's `occurredAt`; the system clock by default. The server itself stamps every
   * event's `recordedAt` (its `created`) with its own clock, which no client setting moves.
   */
  clock?: () => Date;
}

export const DEFAULT_READ_PAGE_SIZE = 500;
export const DEFAULT_DUPLICATE_CHECK_WINDOW = 100;
export const DEFAULT_PING_TIMEOUT_MS = 2000;

interface StreamTail {
  /** Current revision, -1 when the stream does not exist. */
  revision: number;
  eventIds: Set<string>;
}

export class EventStoreDbEventStore implements EventStore {
  private readonly readPageSize: number;
  private readonly duplicateCheckWindow: number;
  private readonly pingTimeoutMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly subscriptions = new Set<ResubscribingAllSubscription>();
  private closed = false;
  private identity: Promise<string> | undefined;

  /** Parses the connection string and creates the client; connects lazily, on first use. */
  static connect(connectionString: string, options: EventStoreDbEventStoreOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(createEsdbClient(connectionString), options);
  }

  constructor(
    private readonly client: EsdbClient,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.readPageSize = positiveInteger('readPageSize', options.readPageSize, DEFAULT_READ_PAGE_SIZE);
    this.duplicateCheckWindow = nonNegativeInteger('duplicateCheckWindow', options.duplicateCheckWindow, DEFAULT_DUPLICATE_CHECK_WINDOW);
    this.pingTimeoutMs = positiveInteger('pingTimeoutMs', options.pingTimeoutMs, DEFAULT_PING_TIMEOUT_MS);
    this.backoff = { ...DEFAULT_BACKOFF_POLICY, ...options.resubscribeBackoff };
    assertValidBackoffPolicy(this.backoff);
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertValidAppend(streamId, events, expected);
    const eventData = events.map(toEventData);
    if (this.duplicateCheckWindow > 0) {
      const tail = await this.readStreamTail(streamId, this.duplicateCheckWindow);
      const violation = expectedRevisionViolation(streamId, expected, tail.revision);
      if (violation) throw violation;
      const stored = events.find((event) => tail.eventIds.has(event.id));
      if (stored) throw new DuplicateEventIdError(stored.id, streamId);
    }

    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(streamId, eventData, {
        expectedRevision: toEsdbExpectedRevision(expected),
      });
    } catch (error) {
      throw mapAppendError(error, streamId, expected);
    }
    if (!result.success) {
      // Only reachable when the connection string sets throwOnAppendFailure=false.
      const actual =
        result.nextExpectedRevision < 0n
          ? NO_STREAM_REVISION
          : bigintToSafeInteger(result.nextExpectedRevision, 'stream revision');
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    if (result.position === undefined) {
      // Older servers acknowledge an idempotent (already applied) write without a position: this
      // call wrote nothing, its events were stored by an earlier attempt.
      throw new DuplicateEventIdError(events[0].id, streamId);
    }
    return {
      nextExpectedRevision: bigintToSafeInteger(result.nextExpectedRevision, 'stream revision'),
      // The commit position of an append is that of its last event.
      position: bigintToSafeInteger(result.position.commit, 'position'),
    };
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const { fromRevision, maxCount } = resolveReadStreamOptions(options);
    this.assertOpen();
    if (maxCount === 0) return [];
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: fromRevision === 0 ? START : BigInt(fromRevision),
        ...(maxCount === undefined ? {} : { maxCount }),
      });
      for await (const resolved of read) {
        if (resolved.event !== undefined) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (isStreamNotFoundError(error)) return [];
      throw mapEsdbError(error, `read stream ${streamId}`);
    }
    return events;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const { after, maxCount } = resolveReadAllOptions(options);
    this.assertOpen();
    const events: RecordedEvent[] = [];
    if (maxCount === 0) return events;
    // Reads are paged by raw records, system events included, and resume at the last record seen
    // (inclusive), skipping what was already seen; `after` is skipped the same way.
    let from: ReadPosition = after === 0 ? START : toEsdbPosition(after);
    let lastSeen: Position | undefined = after === 0 ? undefined : toEsdbPosition(after);
    for (;;) {
      const page = await this.readAllPage(from, FORWARDS);
      for (const resolved of page) {
        const event = resolved.event;
        if (event === undefined) continue;
        if (lastSeen !== undefined && compareEsdbPositions(event.position, lastSeen) <= 0) continue;
        lastSeen = event.position;
        if (isSystemEventType(event.type)) continue;
        events.push(toRecordedEvent(event));
        if (events.length === maxCount) return events;
      }
      if (page.length < this.readPageSize || lastSeen === undefined) return events;
      from = lastSeen;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    const subscription = new ResubscribingAllSubscription(options, {
      client: this.client,
      backoff: this.backoff,
      random: this.options.random ?? Math.random,
      sleep: this.options.sleep ?? abortableSleep,
      onDropped: this.options.onSubscriptionDropped,
      onFinished: (finished) => this.subscriptions.delete(finished),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Position of the last non-system event of `$all`, found by reading backwards from the end. */
  async headPosition(): Promise<number> {
    this.assertOpen();
    let from: ReadPosition = END;
    let lastSeen: Position | undefined;
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS);
      for (const resolved of page) {
        const event = resolved.event;
        if (event === undefined) continue;
        if (lastSeen !== undefined && compareEsdbPositions(event.position, lastSeen) >= 0) continue;
        lastSeen = event.position;
        if (!isSystemEventType(event.type)) return toPortPosition(event.position);
      }
      if (page.length < this.readPageSize || lastSeen === undefined) return 0;
      from = lastSeen;
    }
  }

  /** The id kept in the store's identity stream (see `store-identity.ts`), asked once and remembered. */
  storeId(): Promise<string> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    this.identity ??= readOrCreateStoreId(this, this.options.clock).catch((error: unknown) => {
      this.identity = undefined;
      throw error;
    });
    return this.identity;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new EventStoreUnavailableError(`EventStoreDB did not answer within ${this.pingTimeoutMs} ms`)),
        this.pingTimeoutMs,
      );
    });
    const probe = (async () => {
      try {
        for await (const _ of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
          // Draining the one record is the probe.
        }
      } catch (error) {
        throw mapEsdbError(error, 'ping');
      }
    })();
    try {
      await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
      probe.catch(() => undefined);
    }
  }

  /** Stops the subscriptions (waiting for handlers in flight), then releases the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  private async readAllPage(fromPosition: ReadPosition, direction: typeof FORWARDS | typeof BACKWARDS): Promise<AllStreamResolvedEvent[]> {
    const page: AllStreamResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readAll({ direction, fromPosition, maxCount: this.readPageSize })) {
        page.push(resolved);
      }
    } catch (error) {
      throw mapEsdbError(error, 'read $all');
    }
    return page;
  }

  private async readStreamTail(streamId: string, window: number): Promise<StreamTail> {
    const tail: StreamTail = { revision: NO_STREAM_REVISION, eventIds: new Set() };
    let newest = true;
    try {
      const read = this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: window });
      for await (const resolved of read) {
        const event = resolved.event;
        if (event === undefined) continue;
        if (newest) tail.revision = bigintToSafeInteger(event.revision, 'stream revision');
        newest = false;
        tail.eventIds.add(event.id.toLowerCase());
      }
    } catch (error) {
      if (isStreamNotFoundError(error)) return tail;
      throw mapEsdbError(error, `read stream ${streamId}`);
    }
    return tail;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The EventStoreDB event store is closed');
  }
}
