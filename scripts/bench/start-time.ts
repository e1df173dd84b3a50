/**
 * How long the service takes to start on a given data folder: `createApp` and `init` (storage checks,
 * opening the stores, starting the projections) until it would listen, several times, then the median.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register scripts/bench/start-time.ts <dataDir> [--generate <events>] [--runs <n>]
 *
 * `--generate` first writes a generated contract log of that many events into an empty folder and builds
 * its read models (the wallet credit process caught up), as a service that had been running would leave
 * them. The first start is a warm-up and is not counted (it may migrate files written by an older build).
 */

import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { createApp } from '../../apps/api/src/bootstrap';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { generateContractEvents, REACTORS_COVERED_BY_GENERATED_LOG } from './event-log';
import { measureRebuild } from './rebuild';

async function prepare(dataDir: string, events: number): Promise<void> {
  const storeFile = join(dataDir, 'events.sqlite');
  const store = SqliteEventStore.open({ file: storeFile });
  try {
    const generated = await generateContractEvents(store, events);
    process.stdout.write(`generated ${generated.events} events (${generated.contracts} contracts) in ${generated.seconds} s\n`);
  } finally {
    await store.close();
  }
  const rebuilt = await measureRebuild(storeFile, join(dataDir, 'read-models.sqlite'), REACTORS_COVERED_BY_GENERATED_LOG);
  process.stdout.write(`read models built: ${JSON.stringify(rebuilt)}\n`);
}

async function startOnce(dataDir: string): Promise<number> {
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
  const startedAt = performance.now();
  const app = await createApp(config);
  await app.init();
  const ms = performance.now() - startedAt;
  await app.close();
  return ms;
}

async function main(argv: string[]): Promise<void> {
  const [dataDir] = argv;
  const option = (name: string) => {
    const index = argv.indexOf(name);
    return index < 0 ? undefined : Number(argv[index + 1]);
  };
  if (!dataDir) throw new Error('Usage: start-time.ts <dataDir> [--generate <events>] [--runs <n>]');
  const events = option('--generate');
  if (events !== undefined) await prepare(dataDir, events);
  const runs = option('--runs') ?? 7;
  await startOnce(dataDir);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push(await startOnce(dataDir));
  const sorted = [...times].sort((a, b) => a - b);
  process.stdout.write(
    `start (createApp + init) over ${runs} runs: median ${sorted[Math.floor(runs / 2)].toFixed(0)} ms, ` +
      `min ${sorted[0].toFixed(0)} ms, max ${sorted[runs - 1].toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})\n`,
  );
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
