/**
 * Measures rebuilding the read models from position zero over a realistic log in a SQLite event store.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register libs/projections/src/testing/measure-rebuild.ts \
 *     [--events 200000,1000000] [--runs 3] [--projections all | none | ledger,fees] \
 *     [--catch-up-batch N] [--page N] [--node-flags "--max-semi-space-size=64"] [--cpu-prof DIR]
 *
 * For each size the log is generated once (`realistic-log.ts`, through the store's append) and kept in the
 * temporary directory for later runs (delete `escrow-rebuild-measure` there to start afresh). Each rebuild
 * runs in a process of its own, into a fresh read-model file, the way `npm run projections:rebuild` does
 * (`ProjectionEngine.rebuild()` on an engine not started), so that its time and peak memory are its own.
 * `--projections none` applies a projection that does nothing: the cost of reading the log through the
 * engine. Prints one JSON line per run and, per size, the median run.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import type { Projection } from '../projection';
import { PROJECTIONS } from '../registry';
import { ProjectionEngine } from '../runtime/projection-engine';
import { openReadModelDatabase } from '../runtime/read-model-database';
import { writeRealisticLog } from './realistic-log';

export interface RebuildRun {
  events: number;
  projections: string[];
  /** Events per transaction (`catchUpBatchSize`); null: the engine's default. */
  catchUpBatchSize: number | null;
  /** Events per read of the log (`catchUpPageSize`); null: the engine's default. */
  pageSize: number | null;
  seconds: number;
  eventsPerSecond: number;
  /** CPU time of the process (every thread, user + system) while rebuilding. */
  cpuSeconds: number;
  /** Peak resident memory of the whole process (Node, the TypeScript loader, SQLite's cache). */
  peakRssMb: number;
}

const WORK_DIR = join(tmpdir(), 'escrow-rebuild-measure');
const LOADER = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

/** A projection that applies nothing: what is left is reading, decoding and checkpointing. */
const NOTHING: Projection = {
  name: 'nothing',
  version: 1,
  tables: [],
  setup() {},
  prepare: () => () => {},
};

const hundredths = (value: number) => Number(value.toFixed(2));

function selectProjections(names: string): Projection[] {
  if (names === 'all') return [...PROJECTIONS];
  if (names === 'none') return [NOTHING];
  return names.split(',').map((name) => {
    const projection = PROJECTIONS.find((candidate) => candidate.name === name);
    if (!projection) throw new Error(`Unknown projection ${name}`);
    return projection;
  });
}

const removeDatabase = (file: string) => {
  for (const part of [file, `${file}-wal`, `${file}-shm`]) rmSync(part, { force: true });
};

async function generate(file: string, events: number): Promise<void> {
  const partial = `${file}.partial`;
  removeDatabase(partial);
  const store = SqliteEventStore.open({ file: partial });
  const startedAt = performance.now();
  const log = await writeRealisticLog(store, events, { onProgress: (count) => process.stderr.write(`  generated ${count} events\n`) });
  await store.close();
  renameSync(partial, file);
  const types = Object.entries(log.byType).sort((a, b) => b[1] - a[1]);
  process.stderr.write(
    `  ${log.events} events, ${log.contracts} contracts in ${((performance.now() - startedAt) / 1000).toFixed(1)} s: ` +
      `${types.map(([type, count]) => `${type} ${((100 * count) / log.events).toFixed(1)}%`).join(', ')}\n`,
  );
}

async function rebuildOnce(
  storeFile: string,
  names: string,
  catchUpBatchSize: number | undefined,
  pageSize: number | undefined,
): Promise<RebuildRun> {
  const projections = selectProjections(names);
  const readModels = join(WORK_DIR, `read-models-${process.pid}.sqlite`);
  removeDatabase(readModels);
  const store = SqliteEventStore.open({ file: storeFile });
  const db = openReadModelDatabase(readModels);
  try {
    const engine = new ProjectionEngine({
      store,
      db,
      projections,
      ...(catchUpBatchSize ? { catchUpBatchSize } : {}),
      ...(pageSize ? { catchUpPageSize: pageSize } : {}),
    });
    const startedAt = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = await engine.rebuild();
    const seconds = (performance.now() - startedAt) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await engine.stop();
    return {
      events: report.eventsRead,
      projections: projections.map((projection) => projection.name),
      catchUpBatchSize: catchUpBatchSize ?? null,
      pageSize: pageSize ?? null,
      seconds: hundredths(seconds),
      eventsPerSecond: Math.floor(report.eventsRead / seconds),
      cpuSeconds: hundredths((cpu.user + cpu.system) / 1e6),
      peakRssMb: Math.floor(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    db.close();
    await store.close();
    removeDatabase(readModels);
  }
}

function option(args: readonly string[], name: string, fallback: string): string {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
}

async function main(args: readonly string[]): Promise<void> {
  if (args[0] === 'generate') return generate(args[1], Number(args[2]));
  if (args[0] === 'rebuild') {
    const [catchUpBatchSize, pageSize] = [args[3], args[4]].map((value) =>
      value === undefined || value === '-' ? undefined : Number(value),
    );
    process.stdout.write(`${JSON.stringify(await rebuildOnce(args[1], args[2], catchUpBatchSize, pageSize))}\n`);
    return;
  }
  const sizes = option(args, 'events', '200000,1000000').split(',').map(Number);
  const runs = Number(option(args, 'runs', '3'));
  const names = option(args, 'projections', 'all');
  const catchUpBatchSize = option(args, 'catch-up-batch', '-');
  const pageSize = option(args, 'page', '-');
  const nodeFlags = option(args, 'node-flags', '')
    .split(' ')
    .filter((flag) => flag !== '');
  const profileDir = option(args, 'cpu-prof', '');
  selectProjections(names);
  mkdirSync(WORK_DIR, { recursive: true });
  for (const size of sizes) {
    const storeFile = join(WORK_DIR, `realistic-${size}.sqlite`);
    if (!existsSync(storeFile)) {
      process.stderr.write(`Generating ${size} events into ${storeFile}\n`);
      const generated = spawnSync(process.execPath, [...LOADER, __filename, 'generate', storeFile, String(size)], { stdio: 'inherit' });
      if (generated.status !== 0) throw new Error(`Generating the log failed (${generated.status})`);
    }
    const results: RebuildRun[] = [];
    for (let run = 0; run < runs; run++) {
      const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
      const child = spawnSync(
        process.execPath,
        [...nodeFlags, ...profile, ...LOADER, __filename, 'rebuild', storeFile, names, catchUpBatchSize, pageSize],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (child.status !== 0) throw new Error(`The rebuild failed (${child.status})`);
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as RebuildRun;
      results.push(result);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
    const sorted = [...results].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond);
    const median = sorted[Math.floor(sorted.length / 2)];
    process.stdout.write(
      `${size} events, ${names}: median ${median.eventsPerSecond} events/s (${median.seconds} s, ${median.cpuSeconds} s CPU), ` +
        `range ${sorted[0].eventsPerSecond}–${sorted[sorted.length - 1].eventsPerSecond}, peak RSS ${Math.max(...results.map((r) => r.peakRssMb))} MB\n`,
    );
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
