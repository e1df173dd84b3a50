/**
 * The main thread's side of the processors' thread (`processors-worker.ts`): starts the worker, wakes it
 * after each commit of the store, and answers `waitFor`, `status` and `positionOf` from the checkpoints it
 * reports, settling the waiters as its reports arrive. A worker that dies is reported (logged, and
 * `failingSince` is set, which /health/ready answers 503 for) and started again after a back-off; the
 * first start failing fails the service's start.
 */

import type Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventStore } from '@escrow/event-store/port';
import type { Projection, ProjectionReader, ProjectionStatus } from '@escrow/projections/projection';
import { CheckpointTable } from '@escrow/projections/runtime/checkpoints';
import type { ProjectionEngineErrorSource } from '@escrow/projections/runtime/projection-engine-options';
import type { ProjectionFailure } from '@escrow/projections/runtime/projection-failures';
import { ProjectionProgress, WaitOptions } from '@escrow/projections/runtime/projection-progress';
import type { FromProcessorsWorker, ProcessorsWorkerData, ToProcessorsWorker } from './processors-thread-messages';

/** How long a stopping worker may take to finish its batch before it is terminated. */
export const WORKER_STOP_TIMEOUT_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;

export interface ProcessorsThreadOptions {
  /** The main thread's connection to the read models: only read here. */
  db: Database.Database;
  store: EventStore;
  projections: readonly Projection[];
  dataDir: string;
  readModelFile: string;
  storeId: string | undefined;
  now(): Date;
  /** A passing failure in the worker, which retries on its own. */
  onFailure(source: ProjectionEngineErrorSource, message: string): void;
  /** The worker ended unexpectedly; it is started again after `restartInMs`. */
  onDied(reason: string, restartInMs: number): void;
  onRestarted(): void;
  /** The read models followed the log (the subscription delivered a batch): wakes what reads them. */
  onDelivered(): void;
  /** First delay before starting a dead worker again; doubled at each failed start, up to 30 s. */
  restartDelayMs?: number;
}

export class ProcessorsThread implements ProjectionReader {
  private readonly progress: ProjectionProgress;
  private worker: Worker | undefined;
  private exited: Promise<void> = Promise.resolve();
  private running = false;
  private stopped = false;
  private workerFailingSince: string | undefined;
  private failures: ProjectionFailure[] = [];
  private deadSince: string | undefined;
  private failedStarts = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  readonly db: Database.Database;

  constructor(private readonly options: ProcessorsThreadOptions) {
    this.db = options.db;
    this.progress = new ProjectionProgress(options.projections, new CheckpointTable(options.db), () => this.running);
  }

  /** Starts the worker; resolves once its engine runs, rejects if it cannot start. */
  start(): Promise<void> {
    return this.spawn();
  }

  /** The store committed: the worker reads the log. */
  logGrew(): void {
    this.post({ type: 'log-grew', now: this.options.now().getTime() });
  }

  /** Since when the read models have not been kept up to date: the worker is dead, or a projection in it fails. */
  failingSince(): string | undefined {
    const since = [this.deadSince, this.workerFailingSince].filter((at): at is string => at !== undefined);
    return since.length === 0 ? undefined : since.sort()[0];
  }

  projectionFailures(): ProjectionFailure[] {
    return this.failures;
  }

  waitFor(position: number, options: WaitOptions = {}): Promise<boolean> {
    return this.progress.waitFor(position, options, this.stopped);
  }

  async status(): Promise<ProjectionStatus[]> {
    return this.progress.status(await this.options.store.headPosition());
  }

  positionOf(name: string): number {
    return this.progress.positionOf(name);
  }

