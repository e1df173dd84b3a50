import { randomUUID } from 'node:crypto';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import type { EventStore, ReadAllOptions } from '@escrow/event-store/port';
import { StreamedBody } from '../http/streamed-body';
import { EXPORT_PAGE_SIZE, ExportOutcome, streamEventExport, truncationMarker } from './event-export';
import type { EventExportRequest } from './event-export-request';

const metadata = {
  schemaVersion: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: { id: 'a', role: 'system' as const },
  correlationId: 'c',
  causationId: 'c',
};

async function storeWith(count: number, padding = ''): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  for (let i = 0; i < count; i += 500) {
    const events = Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
      id: randomUUID(),
      type: 'Probe',
      data: { n: i + j, padding },
      metadata,
    }));
    await store.append(`probe-${i}`, events, 'any');
  }
  return store;
}

const everything: EventExportRequest = { after: 0, filter: {} };

/** Serves one export over real HTTP and reads it as a client would; resolves with what the client got and how the export ended. */
async function exportOver(
  store: EventStore,
  through: number,
  reader: (response: IncomingMessage) => Promise<{ text: string; aborted: boolean }>,
): Promise<{ text: string; aborted: boolean; outcome: ExportOutcome }> {
  let finished!: Promise<{ outcome: ExportOutcome }>;
  const server: Server = createServer((_request, response) => {
    const body = new StreamedBody(response, 2_000);
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    finished = streamEventExport(body, store, everything, through);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await new Promise<IncomingMessage>((resolve) => get({ host: '127.0.0.1', port, path: '/' }, resolve));
    const read = await reader(response);
    return { ...read, outcome: (await finished).outcome };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const readAll = (response: IncomingMessage) =>
  new Promise<{ text: string; aborted: boolean }>((resolve) => {
    let text = '';
    let aborted = false;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('aborted', () => (aborted = true));
    response.on('error', () => (aborted = true));
    response.on('close', () => resolve({ text, aborted: aborted || !response.complete }));
  });

describe('streaming an export of the log', () => {
  it('writes every event of the range, a page at a time, and ends the body cleanly', async () => {
    const store = await storeWith(2_500);
    const result = await exportOver(store, 2_400, readAll);
    expect(result).toMatchObject({ aborted: false, outcome: 'complete' });
    const lines = result.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => (JSON.parse(line) as { position: number }).position)).toEqual(
      Array.from({ length: 2_400 }, (_, i) => i + 1),
    );
  });

  it('cuts the connection after an unterminated, unparseable line when the store fails mid-export', async () => {
    const store = await storeWith(2_500);
    let reads = 0;
    const failing = Object.create(store) as EventStore;
    failing.readAll = (options?: ReadAllOptions) => (++reads === 2 ? Promise.reject(new Error('disk gone')) : store.readAll(options));
    const result = await exportOver(failing, 2_500, readAll);
    expect(result.outcome).toBe('failed');
    expect(result.aborted).toBe(true);
    expect(result.text.endsWith('\n')).toBe(false);
    expect(result.text.endsWith(truncationMarker(EXPORT_PAGE_SIZE))).toBe(true);
    const lines = result.text.split('\n');
    const last = lines.pop()!;
    expect(() => JSON.parse(last) as unknown).toThrow();
    expect(lines).toHaveLength(EXPORT_PAGE_SIZE);
  });

  it('stops reading the log when the reader goes away', async () => {
    // 20 pages of about 1 MB each: far more than the socket buffers hold.
    const store = await storeWith(20_000, 'x'.repeat(1_000));
    let reads = 0;
    const counting = Object.create(store) as EventStore;
    counting.readAll = (options?: ReadAllOptions) => {
      reads += 1;
      return store.readAll(options);
    };
    const result = await exportOver(counting, 20_000, (response) => {
      // Takes the first bytes, then leaves without reading on.
      return new Promise((resolve) =>
        response.once('data', () => {
          response.destroy();
          resolve({ text: '', aborted: true });
        }),
      );
    });
    expect(result.outcome).toBe('reader-gone');
    expect(reads).toBeLessThan(10);
  });
});
