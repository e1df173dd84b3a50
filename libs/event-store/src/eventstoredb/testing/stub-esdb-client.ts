/**
 * A stand-in for the EventStoreDB client in unit tests: an in-memory transaction log with
 * EventStoreDB's observable behaviour (byte-offset positions with gaps, system records in `$all`,
 * inclusive forward reads, StreamNotFoundError, WrongExpectedVersionError, idempotent retries) and
 * switches to inject failures and dropped subscriptions.
 */

import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendToStreamOptions,
  type EventData,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';
import type { EsdbAllSubscription, EsdbClient } from '../esdb-client';

export interface StubRecord {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  position: Position;
  data: unknown;
  metadata: unknown;
  isJson: boolean;
  created: Date;
}

export interface StubSubscription {
  options: SubscribeToAllOptions;
  stream: PassThrough;
  unsubscribed: boolean;
}

/** Gap between consecutive records' positions, like the byte size of a log record. */
const RECORD_SIZE = 137n;

const copyJson = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** Every read decodes afresh, as the client does from the wire. */
const toResolved = (record: StubRecord): AllStreamResolvedEvent =>
  ({
    event: { ...record, data: copyJson(record.data), metadata: copyJson(record.metadata), position: { ...record.position } },
  }) as unknown as AllStreamResolvedEvent;

const isAfter = (record: StubRecord, position: Position, inclusive: boolean): boolean =>
  inclusive ? record.position.commit >= position.commit : record.position.commit > position.commit;

export class StubEsdbClient implements EsdbClient {
  readonly log: StubRecord[] = [];
  readonly appendCalls: Array<{ streamName: string; events: EventData[]; options: AppendToStreamOptions }> = [];
  readonly readAllCalls: ReadAllOptions[] = [];
  readonly subscriptions: StubSubscription[] = [];
  nextPosition = 1024n;
  clock: () => Date = () => new Date();
  /** Return appends without a position, as servers before 23.10 do for an idempotent write. */
  omitPositionOnIdempotentWrite = false;
  /** A subscription from a position replays the event at that position (the adapter must skip it). */
  subscriptionReplaysFromPosition = false;
  /** Errors thrown by the next calls of a method, one per call. */
  readonly failures: Record<'append' | 'readStream' | 'readAll' | 'subscribe', unknown[]> = {
    append: [],
    readStream: [],
    readAll: [],
    subscribe: [],
  };
  /** Calls of readAll that never answer (for ping timeouts). */
  hangReads = false;
  disposed = false;

  appendSystemEvent(streamId = '$stats-127.0.0.1:2113', type = '$statsCollected'): StubRecord {
    return this.write(streamId, [{ id: randomUUID(), type, data: {}, metadata: undefined }])[0];
  }

