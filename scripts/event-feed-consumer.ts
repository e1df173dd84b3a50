/**
 * An example consumer of the live event feed (`GET /v1/events/stream`), written against Node's plain `http`
 * module so that any service can copy it. It keeps the position of the last event it has handled in a file
 * and sends it back as `Last-Event-ID` on every connection, so it survives its own restarts and the service's:
 *
 * - the feed delivers at least once, in global order; the consumer skips any event at or before its
 *   acknowledged position (dedup by position), so its handler sees every event exactly once, in order;
 * - the position is written after the handler has finished (write to a temporary file, then rename), so a
 *   crash in between replays that one event instead of losing it;
 * - `event: reconnect`, a closed connection, a refused connection, 429 and 503 all lead to a reconnection
 *   after the server's `retry:` hint (or Retry-After), growing up to a bound while the service stays away.
 *
 * Run it: `ts-node -r tsconfig-paths/register scripts/event-feed-consumer.ts` with FEED_URL, FEED_TOKEN,
 * FEED_ACTOR_ID, FEED_ACTOR_ROLE (system or auditor), FEED_POSITION_FILE and optionally FEED_CATEGORY, FEED_TYPE.
 */

import { readFile, rename, writeFile } from 'node:fs/promises';
import http, { IncomingMessage } from 'node:http';
import https from 'node:https';

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
  retry?: number;
}

/** Incremental Server-Sent Events parser (the HTML standard's rules: CR, LF or CRLF lines, comments, four fields). */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private retry: number | undefined;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      // A lone CR at the end of a chunk may be the first half of a CRLF: wait for the next chunk.
      if (end < 0 || (this.buffer[end] === '\r' && end === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const message: SseMessage = { event: this.event || 'message', data: this.data.join('\n'), id: this.id, retry: this.retry };
    const hasData = this.data.length > 0;
    this.data = [];
    this.event = '';
    this.retry = undefined;
    return hasData ? message : undefined;
  }
}

