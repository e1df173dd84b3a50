/**
 * Rebuilds every projection from position zero over an existing event store file, with the service
 * stopped, and prints one JSON RebuildMeasurement. Run as its own process so that its memory and CPU
 * are its own.
 *
 * Usage: rebuild.ts <events.sqlite> <read-model database file> [reactor,... already caught up]
 *
 * The projection runtime is looked up at run time: where it is not there (yet), the measurement is
 * reported as unavailable with the reason rather than failing the whole benchmark.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedEvent } from '@escrow/event-store/port';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import type { Projection } from '@escrow/projections/projection';
import { REPO_ROOT, procStatusKb } from './processes';
import { twoDecimals } from './stats';

export type RebuildMeasurement =
  | {
      available: true;
      projections: string[];
      eventsRead: number;
      seconds: number;
      eventsPerSecond: number;
      peakRssMb: number | null;
    }
  | { available: false; reason: string };

type Upcaster = (event: RecordedEvent) => RecordedEvent;

interface RuntimeModule {
  ProjectionEngine: new (options: { store: SqliteEventStore; db: unknown; projections: readonly Projection[]; upcast?: Upcaster }) => {
    rebuild(): Promise<{ eventsRead: number; durationMs: number }>;
    stop(): Promise<void>;
  };
  openReadModelDatabase: (file: string) => ReadModelDatabase;
  CheckpointTable: new (db: ReadModelDatabase) => {
    get(name: string): { position: number } | undefined;
    insert(checkpoint: { name: string; kind: 'reactor'; version: number; position: number; updatedAt: string | null }): void;
    advance(name: string, position: number, updatedAt: string): void;
  };
}

interface ReadModelDatabase {
  close(): void;
  transaction<Run extends () => void>(run: Run): Run;
}

const PROJECTIONS_SOURCE = join(REPO_ROOT, 'libs', 'projections', 'src');

const looksLikeProjection = (value: unknown): value is Projection =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Projection).name === 'string' &&
  typeof (value as Projection).version === 'number' &&
  typeof (value as Projection).prepare === 'function';

const projectionList = (value: unknown): Projection[] | undefined =>
  Array.isArray(value) && value.length > 0 && value.every(looksLikeProjection) ? (value as Projection[]) : undefined;

/**
 * The set of projections the service runs: the library's registry (`PROJECTIONS`), else any exported
 * array of projections, or an exported function without parameters that returns one.
 */
function findProjections(exports: Record<string, unknown>): Projection[] | undefined {
  const registry = projectionList(exports.PROJECTIONS);
  if (registry) return registry;
  for (const value of Object.values(exports)) {
    const list = projectionList(value);
    if (list) return list;
  }
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value !== 'function' || value.length !== 0 || !/projections/i.test(name) || /^[A-Z]/.test(name)) continue;
    const list = projectionList((value as () => unknown)());
    if (list) return list;
  }
  return undefined;
}

function findUpcaster(exports: Record<string, unknown>): Upcaster | undefined {
  const entry = Object.entries(exports).find(([name, value]) => /upcast/i.test(name) && typeof value === 'function' && value.length === 1 && !/identity/i.test(name));
  return entry?.[1] as Upcaster | undefined;
}

async function load(): Promise<{ runtime: RuntimeModule; projections: Projection[]; upcast: Upcaster | undefined } | { reason: string }> {
  if (!existsSync(join(PROJECTIONS_SOURCE, 'runtime'))) return { reason: 'libs/projections/src/runtime does not exist' };
  if (!existsSync(join(PROJECTIONS_SOURCE, 'index.ts'))) return { reason: 'libs/projections/src/index.ts (the list of projections) does not exist' };
  let runtime: Partial<RuntimeModule>;
  let library: Record<string, unknown>;
  try {
    library = (await import(PROJECTIONS_SOURCE)) as Record<string, unknown>;
    runtime = { ...library } as Partial<RuntimeModule>;
    for (const file of ['projection-engine', 'read-model-database']) {
      if (existsSync(join(PROJECTIONS_SOURCE, 'runtime', `${file}.ts`))) Object.assign(runtime, await import(join(PROJECTIONS_SOURCE, 'runtime', file)));
    }
  } catch (error) {
    return { reason: `the projection library failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof runtime.ProjectionEngine !== 'function') return { reason: 'ProjectionEngine is not exported by libs/projections/src/runtime' };
  if (typeof runtime.openReadModelDatabase !== 'function') return { reason: 'openReadModelDatabase is not exported by libs/projections/src/runtime' };
  if (runtime.CheckpointTable === undefined) Object.assign(runtime, await import(join(PROJECTIONS_SOURCE, 'runtime', 'checkpoints')));
  const projections = findProjections(library);
  if (!projections) return { reason: 'libs/projections/src/index.ts exports no list of projections' };
  return { runtime: runtime as RuntimeModule, projections, upcast: findUpcaster(library) };
}

/**
 * Rebuilds every projection, then moves the checkpoints of `caughtUpReactors` to the head: for a log
 * that already holds what those reactors would have appended (a generated one), so that a service
 * started on it does not redo their work.
 */
export async function measureRebuild(storeFile: string, readModelFile: string, caughtUpReactors: readonly string[] = []): Promise<RebuildMeasurement> {
  const loaded = await load();
  if ('reason' in loaded) return { available: false, reason: loaded.reason };
  const store = SqliteEventStore.open({ file: storeFile });
  const db = loaded.runtime.openReadModelDatabase(readModelFile);
  try {
    const engine = new loaded.runtime.ProjectionEngine({ store, db, projections: loaded.projections, ...(loaded.upcast ? { upcast: loaded.upcast } : {}) });
    const startedAt = performance.now();
    const report = await engine.rebuild();
    const seconds = (performance.now() - startedAt) / 1000;
    await engine.stop();
    const head = await store.headPosition();
    const checkpoints = new loaded.runtime.CheckpointTable(db);
    const now = new Date().toISOString();
    db.transaction(() => {
      for (const name of caughtUpReactors) {
        if (checkpoints.get(name) === undefined) checkpoints.insert({ name, kind: 'reactor', version: 1, position: head, updatedAt: now });
        else checkpoints.advance(name, head, now);
      }
    })();
    const peakKb = procStatusKb(process.pid, 'VmHWM');
    return {
      available: true,
      projections: loaded.projections.map((projection) => projection.name),
      eventsRead: report.eventsRead,
      seconds: twoDecimals(seconds),
      eventsPerSecond: twoDecimals(report.eventsRead / seconds),
      peakRssMb: peakKb === null ? null : twoDecimals(peakKb / 1024),
    };
  } finally {
    db.close();
    await store.close();
  }
}

if (require.main === module) {
  const [storeFile, readModelFile, reactors] = process.argv.slice(2);
  measureRebuild(storeFile, readModelFile, reactors ? reactors.split(',') : [])
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stdout.write(`${JSON.stringify({ available: false, reason: `the rebuild failed: ${error instanceof Error ? error.message : String(error)}` })}\n`);
      process.exit(0);
    });
}