  async appendToStream(streamName: string, events: EventData[], options: AppendToStreamOptions): Promise<AppendResult> {
    this.appendCalls.push({ streamName, events, options });
    const failure = this.failures.append.shift();
    if (failure !== undefined) throw failure;
    const stream = this.streamRecords(streamName);
    const current = stream.length === 0 ? undefined : stream[stream.length - 1].revision;
    const expected = options.expectedRevision ?? ANY;

    const idempotent = this.idempotentMatch(stream, events, expected);
    if (idempotent !== undefined) {
      return {
        success: true,
        nextExpectedRevision: idempotent.revision,
        position: this.omitPositionOnIdempotentWrite ? undefined : { ...idempotent.position },
      };
    }
    const satisfied =
      expected === ANY ||
      (expected === NO_STREAM && current === undefined) ||
      (expected === STREAM_EXISTS && current !== undefined) ||
      (typeof expected === 'bigint' && current === expected);
    if (!satisfied) {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected,
        current: current === undefined ? NO_STREAM : current,
      });
    }
    const written = this.write(
      streamName,
      events.map((event) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })),
    );
    const last = written[written.length - 1];
    // The server answers with the last event's log position as commit and the first's as prepare.
    return {
      success: true,
      nextExpectedRevision: last.revision,
      position: { commit: last.position.commit, prepare: written[0].position.prepare },
    };
  }

  readStream(streamName: string, options: ReadStreamOptions): AsyncIterable<ResolvedEvent> {
    const failure = this.failures.readStream.shift();
    const records = this.streamRecords(streamName);
    return (async function* () {
      if (failure !== undefined) throw failure;
      if (records.length === 0) throw new StreamNotFoundError(undefined, streamName);
      const backwards = options.direction === BACKWARDS;
      const ordered = backwards ? [...records].reverse() : records;
      const from = options.fromRevision;
      const selected = ordered.filter((record) => {
        if (from === undefined || from === START || from === END) return true;
        return backwards ? record.revision <= from : record.revision >= from;
      });
      const limit = options.maxCount === undefined ? selected.length : Number(options.maxCount);
      for (const record of selected.slice(0, limit)) yield toResolved(record) as unknown as ResolvedEvent;
    })();
  }

  readAll(options: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent> {
    this.readAllCalls.push(options);
    const failure = this.failures.readAll.shift();
    const log = [...this.log];
    const hang = this.hangReads;
    return (async function* () {
      if (failure !== undefined) throw failure;
      if (hang) await new Promise<never>(() => undefined);
      const backwards = options.direction === BACKWARDS;
      const from = options.fromPosition ?? (backwards ? END : START);
      let selected: StubRecord[];
      if (backwards) {
        // Backwards from a position returns the records before it.
        selected = [...log].reverse().filter((record) => from === END || from === START || !isAfter(record, from, true));
      } else {
        // Forwards from a position includes the record at it, as EventStoreDB does.
        selected = log.filter((record) => from === START || (from !== END && isAfter(record, from, true)));
      }
      const limit = options.maxCount === undefined ? selected.length : Number(options.maxCount);
      for (const record of selected.slice(0, limit)) yield toResolved(record);
    })();
  }

  subscribeToAll(options: SubscribeToAllOptions): EsdbAllSubscription {
    const stream = new PassThrough({ objectMode: true });
    const subscription: StubSubscription = { options, stream, unsubscribed: false };
    this.subscriptions.push(subscription);
    const failure = this.failures.subscribe.shift();
    if (failure !== undefined) {
      setImmediate(() => stream.destroy(failure as Error));
    } else {
      const from = options.fromPosition ?? START;
      for (const record of this.log) {
        if (from === START || (from !== END && isAfter(record, from, this.subscriptionReplaysFromPosition))) {
          stream.write(toResolved(record));
        }
      }
    }
    return Object.assign(stream, {
      unsubscribe: async () => {
        subscription.unsubscribed = true;
        stream.end();
      },
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  /** Drops every live subscription as a lost connection would. */
  dropSubscriptions(error: Error): void {
    for (const subscription of this.liveSubscriptions()) subscription.stream.destroy(error);
  }

  liveSubscriptions(): StubSubscription[] {
    return this.subscriptions.filter((subscription) => !subscription.stream.destroyed && !subscription.unsubscribed);
  }

  private streamRecords(streamName: string): StubRecord[] {
    return this.log.filter((record) => record.streamId === streamName);
  }

  /** The stored event the retried append ends with, when every id matches the events after `expected`. */
  private idempotentMatch(stream: StubRecord[], events: EventData[], expected: AppendToStreamOptions['expectedRevision']) {
    const start = expected === NO_STREAM ? 0 : typeof expected === 'bigint' ? Number(expected) + 1 : undefined;
    if (start === undefined) return undefined;
    const candidates = stream.slice(start, start + events.length);
    if (candidates.length !== events.length) return undefined;
    return candidates.every((record, index) => record.id === events[index].id) ? candidates[candidates.length - 1] : undefined;
  }

  private write(
    streamId: string,
    events: Array<{ id: string; type: string; data: unknown; metadata: unknown }>,
  ): StubRecord[] {
    const existing = this.streamRecords(streamId).length;
    const written = events.map((event, index): StubRecord => {
      const position = this.nextPosition;
      this.nextPosition += RECORD_SIZE;
      return {
        streamId,
        id: event.id,
        type: event.type,
        revision: BigInt(existing + index),
        position: { commit: position, prepare: position },
        data: copyJson(event.data),
        metadata: copyJson(event.metadata),
        isJson: true,
        created: this.clock(),
      };
    });
    this.log.push(...written);
    for (const subscription of this.liveSubscriptions()) {
      for (const record of written) subscription.stream.write(toResolved(record));
    }
    return written;
  }
}
