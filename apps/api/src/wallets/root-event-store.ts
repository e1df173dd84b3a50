import type { ModuleRef } from '@nestjs/core';
import {
  EVENT_STORE,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '@escrow/event-store/port';

/**
 * The root module's event store, looked up on first use. The root module does not export its providers
 * and is instantiated after the modules it imports, so this module reaches the one store through the
 * module container when a request (or the credit process) first needs it. Closing stays with the root.
 */
export class RootEventStore implements EventStore {
  private resolved: EventStore | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  private get store(): EventStore {
    return (this.resolved ??= this.moduleRef.get<EventStore>(EVENT_STORE, { strict: false }));
  }

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.store.append(streamId, events, expected);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.store.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.store.readAll(options);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return this.store.subscribeToAll(options);
  }

  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  ping(): Promise<void> {
    return this.store.ping();
  }

  /** The root module owns the store and closes it. */
  async close(): Promise<void> {}
}