/** An event as the feed sends it (the audit feed's shape). */
export interface FeedEvent {
  id: string;
  type: string;
  streamId: string;
  revision: number;
  position: number;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface FeedConsumerOptions {
  /** The service's base URL, e.g. https://escrow-ledger.internal */
  baseUrl: string;
  token?: string;
  actor: { id: string; role: 'system' | 'auditor' | 'support' };
  /** Where the last acknowledged position is kept between runs. */
  positionFile: string;
  category?: string[];
  type?: string[];
  /** Handles one event; the position is acknowledged once it resolves. A rejection stops the consumer. */
  handle(event: FeedEvent): Promise<void>;
  /** Stops the consumer. */
  signal?: AbortSignal;
  /** Longest wait between reconnections while the service is away. */
  maxRetryMs?: number;
  /** Told of every connection that ended, and why: for logs. */
  onDisconnect?(reason: string): void;
}

class FatalFeedError extends Error {}

export async function readAcknowledged(positionFile: string): Promise<number> {
  try {
    const text = (await readFile(positionFile, 'utf8')).trim();
    if (!/^\d{1,15}$/.test(text))
      throw new FatalFeedError(`${positionFile} does not hold a position: ${JSON.stringify(text.slice(0, 40))}`);
    return Number(text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

async function acknowledge(positionFile: string, position: number): Promise<void> {
  const temporary = `${positionFile}.${process.pid}.tmp`;
  await writeFile(temporary, `${position}\n`);
  await rename(temporary, positionFile);
}

/** Consumes the feed until `signal` aborts, the feed ends (`until`), or the handler fails. */
export async function consumeEventFeed(options: FeedConsumerOptions): Promise<void> {
  let acknowledged = await readAcknowledged(options.positionFile);
  let retryMs = 1_000;
  let failures = 0;
  while (!options.signal?.aborted) {
    let reason: string;
    try {
      const response = await connect(options, acknowledged);
      if (response.statusCode === 200) {
        failures = 0;
        const outcome = await readStream(response, options, acknowledged, async (event) => {
          await options.handle(event);
          acknowledged = event.position;
          await acknowledge(options.positionFile, acknowledged);
        });
        if (outcome.retryMs !== undefined) retryMs = outcome.retryMs;
        if (outcome.ended) return;
        reason = outcome.reason;
      } else {
        const body = await text(response);
        if (response.statusCode !== 429 && response.statusCode !== 503)
          throw new FatalFeedError(`the feed refused the connection: ${response.statusCode} ${body}`);
        const retryAfter = Number(response.headers['retry-after']);
        if (Number.isSafeInteger(retryAfter)) retryMs = retryAfter * 1_000;
        reason = `status ${response.statusCode}`;
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      if (error instanceof FatalFeedError) throw error;
      if ((error as { handlerFailed?: boolean }).handlerFailed) throw (error as { cause?: unknown }).cause;
      reason = error instanceof Error ? error.message : String(error);
      failures += 1;
    }
    options.onDisconnect?.(reason);
    // Back off while the service stays away; a reconnect frame alone waits only its retry hint.
    await sleep(Math.min(options.maxRetryMs ?? 30_000, retryMs * 2 ** Math.min(failures, 5)), options.signal);
  }
}

function connect(options: FeedConsumerOptions, after: number): Promise<IncomingMessage> {
  const url = new URL('/v1/events/stream', options.baseUrl);
  if (options.category?.length) url.searchParams.set('category', options.category.join(','));
  if (options.type?.length) url.searchParams.set('type', options.type.join(','));
  const headers: Record<string, string> = {
    Accept: 'text/event-stream',
    'Last-Event-ID': String(after),
    'X-Actor-Id': options.actor.id,
    'X-Actor-Role': options.actor.role,
  };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.get(url, { headers, signal: options.signal }, resolve);
    request.once('error', reject);
  });
}

async function readStream(
  response: IncomingMessage,
  options: FeedConsumerOptions,
  acknowledged: number,
  onEvent: (event: FeedEvent) => Promise<void>,
): Promise<{ ended: boolean; reason: string; retryMs?: number }> {
  const parser = new SseParser();
  let retryMs: number | undefined;
  let last = acknowledged;
  response.setEncoding('utf8');
  for await (const chunk of response as AsyncIterable<string>) {
    for (const message of parser.push(chunk)) {
      if (message.retry !== undefined) retryMs = message.retry;
      if (message.event === 'end') return { ended: true, reason: 'end', retryMs };
      if (message.event === 'reconnect') {
        response.destroy();
        return { ended: false, reason: `reconnect: ${message.data}`, retryMs };
      }
      if (message.event !== 'message') continue;
      const event = JSON.parse(message.data) as FeedEvent;
      // At least once: an event at or before the acknowledged position was handled already.
      if (event.position <= last) continue;
      last = event.position;
      try {
        await onEvent(event);
      } catch (cause) {
        response.destroy();
        throw Object.assign(new Error('the handler failed'), { handlerFailed: true, cause });
      }
    }
  }
  return { ended: false, reason: 'connection closed', retryMs };
}

async function text(response: IncomingMessage): Promise<string> {
  let body = '';
  response.setEncoding('utf8');
  for await (const chunk of response as AsyncIterable<string>) body += chunk;
  return body.slice(0, 500);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}

if (require.main === module) {
  const env = process.env;
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  consumeEventFeed({
    baseUrl: env.FEED_URL ?? 'http://127.0.0.1:3000',
    token: env.FEED_TOKEN,
    actor: { id: env.FEED_ACTOR_ID ?? 'event-feed-consumer', role: (env.FEED_ACTOR_ROLE as 'system' | 'auditor') ?? 'auditor' },
    positionFile: env.FEED_POSITION_FILE ?? './event-feed.position',
    category: env.FEED_CATEGORY?.split(','),
    type: env.FEED_TYPE?.split(','),
    signal: controller.signal,
    handle: async (event) =>
      void process.stdout.write(`${JSON.stringify({ position: event.position, type: event.type, streamId: event.streamId })}\n`),
    onDisconnect: (reason) => process.stderr.write(`event feed: disconnected (${reason}); reconnecting\n`),
  }).catch((error: unknown) => {
    if (controller.signal.aborted) return;
    process.stderr.write(`event feed consumer stopped: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
