import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumeEventFeed, SseParser } from './event-feed-consumer';

describe('the SSE parser of the example consumer', () => {
  it('reads fields, comments and multi-line data across chunk boundaries and line endings', () => {
    const parser = new SseParser();
    const messages = [
      ...parser.push('retry: 250\n: heartbeat\n\nid: 1\nda'),
      ...parser.push('ta: {"a":1}\r\n\r'),
      ...parser.push('\nid: 2\ndata: x\ndata: y\r\revent: reconnect\nid: 2\ndata:{"reason":"shutdown"}\n\n'),
    ];
    expect(messages).toEqual([
      { event: 'message', data: '{"a":1}', id: '1', retry: undefined },
      { event: 'message', data: 'x\ny', id: '2', retry: undefined },
      { event: 'reconnect', data: '{"reason":"shutdown"}', id: '2', retry: undefined },
    ]);
  });

  it('dispatches nothing for a frame with no data, and keeps the last id', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 100\n\nid: 7\n\n')).toEqual([]);
    expect(parser.push('data: z\n\n')).toEqual([{ event: 'message', data: 'z', id: '7', retry: undefined }]);
  });
});

describe('the example consumer', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'feed-consumer-spec-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const frame = (position: number) => `id: ${position}\ndata: ${JSON.stringify({ position, type: 'T', streamId: 's' })}\n\n`;

  it('skips events redelivered at or before its acknowledged position, and resumes with Last-Event-ID', async () => {
    const lastEventIds: (string | undefined)[] = [];
    let connections = 0;
    const server = http.createServer((request, response) => {
      lastEventIds.push(request.headers['last-event-id'] as string | undefined);
      connections += 1;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // The first connection ends with a reconnect frame; the second redelivers 2 and 3 (at least once), then ends.
      if (connections === 1) response.end(`retry: 10\n\n${frame(1)}${frame(2)}${frame(3)}event: reconnect\nid: 3\ndata: {}\n\n`);
      else response.end(`${frame(2)}${frame(3)}${frame(4)}event: end\nid: 4\ndata: {}\n\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const positionFile = join(folder, 'position');
    const handled: number[] = [];
    try {
      await consumeEventFeed({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        actor: { id: 'consumer', role: 'auditor' },
        positionFile,
        handle: async (event) => void handled.push(event.position),
      });
    } finally {
      server.close();
    }
    expect(handled).toEqual([1, 2, 3, 4]);
    expect(lastEventIds).toEqual(['0', '3']);
    expect(readFileSync(positionFile, 'utf8')).toBe('4\n');
  });

  it('starts after the position kept in its file, and stops on a refusal it cannot retry', async () => {
    const server = http.createServer((request, response) => {
      response.writeHead(403, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ code: 'STAFF_ONLY', seen: request.headers['last-event-id'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const positionFile = join(folder, 'position');
    writeFileSync(positionFile, '41\n');
    try {
      await expect(
        consumeEventFeed({
          baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          actor: { id: 'consumer', role: 'auditor' },
          positionFile,
          handle: async () => undefined,
        }),
      ).rejects.toThrow(/403 .*"seen":"41"/);
    } finally {
      server.close();
    }
  });
});
