/**
 * Conversion between the port's events and EventStoreDB's.
 *
 * Stored shape: `data` is the event's JSON (content type application/json); the event metadata
 * JSON is the port's `EventMetadata` plus `$correlationId` / `$causationId`, the keys EventStoreDB's
 * own tooling (the `$by_correlation_id` projection, the UI) understands. Keys starting with `$` are
 * dropped again on read, so what a reader gets back is exactly the metadata that was appended.
 */

import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type AppendExpectedRevision,
  type EventData,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, EventToAppend, ExpectedRevision, RecordedEvent } from '../port';
import { bigintToSafeInteger, toPortPosition } from './positions';

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new RangeError(`Expected revision must be a revision >= 0, got ${String(expected)}`);
      }
      return BigInt(expected);
  }
}

/**
 * The client serialises JSON while it streams the append to the server; serialising here first
 * makes an unserialisable event (a bigint, a cycle) fail before anything is sent.
 */
function assertSerializable(event: EventToAppend): void {
  try {
    JSON.stringify(event.data);
    JSON.stringify(event.metadata);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`Event ${event.id} cannot be stored as JSON: ${reason}`);
  }
}

export function toEventData(event: EventToAppend): EventData {
  assertSerializable(event);
  return {
    // The caller's id goes through unchanged: it is what lets EventStoreDB recognise a retried append.
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    data: event.data,
    metadata: {
      ...event.metadata,
      $correlationId: event.metadata.correlationId,
      $causationId: event.metadata.causationId,
    },
  };
}

/** Event types starting with `$` are EventStoreDB's own (stats, settings, links, scavenges...). */
export const isSystemEventType = (type: string): boolean => type.startsWith('$');

/** A stored event this adapter cannot read back as a port event (binary, or not a JSON object). */
export class UnreadableEventError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
    reason: string,
  ) {
    super(`EventStoreDB event ${eventId} in stream ${streamId} cannot be read: ${reason}`);
    this.name = 'UnreadableEventError';
  }
}

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

function withoutEsdbKeys(metadata: Record<string, unknown>): EventMetadata {
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (!key.startsWith('$')) own[key] = value;
  }
  // Cast kept: the metadata is what this service wrote through the port, trusted as the SQLite store trusts its own JSON.
  return own as unknown as EventMetadata;
}

export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.isJson || !isJsonObject(event.data)) {
    throw new UnreadableEventError(event.streamId, event.id, 'its data is not a JSON object');
  }
  if (!isJsonObject(event.metadata)) {
    throw new UnreadableEventError(event.streamId, event.id, 'its metadata is not a JSON object');
  }
  if (event.position === undefined) {
    // Stream reads carry positions from EventStoreDB 22.6 on; the port needs them.
    throw new UnreadableEventError(event.streamId, event.id, 'the server returned no position (EventStoreDB >= 22.10 is required)');
  }
  return {
    id: event.id,
    streamId: event.streamId,
    revision: bigintToSafeInteger(event.revision, 'stream revision'),
    position: toPortPosition(event.position),
    type: event.type,
    data: event.data,
    metadata: withoutEsdbKeys(event.metadata),
    recordedAt: event.created.toISOString(),
  };
}
