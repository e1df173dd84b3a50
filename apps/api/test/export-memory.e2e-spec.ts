import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { EVENT_STORE_FILE } from '../src/store/storage-files';
import { ChildService } from './scenario/child-service';
import { writeLiveHeapSampler } from './scenario/live-heap-sampler';

/**
 * An NDJSON export of 100,000 events (about 64 MB) streams in flat memory: the server's live heap (sampled after a
 * full collection, by a preloaded sampler) while a slow reader takes the export grows by far less than the export's
 * size, which a buffered answer would hold.
 */

const EVENTS = 100_000;
const PER_APPEND = 1_000;
/** Makes each line about 640 bytes, so the whole export is about 64 MB. */
const PADDING = 'p'.repeat(200);
const HEAP_GROWTH_BOUND = 30 * 1024 * 1024;
const SAMPLE_MS = 200;
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

/** The server's heap after a full collection, sampled every SAMPLE_MS by the preloaded sampler: `[epoch ms, bytes]`. */
function liveHeapSamples(file: string): [number, number][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' ').map(Number) as [number, number]);
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  let samplesFile: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'escrow-export-memory-'));
    await writeLog(dataDir);
    samplesFile = join(dataDir, 'live-heap.txt');
    service = await ChildService.start(dataDir, {
      projections: 'off',
      env: {
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${writeLiveHeapSampler(dataDir)}`.trim(),
        LIVE_HEAP_SAMPLE_FILE: samplesFile,
        LIVE_HEAP_SAMPLE_MS: String(SAMPLE_MS),
      },
    });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams them all to a slow reader with the heap growing far less than the export', async () => {
    // The service at rest, started and idle: the largest of a few samples taken before the export.
    await delay(5 * SAMPLE_MS);
    const startedAt = Date.now();
    const baseline = Math.max(
      ...liveHeapSamples(samplesFile)
        .slice(-3)
        .map(([, bytes]) => bytes),
    );
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      get(
        { host: '127.0.0.1', port: service.port, path: '/v1/audit/events', headers: { Accept: 'application/x-ndjson', ...AUDITOR } },
        resolve,
      ).on('error', reject),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-export-through-position']).toBe(String(EVENTS));
    const read = await readSlowly(response);
    const endedAt = Date.now();

    expect(read).toMatchObject({ lines: EVENTS, complete: true, ordered: true });
    expect(read.bytes).toBeGreaterThan(50 * 1024 * 1024);
    const during = liveHeapSamples(samplesFile).filter(([at]) => at >= startedAt && at <= endedAt);
    expect(during.length).toBeGreaterThan(10);
    const growth = Math.max(...during.map(([, bytes]) => bytes)) - baseline;
    // A buffered answer would hold the whole export (over 60 MB of text alone) at once.
    expect(growth).toBeLessThan(HEAP_GROWTH_BOUND);
  }, 120_000);
});
