import Database from 'better-sqlite3';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { EVENT_STORE_FILE } from '../../src/store/storage-files';
import { HttpClient, RoleTokens } from './http-client';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const ENTRY = join('apps', 'api', 'src', 'main.ts');
/** The service's own output kept for a failure message. */
const OUTPUT_KEPT = 8_000;

export interface ChildServiceOptions {
  projections?: 'embedded' | 'off';
  timeoutMs?: number;
  /** Settings on top of the defaults below (LOG_LEVEL, API_CLIENTS, ...). */
  env?: NodeJS.ProcessEnv;
  /** Keep the whole stdout (the JSON log) in `stdout`. */
  keepStdout?: boolean;
  /** The port of the first attempt instead of a free one (another is probed after EADDRINUSE). */
  port?: number;
  /** Started once /health answers at all (503 included), for a service expected not to be ready. */
  acceptUnready?: boolean;
  /** With API_CLIENTS set: the bearer token `http` sends for each role (an auditor's also proves the child answers). */
  tokens?: RoleTokens;
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real service in a process of its own, run from the TypeScript sources (so that it needs no
 * prior build), bound to 127.0.0.1, on the embedded store in `dataDir`. Only SIGKILL stops it here:
 * what a crash leaves behind is what the tests want to see.
 */
export class ChildService {
  readonly http: HttpClient;
  readonly exited: Promise<void>;
  /** The process's exit code once it has exited (null when a signal ended it). */
  exitCode: number | null = null;
  /** Everything the process wrote to stdout, when started with `keepStdout`. */
  stdout = '';
  private output = '';
  private alive = true;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    keepStdout: boolean,
    tokens: RoleTokens,
  ) {
    this.http = new HttpClient(`http://127.0.0.1:${port}`, { timeoutMs: 15_000, tokens });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    if (keepStdout) child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      this.exitCode = code;
      this.alive = false;
      resolve();
    }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.alive;
  }

  /**
   * `projections: 'off'` runs no projections and no credit process in this process (as when they run
   * elsewhere and are down): payouts and refunds then wait for their wallet credits.
   */
  static async start(dataDir: string, options: ChildServiceOptions = {}): Promise<ChildService> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await ChildService.startOnce(dataDir, attempt === 1 ? options : { ...options, port: undefined });
      } catch (error) {
        // The free port was taken between probing and binding: another port, another try.
        if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
      }
    }
  }

  private static async startOnce(dataDir: string, options: ChildServiceOptions): Promise<ChildService> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const port = options.port ?? (await freePort());
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      EVENT_STORE: 'sqlite',
      PROJECTIONS: options.projections ?? 'embedded',
      API_CLIENTS: '',
      // The scenarios written before the timers post /payout and /wallet/expire themselves; a scenario of the timers
      // names its policy.
      SETTLEMENT_POLICY: 'manual',
      BALANCE_EXPIRY_POLICY: 'manual',
      ...options.env,
    };
    delete env.EVENTSTORE_CONNECTION_STRING;
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', ENTRY], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ChildService(child, port, options.keepStdout ?? false, options.tokens ?? {});
    try {
      // Without API_CLIENTS every reader may see the details of the health answer, the store id among them; with
      // them, staff (the auditor the health check is read as) may.
      const seesDetails = env.API_CLIENTS === '' || options.tokens?.auditor !== undefined;
      await service.ready(join(dataDir, EVENT_STORE_FILE), seesDetails ? 'store id' : 'status', timeoutMs, options.acceptUnready ?? false);
    } catch (error) {
      await service.stop();
      throw error;
    }
    return service;
  }

  /** Kills the process at once, as a crash would; requests in flight are cut off. */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  /** Sends a signal (SIGTERM: the orchestrator's stop) and leaves the process to exit as it will. */
  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Kills it if it is still running and waits for it to be gone. */
  async stop(): Promise<void> {
    this.kill();
    await this.exited;
    this.http.close();
  }

  /**
   * Waits until the child itself answers /health. The port was free when probed, but another process (a
   * service started by a test running beside this one) may bind it before the child does: the child then exits
   * with EADDRINUSE, and every request meant for it would reach that other service, with another log. So a
   * health answer counts only when it names the store in the child's data directory; the child's exit is
   * what ends the wait otherwise. With API_CLIENTS set and no auditor's token the answer shows statuses only, and
   * is taken as it is.
   */
  private async ready(storeFile: string, proof: 'store id' | 'status', timeoutMs: number, acceptUnready: boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.alive) throw new Error(`the service exited while starting:\n${this.output}`);
      try {
        const health = await this.http.get<HealthAnswer>('/health');
        const answered = health.status === 200 || (acceptUnready && health.status === 503);
        if (answered && (proof === 'status' || namesStore(health.body, storeFile))) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`the service did not answer /health within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

interface HealthAnswer {
  details?: { eventStore?: { storeId?: string } };
}

/** Whether a health answer comes from the service whose event log is `storeFile`: the store id it names is the file's. */
function namesStore(answer: HealthAnswer, storeFile: string): boolean {
  const named = answer.details?.eventStore?.storeId;
  return named !== undefined && named === storeIdOf(storeFile);
}

function storeIdOf(storeFile: string): string | undefined {
  if (!existsSync(storeFile)) return undefined;
  const db = new Database(storeFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], string>("SELECT value FROM store_metadata WHERE key = 'store_id'").pluck().get();
  } catch {
    // Not created yet by the child.
    return undefined;
  } finally {
    db.close();
  }
}
