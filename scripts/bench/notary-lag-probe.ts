/**
 * How far the notary trails the log under the measured load, seen from outside the service: through `/metrics`,
 * as a monitoring system would, never from inside the process.
 *
 * Every `intervalMs` the probe scrapes `escrow_store_head_position`, `escrow_notary_tree_size` (events notarised)
 * and `escrow_notary_head_tree_size` (events covered by the latest signed head). Every `probeEveryMs` it follows
 * the event at the head of the log: it reads that event's `recordedAt` (the service's clock at the append, the
 * same machine's clock as the probe's) and records, at the first scrape that shows it notarised, then covered by
 * a signed head, the time from `recordedAt` to the end of that scrape. Positions are contiguous on the embedded
 * store, so a tree of size N holds positions 1..N. The figures are upper bounds within one scrape interval.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { KeepAliveClient } from './http-client';
import { Percentiles, SampleRecorder, twoDecimals } from './stats';

export interface NotaryLagMeasurement {
  /** From an event's append to the first scrape showing it notarised (a leaf of the tree), in ms. */
  notarisedMs: Percentiles | null;
  /** From an event's append to the first scrape showing a signed tree head that covers it, in ms. */
  signedMs: Percentiles | null;
  eventsFollowed: number;
  /** Followed events not signed for when the window ended. */
  stillUnsigned: number;
  /** The largest values the service's own gauges showed during the window, in seconds. */
  largestGauges: { lagEvents: number; lagSeconds: number; unsignedSeconds: number };
  scrapes: number;
  scrapeFailures: number;
  intervalMs: number;
}

interface Followed {
  position: number;
  recordedAtMs: number;
  notarised: boolean;
}

const gauge = (text: string, name: string): number | undefined => {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match === null ? undefined : Number(match[1]);
};

export class NotaryLagProbe {
  private running = false;
  private finished: Promise<void> | undefined;
  private readonly notarised = new SampleRecorder();
  private readonly signed = new SampleRecorder();
  private followed: Followed[] = [];
  private eventsFollowed = 0;
  private scrapes = 0;
  private scrapeFailures = 0;
  private readonly largest = { lagEvents: 0, lagSeconds: 0, unsignedSeconds: 0 };

  constructor(
    private readonly client: KeepAliveClient,
    private readonly auth: Record<string, string>,
    private readonly intervalMs = 50,
    private readonly probeEveryMs = 200,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.finished = this.run();
  }

  async stop(): Promise<NotaryLagMeasurement> {
    this.running = false;
    await this.finished;
    return {
      notarisedMs: this.notarised.percentiles(),
      signedMs: this.signed.percentiles(),
      eventsFollowed: this.eventsFollowed,
      stillUnsigned: this.followed.length,
      largestGauges: { lagEvents: this.largest.lagEvents, lagSeconds: twoDecimals(this.largest.lagSeconds), unsignedSeconds: twoDecimals(this.largest.unsignedSeconds) },
      scrapes: this.scrapes,
      scrapeFailures: this.scrapeFailures,
      intervalMs: this.intervalMs,
    };
  }

  private async run(): Promise<void> {
    let lastFollowedAt = 0;
    let lastPosition = 0;
    while (this.running) {
      const tick = Date.now();
      try {
        const scrape = await this.scrape();
        if (scrape !== undefined) {
          if (tick - lastFollowedAt >= this.probeEveryMs && scrape.head > lastPosition) {
            lastFollowedAt = tick;
            lastPosition = scrape.head;
            const recordedAtMs = await this.recordedAt(scrape.head);
            if (recordedAtMs !== undefined) {
              this.followed.push({ position: scrape.head, recordedAtMs, notarised: false });
              this.eventsFollowed++;
            }
          }
          this.settle(scrape);
        }
      } catch {
        this.scrapeFailures++;
      }
      await sleep(Math.max(0, this.intervalMs - (Date.now() - tick)));
    }
  }

  /** Records the followed events the scrape shows notarised, or covered by a signed head. */
  private settle(scrape: { treeSize: number; headTreeSize: number; at: number }): void {
    this.followed = this.followed.filter((event) => {
      if (!event.notarised && scrape.treeSize >= event.position) {
        event.notarised = true;
        this.notarised.add(scrape.at - event.recordedAtMs);
      }
      if (scrape.headTreeSize < event.position) return true;
      this.signed.add(scrape.at - event.recordedAtMs);
      return false;
    });
  }

  private async scrape(): Promise<{ head: number; treeSize: number; headTreeSize: number; at: number } | undefined> {
    const response = await this.client.request('GET', '/metrics', this.auth);
    const at = Date.now();
    this.scrapes++;
    if (response.status !== 200) {
      this.scrapeFailures++;
      return undefined;
    }
    const head = gauge(response.body, 'escrow_store_head_position');
    const treeSize = gauge(response.body, 'escrow_notary_tree_size');
    const headTreeSize = gauge(response.body, 'escrow_notary_head_tree_size');
    if (head === undefined || treeSize === undefined || headTreeSize === undefined) {
      this.scrapeFailures++;
      return undefined;
    }
    this.largest.lagEvents = Math.max(this.largest.lagEvents, gauge(response.body, 'escrow_notary_lag_events') ?? 0);
    this.largest.lagSeconds = Math.max(this.largest.lagSeconds, gauge(response.body, 'escrow_notary_lag_seconds') ?? 0);
    this.largest.unsignedSeconds = Math.max(this.largest.unsignedSeconds, gauge(response.body, 'escrow_notary_unsigned_seconds') ?? 0);
    return { head, treeSize, headTreeSize, at };
  }

  private async recordedAt(position: number): Promise<number | undefined> {
    const response = await this.client.request('GET', `/v1/audit/events?after=${position - 1}&limit=1`, this.auth);
    if (response.status !== 200) return undefined;
    const [event] = (JSON.parse(response.body) as { data: { position: number; recordedAt: string }[] }).data;
    return event?.position === position ? Date.parse(event.recordedAt) : undefined;
  }
}
