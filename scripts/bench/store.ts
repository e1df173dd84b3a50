/**
 * Event store benchmark: the SQLite adapter on a temporary file with the service's durable settings
 * (WAL, synchronous=FULL). Prints one JSON object.
 *
 *   npm run bench:store -- [--duration S] [--events N] [--concurrency 64,256] [--quick]
 *
 * --events N   realistic contract events written (in big group-committed batches) before the append
 *              phases, so appends and reads run against a log of that size (default 100,000)
 * --duration S seconds of each append phase (default 5)
 *
 * After the store's phases, raw better-sqlite3 appends the same events with the same tables, settings and
 * revision check, as many per transaction as the first concurrency level (raw-sqlite-appends.ts), on a
 * fresh file: `rawBetterSqlite.storeRatio` is the store's concurrent rate at that level over the raw rate.
 */

import { statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import type { EventToAppend } from '@escrow/event-store/port';
import { numberOption, parseOptions } from './args';
import { generateContractEvents } from './event-log';
import { installCleanup, machineBusyCpuSeconds, makeTemporaryFolder, removeTemporaryFolder } from './processes';
import { rawAppendPhase } from './raw-sqlite-appends';
import { nowMs, Percentiles, SampleRecorder, twoDecimals } from './stats';

const SEQUENTIAL_MAX_APPENDS = 5000;
const READ_ALL_PAGE = 1000;
const READ_STREAM_SAMPLES = 20_000;

interface AppendPhase {
  appends: number;
  eventsPerSecond: number;
  latencyMs: Percentiles | null;
  /** Events committed per write transaction (one fsync each): what group commit achieved. */
  eventsPerTransaction: number;
}

const log = (message: string) => process.stderr.write(`[bench:store] ${message}\n`);

/** An event of the size and shape of an EscrowFunded with the executor's metadata. */
function sampleEvent(stream: number, revision: number): EventToAppend {
  const key = `bench-${stream}-${revision}`;
  return {
    id: crypto.randomUUID(),
    type: 'EscrowFunded',
    data: {
      contractId: `c-${stream}`,
      milestoneId: crypto.randomUUID(),
      clientId: `client-${stream}`,
      workerId: `worker-${stream}`,
      amount: 50_000,
      paymentReference: `pay-${key}`,
      method: 'card',
      escrowAfter: 50_000,
    },
    metadata: {
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      actor: { id: `client-${stream}`, role: 'user' },
      correlationId: crypto.randomUUID(),
      causationId: crypto.randomUUID(),
      idempotencyKey: key,
      requestHash: 'a'.repeat(64),
    },
  };
}

async function appendPhase(store: SqliteEventStore, streams: number, durationMs: number, maxAppends: number, prefix: string): Promise<AppendPhase> {
  const latency = new SampleRecorder();
  const before = store.metrics;
  const startedAt = nowMs();
  const deadline = startedAt + durationMs;
  let appends = 0;
  const worker = async (stream: number) => {
    for (let revision = 0; nowMs() < deadline && appends < maxAppends; revision++) {
      const begun = nowMs();
      await store.append(`${prefix}-${stream}`, [sampleEvent(stream, revision)], revision === 0 ? 'no_stream' : revision - 1);
      latency.add(nowMs() - begun);
      appends++;
    }
  };
  await Promise.all(Array.from({ length: streams }, (_, stream) => worker(stream)));
  const seconds = (nowMs() - startedAt) / 1000;
  const after = store.metrics;
  const transactions = after.committedTransactions - before.committedTransactions;
  return {
    appends,
    eventsPerSecond: twoDecimals(appends / seconds),
    latencyMs: latency.percentiles(),
    eventsPerTransaction: twoDecimals((after.committedEvents - before.committedEvents) / Math.max(1, transactions)),
  };
}

const cpuSecondsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

const machineCoresSince = (busyAtStart: number | null, startedAt: number) => {
  const busyNow = machineBusyCpuSeconds();
  return busyAtStart === null || busyNow === null ? null : twoDecimals((busyNow - busyAtStart) / ((nowMs() - startedAt) / 1000));
};

async function main(): Promise<void> {
  installCleanup();
  const options = parseOptions(process.argv.slice(2), { flags: ['quick'], values: ['duration', 'events', 'concurrency'] });
  const quick = options.flags.has('quick');
  const durationMs = numberOption(options, 'duration', quick ? 2 : 5, { min: 0.5, max: 120 }) * 1000;
  const generatedTarget = numberOption(options, 'events', quick ? 20_000 : 100_000, { min: 0, max: 20_000_000, integer: true });
  const concurrencyLevels = (options.values.get('concurrency') ?? '64,256').split(',').map((text) => {
    const level = Number(text);
    if (!Number.isInteger(level) || level < 1 || level > 4096) throw new Error(`--concurrency takes integers from 1 to 4096, got "${text}"`);
    return level;
  });

  const loadAverageAtStart = loadavg();
  const machineBusyAtStart = machineBusyCpuSeconds();
  const ownCpuAtStart = process.cpuUsage();
  const startedAt = nowMs();
  const folder = makeTemporaryFolder('escrow-bench-store-');
  const file = join(folder, 'events.sqlite');
  const store = SqliteEventStore.open({ file });
  try {
    let generated = null;
    if (generatedTarget > 0) {
      log(`writing ${generatedTarget} realistic contract events`);
      const result = await generateContractEvents(store, generatedTarget, { onProgress: (events) => log(`  ${events} events`) });
      generated = { events: result.events, contracts: result.contracts, eventsPerSecond: twoDecimals(result.events / result.seconds) };
    }

    log('sequential appends, one event each');
    const sequential = await appendPhase(store, 1, durationMs, SEQUENTIAL_MAX_APPENDS, 'sequential');
    const concurrent: Record<string, AppendPhase> = {};
    for (const streams of concurrencyLevels) {
      log(`appends from ${streams} concurrent streams`);
      concurrent[String(streams)] = await appendPhase(store, streams, durationMs, Number.MAX_SAFE_INTEGER, `concurrent${streams}`);
    }

    const rawLevel = concurrencyLevels[0];
    log(`raw better-sqlite3, ${rawLevel} appends per transaction`);
    const raw = rawAppendPhase(join(folder, 'raw.sqlite'), rawLevel, durationMs, sampleEvent);
    const rawBetterSqlite = { ...raw, storeRatio: raw.eventsPerSecond > 0 ? twoDecimals(concurrent[String(rawLevel)].eventsPerSecond / raw.eventsPerSecond) : null };

    log('reading single streams');
    const contractStreams = [...new Set((await store.readAll({ maxCount: 20_000 })).map((event) => event.streamId))].filter((id) => id.startsWith('contract-'));
    let readStreamContracts = null;
    if (contractStreams.length > 0) {
      let events = 0;
      const startedAt = nowMs();
      for (let index = 0; index < READ_STREAM_SAMPLES; index++) events += (await store.readStream(contractStreams[index % contractStreams.length])).length;
      const seconds = (nowMs() - startedAt) / 1000;
      readStreamContracts = {
        streamsRead: READ_STREAM_SAMPLES,
        eventsPerStream: twoDecimals(events / READ_STREAM_SAMPLES),
        streamsPerSecond: twoDecimals(READ_STREAM_SAMPLES / seconds),
        eventsPerSecond: twoDecimals(events / seconds),
      };
    }
    const longStream = 'sequential-0';
    let longEvents = 0;
    const longStartedAt = nowMs();
    let longReads = 0;
    while (nowMs() - longStartedAt < 2000 && longReads < 1000) {
      longEvents += (await store.readStream(longStream)).length;
      longReads++;
    }
    const readStreamLong = {
      streamLength: longEvents / longReads,
      reads: longReads,
      eventsPerSecond: twoDecimals(longEvents / ((nowMs() - longStartedAt) / 1000)),
    };

    log('reading the whole log page by page');
    const head = await store.headPosition();
    let after = 0;
    let readEvents = 0;
    const readAllStartedAt = nowMs();
    for (;;) {
      const page = await store.readAll({ after, maxCount: READ_ALL_PAGE });
      if (page.length === 0) break;
      readEvents += page.length;
      after = page[page.length - 1].position;
    }
    const readAllSeconds = (nowMs() - readAllStartedAt) / 1000;

    await store.close();
    const bytes = ['', '-wal'].reduce((total, suffix) => {
      try {
        return total + statSync(file + suffix).size;
      } catch {
        return total;
      }
    }, 0);

    const result = {
      settings: { journalMode: 'WAL', synchronous: 'FULL', phaseSeconds: durationMs / 1000 },
      generatedLog: generated,
      sequentialAppend: sequential,
      concurrentAppend: concurrent,
      rawBetterSqlite,
      readStream: { contractStreams: readStreamContracts, longStream: readStreamLong },
      readAll: { pageSize: READ_ALL_PAGE, events: readEvents, seconds: twoDecimals(readAllSeconds), eventsPerSecond: twoDecimals(readEvents / readAllSeconds) },
      eventsInStore: head,
      bytesPerEvent: twoDecimals(bytes / Math.max(1, head)),
      // Other work on the machine skews every figure: CPU beyond this process's own was someone else's.
      machine: {
        cpus: cpus().length,
        loadAverageAtStart: loadAverageAtStart.map(twoDecimals),
        benchmarkCpuCores: twoDecimals(cpuSecondsSince(ownCpuAtStart) / ((nowMs() - startedAt) / 1000)),
        machineCpuCores: machineCoresSince(machineBusyAtStart, startedAt),
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await store.close();
    removeTemporaryFolder(folder);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:store failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
