/**
 * Child processes and temporary folders of a benchmark run. Everything started or created here is
 * registered and torn down when the run ends, fails, or is interrupted.
 */

import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = resolve(__dirname, '..', '..');

const children = new Set<ChildProcess>();
const temporaryFolders = new Set<string>();

/** Runs the TypeScript entry point of a helper process the same way the benchmark itself runs. */
export const TS_NODE_ARGS = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

export function startChild(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { cwd: REPO_ROOT, ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function makeTemporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  temporaryFolders.add(folder);
  return folder;
}

export function removeTemporaryFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  temporaryFolders.delete(folder);
}

/** Synchronous so that it also works from an 'exit' handler. */
export function cleanUpEverything(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
  temporaryFolders.clear();
}

let cleanupInstalled = false;

/** Kills children and removes temporary folders however the process ends. */
export function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', cleanUpEverything);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nInterrupted (${signal}); stopping child processes.\n`);
      cleanUpEverything();
      process.exit(130);
    });
  }
}

/** Resolves with the exit code, or kills the child (TERM, then KILL) when it outlives `timeoutMs`. */
export async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const timer = sleep(timeoutMs, 'timeout' as const);
  if ((await Promise.race([exited, timer])) !== 'timeout') return exited;
  child.kill('SIGTERM');
  if ((await Promise.race([exited, sleep(3000, 'timeout' as const)])) !== 'timeout') return exited;
  child.kill('SIGKILL');
  return exited;
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  return waitForExit(child, graceMs);
}

/** A port the kernel just handed out on 127.0.0.1; free unless someone grabs it in the next few milliseconds. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Collects a child's stdout; helpers print exactly one JSON document there. */
export function collectStdout(child: ChildProcess): () => string {
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

export function parseLastJsonLine<T>(output: string, what: string): T {
  const line = output
    .trim()
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith('{'));
  if (line === undefined) throw new Error(`${what} printed no result`);
  return JSON.parse(line) as T;
}

/** A field of /proc/<pid>/status in kB (VmHWM: peak resident set, VmRSS: current). */
export function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Resets a process's peak resident set (VmHWM) to its current one (Linux 4.0 and later, `clear_refs` 5), so
 * that a later VmHWM is the peak since now. False where the kernel or the permissions refuse it.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far (Linux clock ticks are 1/100 s). */
export function procCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds all cores of the machine have spent busy (not idle nor waiting for I/O) since boot. */
export function machineBusyCpuSeconds(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The first child of a wrapper process such as `timeout`, once it has forked it. */
export async function childPidOf(pid: number, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const file = `/proc/${pid}/task/${pid}/children`;
    if (existsSync(file)) {
      const first = readFileSync(file, 'utf8').trim().split(/\s+/)[0];
      if (first) return Number(first);
    }
    await sleep(20);
  }
  throw new Error(`process ${pid} started no child within ${timeoutMs} ms`);
}
