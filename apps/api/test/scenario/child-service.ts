import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { HttpClient } from './http-client';

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
  ) {
    this.http = new HttpClient(`http://127.0.0.1:${port}`, { timeoutMs: 15_000 });
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
        return await ChildService.startOnce(dataDir, options);
      } catch (error) {
        // The free port was taken between probing and binding: another port, another try.
        if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
      }
    }
  }

  private static async startOnce(dataDir: string, options: ChildServiceOptions): Promise<ChildService> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      EVENT_STORE: 'sqlite',
      PROJECTIONS: options.projections ?? 'embedded',
      API_CLIENTS: '',
      ...options.env,
    };
    delete env.EVENTSTORE_CONNECTION_STRING;
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', ENTRY], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ChildService(child, port, options.keepStdout ?? false);
    try {
      await service.ready(timeoutMs);
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

  private async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.alive) throw new Error(`the service exited while starting:\n${this.output}`);
      try {
        const health = await this.http.get('/health');
        if (health.status === 200) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`the service did not answer /health within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
