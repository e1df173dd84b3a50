/**
 * The few operations of `@eventstore/db-client` the adapter uses. The adapter receives this
 * interface instead of the concrete client so that every behaviour (error mapping, paging, the
 * resubscribing subscription) is testable against a stub; `EventStoreDBClient` satisfies it as is.
 */

import {
  EventStoreDBClient,
  type AllStreamResolvedEvent,
  type AppendResult as EsdbAppendResult,
  type AppendToStreamOptions,
  type EventData,
  type ReadAllOptions as EsdbReadAllOptions,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type ResolvedEvent,
  type SubscribeToAllOptions as EsdbSubscribeToAllOptions,
} from '@eventstore/db-client';

/** A live catch-up subscription: an object-mode readable of resolved events. */
export interface EsdbAllSubscription extends AsyncIterable<AllStreamResolvedEvent> {
  /** Events already received and buffered; lets the adapter batch what is there without waiting. */
  readonly readableLength: number;
  unsubscribe(): Promise<void>;
  /** Tears the readable down so that a pending read settles. */
  destroy?(error?: Error): unknown;
}

export interface EsdbClient {
  appendToStream(streamName: string, events: EventData[], options: AppendToStreamOptions): Promise<EsdbAppendResult>;
  readStream(streamName: string, options: EsdbReadStreamOptions): AsyncIterable<ResolvedEvent>;
  readAll(options: EsdbReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options: EsdbSubscribeToAllOptions): EsdbAllSubscription;
  dispose(): Promise<void>;
}

/** EVENTSTORE_CONNECTION_STRING is not a valid EventStoreDB connection string. */
export class InvalidConnectionStringError extends Error {
  constructor(
    reason: string,
    override readonly cause?: unknown,
  ) {
    super(`Invalid EventStoreDB connection string: ${reason}`);
    this.name = 'InvalidConnectionStringError';
  }
}

/**
 * Parses the connection string (esdb://host:port[,host:port...]?tls=...) and builds a client. No
 * network traffic happens here: the client connects on first use, so a service can start while the
 * database is still coming up and report itself unavailable until it answers.
 */
export function createEsdbClient(connectionString: string): EsdbClient {
  if (typeof connectionString !== 'string' || connectionString.trim() === '') {
    throw new InvalidConnectionStringError('it is empty');
  }
  try {
    return EventStoreDBClient.connectionString(connectionString.trim());
  } catch (error) {
    throw new InvalidConnectionStringError(error instanceof Error ? error.message : String(error), error);
  }
}
