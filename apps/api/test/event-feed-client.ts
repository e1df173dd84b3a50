import http, { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore, EventToAppend } from '@escrow/event-store/port';
import { SseMessage, SseParser } from '../../../scripts/event-feed-consumer';
import { Actor, auditor, TestService } from './harness';

/** Test helpers for the event feed: a listening service, a raw stream reader, and bulk appends. */

/** Makes the service listen on `port` (0: any free one) and returns its base URL. */
export async function listen(service: TestService, port = 0): Promise<string> {
  await service.app.listen(port, '127.0.0.1');
  const address = service.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** One open stream, read as it arrives: parsed messages, comment lines, and whether the server ended it. */
export class StreamReader {
  readonly messages: SseMessage[] = [];
  comments = 0;
  ended = false;
  private readonly parser = new SseParser();

  private constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.comments += chunk.split(/\r\n|\r|\n/).filter((line) => line.startsWith(':')).length;
      this.messages.push(...this.parser.push(chunk));
    });
    response.on('end', () => (this.ended = true));
    response.on('close', () => (this.ended = true));
    response.on('error', () => (this.ended = true));
  }

  static open(baseUrl: string, path: string, actor: Actor = auditor, headers: Record<string, string> = {}): Promise<StreamReader> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        new URL(path, baseUrl),
        { headers: { 'X-Actor-Id': actor.id, 'X-Actor-Role': actor.role, ...headers } },
        (response) => resolve(new StreamReader(response)),
      );
      request.once('error', reject);
    });
  }

  get events(): { position: number; type: string; streamId: string }[] {
    return this.messages.filter((message) => message.event === 'message').map((message) => JSON.parse(message.data));
  }

  get ids(): number[] {
    return this.messages.filter((message) => message.event === 'message').map((message) => Number(message.id));
  }

  final(): SseMessage | undefined {
    return this.messages.find((message) => message.event === 'reconnect' || message.event === 'end');
  }

  async until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received ${this.messages.length} messages`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.response.destroy();
  }
}

/** Appends `count` events of `bytes` bytes of data each, to streams of no known category, straight to the store. */
export async function appendPadding(service: TestService, count: number, bytes: number): Promise<number> {
  const store = service.app.get<EventStore>(EVENT_STORE);
  const filler = 'x'.repeat(bytes);
  let position = 0;
  for (let start = 0; start < count; start += 100) {
    const events: EventToAppend[] = Array.from({ length: Math.min(100, count - start) }, (_, index) => ({
      id: randomUUID(),
      type: 'FeedTestPadding',
      data: { index: start + index, filler },
      metadata: {
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        actor: { id: 'feed-test', role: 'system' },
        correlationId: randomUUID(),
        causationId: randomUUID(),
      },
    }));
    ({ position } = await store.append(`feed-test-${randomUUID()}`, events, 'no_stream'));
  }
  return position;
}

export const headOf = (service: TestService): Promise<number> => service.app.get<EventStore>(EVENT_STORE).headPosition();