  /** Lets the worker finish its batch and close its connections (terminated after WORKER_STOP_TIMEOUT_MS). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (worker !== undefined) {
      this.post({ type: 'stop' });
      const timeout = setTimeout(() => void worker.terminate(), WORKER_STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timeout);
    }
    this.progress.abandonWaiters();
  }

  private post(message: ToProcessorsWorker): void {
    this.worker?.postMessage(message);
  }

  private spawn(): Promise<void> {
    const worker = createProcessorsWorker({
      dataDir: this.options.dataDir,
      readModelFile: this.options.readModelFile,
      storeId: this.options.storeId,
      now: this.options.now().getTime(),
    });
    this.worker = worker;
    let markExited!: () => void;
    this.exited = new Promise((resolve) => (markExited = resolve));
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let failure: unknown;
      worker.on('message', (message: FromProcessorsWorker) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            this.ready();
            resolve();
            break;
          case 'progress':
            for (const { advanced, last, at } of message.commits) this.progress.committedElsewhere(advanced, last, at);
            if (message.delivered) this.options.onDelivered();
            break;
          case 'failed':
            this.workerFailingSince = message.failingSince;
            this.failures = message.failures;
            this.options.onFailure(message.source, message.message);
            break;
          case 'recovered':
            this.workerFailingSince = undefined;
            this.failures = [];
            break;
          case 'start-failed':
            failure = new Error(`The processors' thread could not start: ${message.message}`);
            break;
        }
      });
      worker.on('error', (error) => {
        failure = error;
      });
      worker.on('exit', (code) => {
        this.worker = undefined;
        this.running = false;
        markExited();
        if (!ready) return reject(failure ?? new Error(`The processors' thread ended (exit code ${code}) before it was ready`));
        if (!this.stopped) this.died(failure ?? new Error(`exit code ${code}`));
      });
    });
  }

  private ready(): void {
    const restarted = this.deadSince !== undefined;
    this.running = true;
    this.deadSince = undefined;
    this.failedStarts = 0;
    this.workerFailingSince = undefined;
    this.failures = [];
    // The worker brought the tables to their versions: its checkpoints are the stored ones from here on.
    this.progress.reloadAll();
    if (restarted) this.options.onRestarted();
  }

  private died(cause: unknown): void {
    this.deadSince ??= this.options.now().toISOString();
    const delay = Math.min(MAX_RESTART_DELAY_MS, (this.options.restartDelayMs ?? 1000) * 2 ** this.failedStarts);
    this.options.onDied(cause instanceof Error ? (cause.stack ?? cause.message) : String(cause), delay);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopped) return;
      this.spawn().catch((error: unknown) => {
        this.failedStarts++;
        if (!this.stopped) this.died(error);
      });
    }, delay);
    this.restartTimer.unref();
  }
}

/**
 * The worker runs the compiled `processors-worker.js` next to this file. Where the service runs from its
 * TypeScript sources (ts-node, jest), a worker cannot load `.ts` by itself, so a small CommonJS entry
 * teaches it to (instead of the process's own loader, a preload which compiles everything again at each
 * start) and maps the path aliases. Its transpiled files are kept in the temporary folder by content, so that a worker
 * started again (every test service starts one) does not load the compiler.
 */
function createProcessorsWorker(data: ProcessorsWorkerData): Worker {
  if (extname(__filename) !== '.ts') return new Worker(join(__dirname, 'processors-worker.js'), { workerData: data, execArgv: withoutPreloads(process.execArgv) });
  const tsconfig = findUp(__dirname, 'tsconfig.json');
  const { compilerOptions } = JSON.parse(readFileSync(tsconfig, 'utf8')) as { compilerOptions: Record<string, unknown> & { baseUrl: string; paths: Record<string, string[]> } };
  const typescript = {
    entry: join(__dirname, 'processors-worker.ts'),
    compiler: require.resolve('typescript'),
    tsconfigPaths: require.resolve('tsconfig-paths'),
    compilerOptions,
    cacheDir: join(tmpdir(), 'escrow-processors-worker-ts'),
    baseUrl: join(dirname(tsconfig), compilerOptions.baseUrl),
    paths: compilerOptions.paths,
  };
  return new Worker(TYPESCRIPT_ENTRY, { eval: true, execArgv: withoutPreloads(process.execArgv), workerData: { ...data, typescript } });
}

const TYPESCRIPT_ENTRY = `
const { workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const options = workerData.typescript;
if (!require.extensions['.ts']) {
  let compile;
  fs.mkdirSync(options.cacheDir, { recursive: true });
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const key = createHash('sha256').update(JSON.stringify(options.compilerOptions)).update(filename).update(source).digest('hex');
    const cached = path.join(options.cacheDir, key + '.js');
    let code;
    try {
      code = fs.readFileSync(cached, 'utf8');
    } catch {
      if (compile === undefined) {
        const ts = require(options.compiler);
        const compilerOptions = ts.convertCompilerOptionsFromJson({ ...options.compilerOptions, module: 'commonjs', sourceMap: false, inlineSourceMap: false }, '').options;
        compile = (text, fileName) => ts.transpileModule(text, { compilerOptions, fileName }).outputText;
      }
      code = compile(source, filename);
      const temporary = cached + '.' + process.pid + '.' + Math.random().toString(36).slice(2);
      fs.writeFileSync(temporary, code);
      fs.renameSync(temporary, cached);
    }
    module._compile(code, filename);
  };
}
require(options.tsconfigPaths).register({ baseUrl: options.baseUrl, paths: options.paths });
require(options.entry);
`;

/**
 * The process's flags without its preloads (`-r`): those are the main thread's (a profiler, an event-loop
 * probe reading stdin, a TypeScript loader), and a worker would run them again.
 */
function withoutPreloads(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const flag = execArgv[index];
    if (flag === '-r' || flag === '--require') index++;
    else if (!flag.startsWith('--require=')) kept.push(flag);
  }
  return kept;
}

function findUp(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`No ${name} above ${from}`);
  }
}
