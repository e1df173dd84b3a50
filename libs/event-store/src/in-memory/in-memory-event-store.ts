/**
 * An EventStore held in process memory, for tests. It keeps the exact semantics of the durable
 * adapters, including JSON round-tripping of data and metadata (what a reader gets back is what
 * SQLite or EventStoreDB would return, never the caller's objects).
 */

import { systemClock } from '@escrow/clock';
import { randomUUID } from 'node:crypto';
import { assertValidAppend, expectedRevisionViolation, NO_STREAM_REVISION } from '../append-rules';
import { CatchUpSubscriptions } from '../catch-up-subscription';
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
} from '../port';
import { resolveReadAllOptions, resolveReadStreamOptions } from '../read-options';

export interface InMemoryEventStoreOptions {
  /** Source of `recordedAt`; the system clock by default. */
  clock?: () => Date;
}

interface StoredEvent {
  id: string;
  streamId: string;
  revision: number;
  position: number;
  type: string;
  data: string;
  metadata: string;
  recordedAt: string;
}

const toRecordedEvent = (stored: StoredEvent): RecordedEvent => ({
  id: stored.id,
  streamId: stored.streamId,
  revision: stored.revision,
  position: stored.position,
  type: stored.type,
  data: JSON.parse(stored.data) as Record<string, unknown>,
  metadata: JSON.parse(stored.metadata) as RecordedEvent['metadata'],
  recordedAt: stored.recordedAt,
});

export class InMemoryEventStore implements EventStore {
  /** Index i holds position i + 1. */
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly eventIds = new Set<string>();
  private readonly subscriptions = new CatchUpSubscriptions({ readPage: async (after, maxCount) => this.readAfter(after, maxCount) });
  private readonly clock: () => Date;
  private closed = false;
  /** A store held in memory lives as long as this instance: each one is a store of its own. */
  private readonly id = randomUUID();

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.clock = options.clock ?? systemClock.now;
  }

  // Every check and the write happen before the first await, so concurrent appends are decided
  // in call order exactly like a store that serialises its writers.
  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertValidAppend(streamId, events, expected);
    const stream = this.streams.get(streamId);
    const actual = stream === undefined ? NO_STREAM_REVISION : stream.length - 1;
    const violation = expectedRevisionViolation(streamId, expected, actual);
    if (violation) throw violation;
    for (const event of events) {
      if (this.eventIds.has(event.id)) throw new DuplicateEventIdError(event.id, streamId);
    }

    const recordedAt = this.clock().toISOString();
    // Serialise everything first: an event that cannot be stored must leave the store untouched.
    const stored = events.map(
      (event, index): StoredEvent => ({
        id: event.id,
        streamId,
        revision: actual + 1 + index,
        position: this.log.length + 1 + index,
        type: event.type,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        recordedAt,
      }),
    );
    const target = stream ?? [];
    for (const event of stored) {
      this.log.push(event);
      target.push(event);
      this.eventIds.add(event.id);
    }
    this.streams.set(streamId, target);
    this.subscriptions.notifyAll();

    const last = stored[stored.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { fromRevision, maxCount } = resolveReadStreamOptions(options);
    const stream = this.streams.get(streamId) ?? [];
    const end = maxCount === undefined ? stream.length : fromRevision + maxCount;
    return stream.slice(fromRevision, end).map(toRecordedEvent);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { after, maxCount } = resolveReadAllOptions(options);
    return this.readAfter(after, maxCount);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    return this.subscriptions.open(options);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.log.length;
  }

  committedHeadPosition(): number {
    this.assertOpen();
    return this.log.length;
  }

  async storeId(): Promise<string> {
    this.assertOpen();
    return this.id;
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.subscriptions.stopAll();
    this.closed = true;
  }

  private readAfter(after: number, maxCount: number | undefined): RecordedEvent[] {
    const end = maxCount === undefined ? this.log.length : after + maxCount;
    return this.log.slice(after, end).map(toRecordedEvent);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The in-memory event store is closed');
  }
}
