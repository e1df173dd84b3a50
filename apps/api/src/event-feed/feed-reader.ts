import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { registryUpcaster } from '@escrow/projections/runtime/upcaster';
import type { EventStore, RecordedEvent, Subscription } from '@escrow/event-store/port';
import type { EventFeedConfig } from './event-feed-config';
import { FeedRequest, matchesFilter } from './feed-filter';
import { CloseReason, closingFrame, eventFrame, heartbeatFrame, openingFrame } from './sse-frames';

type DrainOutcome = 'drained' | 'slow-reader' | 'lagging' | 'closed';

/**
 * One open stream. It reads the global log a page at a time through the store's catch-up subscription and
 * writes a page only while the socket takes it: the next page is not read until the socket has drained, so a
 * reader never holds more than one page in the server. A reader that does not drain within the stall bound,
 * or that had caught up and then falls too far behind the head while its socket is full, gets a final
 * `reconnect` frame with its last delivered position and is closed: it is never fed a gap.
 */
export class FeedReader {
  /** Position of the last event written to the socket (the `after` it began with until one is). */
  private delivered: number;
  /** Position of the last event looked at, delivered or filtered out. */
  private scanned: number;
  /** Whether the reader has been at the head once; only then can it fall behind. */
  private live = false;
  private closing = false;
  private subscription: Subscription | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private wakeDrainWait: (() => void) | undefined;
  /** Settles once the connection is closed, however it ends. */
  readonly closed: Promise<void>;

  constructor(
    private readonly out: ServerResponse,
    private readonly store: EventStore,
    private readonly request: FeedRequest,
    private readonly config: EventFeedConfig,
  ) {
    this.delivered = request.after;
    this.scanned = request.after;
    // A reader that left while its request was being checked is gone already: its 'close' will not come again.
    this.closed = connectionGone(out) ? Promise.resolve() : new Promise((resolve) => out.once('close', resolve));
    out.once('close', () => this.release());
    // A write to a socket the reader has just reset fails; the 'close' that follows ends the stream.
    out.on('error', () => undefined);
  }

  /** Last position this reader was sent. */
  get position(): number {
    return this.delivered;
  }

  start(headers: OutgoingHttpHeaders): void {
    if (connectionGone(this.out)) return this.stopReading();
    this.out.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    this.out.write(openingFrame(this.config.retryMs, this.request.after));
    if (this.untilReached()) return this.close('until-reached');
    this.heartbeat = setInterval(() => {
      if (!this.closing && !this.out.writableNeedDrain) this.out.write(heartbeatFrame());
    }, this.config.heartbeatMs);
    this.heartbeat.unref();
    void this.store.headPosition().then(
      (head) => this.noteHead(head),
      () => undefined,
    );
    try {
      this.subscription = this.store.subscribeToAll({
        after: this.request.after,
        maxBatchSize: this.config.pageSize,
        handler: (events) => this.deliver(events),
        onError: () => this.close('store-unavailable'),
      });
    } catch {
      this.close('store-unavailable');
    }
  }

  /**
   * Ends the stream with its final frame (the position to resume from and the `retry:` hint) and stops
   * reading the log. A reader that does not take the frame within the grace period is cut off.
   */
  close(reason: CloseReason): void {
    if (this.closing) return;
    this.stopReading();
    if (!this.out.destroyed && !this.out.writableEnded) this.out.end(closingFrame(reason, this.delivered, this.config.retryMs));
    const cut = setTimeout(() => this.out.destroy(), this.config.closeGraceMs);
    cut.unref();
    void this.closed.then(() => clearTimeout(cut));
  }

  /** Closes for shutdown and waits, at most `graceMs`, for the reader to take the last frame; no log read is in flight after. */
  async shutdown(graceMs: number): Promise<void> {
    this.close('shutdown');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    if (!this.out.destroyed) this.out.destroy();
    await this.subscription?.stop();
  }

  private async deliver(events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      if (this.closing) return;
      this.scanned = event.position;
      if (matchesFilter(this.request.filter, event)) {
        const writable = this.out.write(eventFrame(registryUpcaster(event)));
        this.delivered = event.position;
        if (!writable) {
          const outcome = await this.drained();
          if (outcome !== 'drained') return outcome === 'closed' ? undefined : this.close(outcome);
        }
      }
      if (this.untilReached()) return this.close('until-reached');
    }
    if (!this.closing) this.noteHead(await this.store.headPosition());
  }

  /** Waits until the socket takes more, the reader stalls past the bound, falls too far behind, or the stream closes. */
  private drained(): Promise<DrainOutcome> {
    return new Promise((resolve) => {
      // A stall is elapsed time: the monotonic clock, which no clock setting moves.
      const startedAt = performance.now();
      let settled = false;
      const finish = (outcome: DrainOutcome) => {
        if (settled) return;
        settled = true;
        clearInterval(check);
        this.out.off('drain', onDrain);
        this.wakeDrainWait = undefined;
        resolve(outcome);
      };
      const onDrain = () => finish('drained');
      this.out.once('drain', onDrain);
      this.wakeDrainWait = () => finish('closed');
      const check = setInterval(
        () => {
          if (performance.now() - startedAt >= this.config.stallTimeoutMs) return finish('slow-reader');
          if (!this.live) return;
          this.store.headPosition().then(
            (head) => head - this.scanned > this.config.maxLagEvents && finish('lagging'),
            () => undefined,
          );
        },
        Math.min(this.config.stallTimeoutMs, 250),
      );
    });
  }

  private noteHead(head: number): void {
    if (this.scanned >= head) this.live = true;
  }

  private untilReached(): boolean {
    return this.request.until !== undefined && this.scanned >= this.request.until;
  }

  /** The connection closed (the reader left, or the stream ended): stop reading the log. */
  private release(): void {
    if (!this.closing) this.stopReading();
  }

  private stopReading(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    this.wakeDrainWait?.();
    // Not awaited: it is called from inside the subscription's handler too, which stop() would wait for.
    void this.subscription?.stop();
  }
}

const connectionGone = (out: ServerResponse): boolean => out.destroyed || out.socket === null || out.socket?.destroyed === true;
