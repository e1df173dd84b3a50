import { BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { ProblemError } from '../http/problem';
import { Metrics } from '../observability/metrics';
import { ShutdownCoordinator } from '../observability/shutdown';
import type { EventFeedConfig } from './event-feed-config';
import type { FeedRequest } from './feed-filter';
import { FeedReader } from './feed-reader';

export const EVENT_FEED_CONFIG = Symbol('EVENT_FEED_CONFIG');

/** How long shutdown waits for readers to take their last frame; well inside an orchestrator's stop grace. */
const SHUTDOWN_GRACE_MS = 1_000;

/** The open streams of the live event feed: how many each calling service holds, and their closing at shutdown. */
@Injectable()
export class EventFeed implements BeforeApplicationShutdown {
  private readonly readers = new Set<FeedReader>();
  private readonly streamsByClient = new Map<string, number>();
  private shuttingDown = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_FEED_CONFIG) readonly config: EventFeedConfig,
    @Optional() @Inject(Metrics) private readonly metrics?: Metrics,
    @Optional() @Inject(ShutdownCoordinator) shutdown?: ShutdownCoordinator,
  ) {
    // The service's stop begins by ending the streams, before it waits for its connections to drain.
    shutdown?.onShutdown(() => this.closeAll());
  }

  /** Streams open now, for the readers gauge. */
  get openReaders(): number {
    return this.readers.size;
  }

  openReadersOf(callingService: string): number {
    return this.streamsByClient.get(callingService) ?? 0;
  }

  /**
   * Opens a stream for a calling service, or refuses it (429 past the service's limit, 503 while shutting
   * down) before `takeResponse` hands over the connection, so that a refusal is an ordinary problem answer.
   */
  open(
    callingService: string,
    request: FeedRequest,
    takeResponse: () => { out: ServerResponse; headers: OutgoingHttpHeaders },
  ): FeedReader {
    if (this.shuttingDown) {
      throw new ProblemError(
        503,
        'SHUTTING_DOWN',
        'Service unavailable',
        'The service is shutting down; reconnect to another instance or shortly.',
        {},
        {
          'retry-after': String(Math.max(1, Math.ceil(this.config.retryMs / 1000))),
        },
      );
    }
    const open = this.openReadersOf(callingService);
    if (open >= this.config.maxStreamsPerClient) {
      throw new ProblemError(
        429,
        'TOO_MANY_STREAMS',
        'Too many requests',
        `The calling service ${callingService} already holds ${open} open event streams, its limit; close one before opening another.`,
        { limit: this.config.maxStreamsPerClient },
        { 'retry-after': '5' },
      );
    }
    const { out, headers } = takeResponse();
    const reader = new FeedReader(out, this.store, request, this.config);
    this.readers.add(reader);
    this.metrics?.setSseReaders(this.readers.size);
    this.streamsByClient.set(callingService, open + 1);
    void reader.closed.then(() => {
      this.readers.delete(reader);
      this.metrics?.setSseReaders(this.readers.size);
      const left = this.openReadersOf(callingService) - 1;
      if (left > 0) this.streamsByClient.set(callingService, left);
      else this.streamsByClient.delete(callingService);
    });
    reader.start(headers);
    return reader;
  }

  /** Ends every stream with a `reconnect` frame and its `retry:` hint, and refuses new ones. */
  async closeAll(): Promise<void> {
    this.shuttingDown = true;
    await Promise.all([...this.readers].map((reader) => reader.shutdown(Math.min(SHUTDOWN_GRACE_MS, this.config.closeGraceMs))));
  }

  /** Before the HTTP server stops: it would otherwise wait for the streams, and the store must outlive their reads. */
  beforeApplicationShutdown(): Promise<void> {
    return this.closeAll();
  }
}
