import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { EVENT_STORE_FILE } from '../src/store/storage-files';
import { ChildService } from './scenario/child-service';

/**
 * An NDJSON export of 100,000 events (about 64 MB) streams in flat memory: the server's heap, sampled while a
 * slow reader takes the export, grows by far less than the export's size, which a buffered answer would hold.
 */

const EVENTS = 100_000;
const PER_APPEND = 1_000;
/** Makes each line about 640 bytes, so the whole export is about 64 MB. */
const PADDING = 'p'.repeat(200);
const HEAP_GROWTH_BOUND = 30 * 1024 * 1024;
const AUDITOR = { 'X-Actor-Id': 'auditor-1', 'X-Actor-Role': 'auditor' };

async function writeLog(dataDir: string): Promise<void> {
  const store = SqliteEventStore.open({ file: join(dataDir, EVENT_STORE_FILE) });
  try {
    const metadata = {
      schemaVersion: 1,
      occurredAt: '2026-01-01T00:00:00.000Z',
      actor: { id: 'loader', role: 'system' as const },
      correlationId: 'load',
      causationId: 'load',
    };
    for (let appended = 0; appended < EVENTS; appended += PER_APPEND) {
      const contractId = randomUUID();
      const events = Array.from({ length: PER_APPEND }, (_, i) => ({
        id: randomUUID(),
        type: 'ContractOffered',
        data: { contractId, sequence: appended + i, note: PADDING },
        metadata,
      }));
      await store.append(`contract-${contractId}`, events, 'no_stream');
    }
  } finally {
    await store.close();
  }
}

/** The server's V8 heap in use, from its Prometheus metrics. */
async function heapUsed(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { 'X-Actor-Id': 'monitor', 'X-Actor-Role': 'system' } });
  const text = await response.text();
  const match = /^nodejs_heap_size_used_bytes (\d+(\.\d+)?(e\+\d+)?)$/m.exec(text);
  if (!match) throw new Error(`no heap metric in /metrics (status ${response.status})`);
  return Number(match[1]);
}

/**
 * Reads the export slowly (a pause after every chunk), checking each line as it comes: it parses, and the
 * positions run 1, 2, 3, ... without a gap. Resolves with the number of lines and whether the body ended cleanly.
 */
function readSlowly(response: IncomingMessage): Promise<{ lines: number; bytes: number; complete: boolean; ordered: boolean }> {
  return new Promise((resolve, reject) => {
    let pending = '';
    let lines = 0;
    let bytes = 0;
    let ordered = true;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      bytes += Buffer.byteLength(chunk);
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const part of parts) {
        lines += 1;
        if ((JSON.parse(part) as { position: number }).position !== lines) ordered = false;
      }
      response.pause();
      setTimeout(() => response.resume(), 2);
    });
    response.on('error', reject);
    response.on('end', () => resolve({ lines, bytes, complete: response.complete && pending === '', ordered }));
  });
}

describe('an NDJSON export of 100,000 events', () => {
  let dataDir: string;
  let service: ChildService;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'escrow-export-memory-'));
    await writeLog(dataDir);
    service = await ChildService.start(dataDir, { projections: 'off' });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams them all to a slow reader with the heap growing far less than the export', async () => {
    // A settled baseline: a few samples before the export starts, the lowest taken.
    const baseline = Math.min(await heapUsed(service.port), await heapUsed(service.port), await heapUsed(service.port));
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      get(
        { host: '127.0.0.1', port: service.port, path: '/v1/audit/events', headers: { Accept: 'application/x-ndjson', ...AUDITOR } },
        resolve,
      ).on('error', reject),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-export-through-position']).toBe(String(EVENTS));

    let peak = baseline;
    let samples = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await heapUsed(service.port));
        samples += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const read = await readSlowly(response);
    sampling = false;
    await sampler;

    expect(read).toMatchObject({ lines: EVENTS, complete: true, ordered: true });
    expect(read.bytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(samples).toBeGreaterThan(10);
    // A buffered answer would hold the whole export (over 60 MB of text alone) at once.
    expect(peak - baseline).toBeLessThan(HEAP_GROWTH_BOUND);
  }, 120_000);
});
