import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import type { EventToAppend } from '@escrow/event-store/port';
import { loadEventFeedConfig } from './event-feed-config';
import { FeedReader } from './feed-reader';
import { SseParser } from '../../../../scripts/event-feed-consumer';

/** A response whose socket takes a write only when the test lets it: a reader that is not reading. */
class HeldSocket extends Writable {
  readonly text: string[] = [];
  private held: (() => void)[] = [];
  holding = true;

  constructor() {
    super({ highWaterMark: 64, decodeStrings: false });
  }

  writeHead(): this {
    return this;
  }

  override _write(chunk: string, _encoding: BufferEncoding, callback: () => void): void {
    this.text.push(String(chunk));
    if (this.holding) this.held.push(callback);
    else callback();
  }

  release(): void {
    this.holding = false;
    for (const callback of this.held.splice(0)) callback();
  }

  ids(): number[] {
    return new SseParser()
      .push(this.text.join(''))
      .filter((message) => message.event === 'message')
      .map((message) => Number(message.id));
  }
}

const events = (count: number): EventToAppend[] =>
  Array.from({ length: count }, () => ({
    id: randomUUID(),
    type: 'ContractOffered',
    data: {},
    metadata: {
      schemaVersion: 1,
      occurredAt: '2026-01-01T00:00:00.000Z',
      actor: { id: 'a', role: 'user' },
      correlationId: 'c',
      causationId: 'c',
    },
  }));

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('a feed reader', () => {
  it('reads the next page of the log only once the socket has taken the previous one', async () => {
    const store = new InMemoryEventStore();
    await store.append('contract-1', events(50), 'no_stream');
    const readAll = jest.spyOn(store, 'readAll');
    const socket = new HeldSocket();
    const reader = new FeedReader(
      socket as unknown as ServerResponse,
      store,
      { filter: {}, after: 0 },
      loadEventFeedConfig({ EVENT_FEED_PAGE_SIZE: '5' }),
    );
    reader.start({});
    await settle();
    // The first event fills the small buffer: the reader waits, holding at most the rest of its one page.
    expect(reader.position).toBeLessThanOrEqual(5);
    const pagesRead = readAll.mock.calls.length;
    await settle();
    expect(readAll.mock.calls.length).toBe(pagesRead);

    socket.release();
    await settle();
    expect(socket.ids()).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    reader.close('shutdown');
    await reader.closed;
  });

  it('is cut off after the stall bound with the last position it was sent, and is sent nothing after it', async () => {
    const store = new InMemoryEventStore();
    await store.append('contract-1', events(30), 'no_stream');
    const socket = new HeldSocket();
    const reader = new FeedReader(
      socket as unknown as ServerResponse,
      store,
      { filter: {}, after: 10 },
      loadEventFeedConfig({ EVENT_FEED_PAGE_SIZE: '4', EVENT_FEED_STALL_TIMEOUT_MS: '100' }),
    );
    reader.start({});
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cutAt = reader.position;
    expect(cutAt).toBeGreaterThan(10);
    expect(cutAt).toBeLessThan(30);
    socket.release();
    await reader.closed;
    const final = new SseParser().push(socket.text.join('')).at(-1)!;
    expect(final).toMatchObject({ event: 'reconnect', id: String(cutAt) });
    expect(JSON.parse(final.data)).toEqual({ reason: 'slow-reader', lastEventId: cutAt });
    expect(socket.ids()).toEqual(Array.from({ length: cutAt - 10 }, (_, index) => index + 11));
  });

  it('ends with an end frame once it has read past `until`, even when the last events are filtered out', async () => {
    const store = new InMemoryEventStore();
    await store.append('contract-1', events(3), 'no_stream');
    await store.append('wallet-w', events(3), 'no_stream');
    const socket = new HeldSocket();
    socket.holding = false;
    const reader = new FeedReader(
      socket as unknown as ServerResponse,
      store,
      { filter: { categories: new Set(['contract']) }, after: 0, until: 5 },
      loadEventFeedConfig({}),
    );
    reader.start({});
    await reader.closed;
    expect(socket.ids()).toEqual([1, 2, 3]);
    expect(new SseParser().push(socket.text.join('')).at(-1)).toMatchObject({ event: 'end', id: '3' });
  });

  it('is closed at once, writing nothing and reading nothing, when the reader left before the stream began', async () => {
    const store = new InMemoryEventStore();
    await store.append('contract-1', events(3), 'no_stream');
    const subscribe = jest.spyOn(store, 'subscribeToAll');
    const socket = new HeldSocket();
    socket.destroy();
    const reader = new FeedReader(socket as unknown as ServerResponse, store, { filter: {}, after: 0 }, loadEventFeedConfig({}));
    reader.start({});
    await reader.closed;
    expect(socket.text).toEqual([]);
    expect(subscribe).not.toHaveBeenCalled();
  });
});
