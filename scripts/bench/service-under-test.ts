/** The service under measurement: started as a child process under `timeout`, with one calling service that may assert every role. */

import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import ts from 'typescript';
import { SERVICE_ENTRY } from './build';
import { KeepAliveClient } from './http-client';
import { childPidOf, freePort, startChild } from './processes';

const HOST = '127.0.0.1';

// ── the service ─────────────────────────────────────────────────────────────────────────────────

export interface RunningService {
  wrapper: ChildProcess;
  /** The node process itself (the wrapper is `timeout`). */
  pid: number;
  port: number;
  logFile: string;
  token: string;
  profileFile: string | undefined;
  /** Where the event-loop delay of the measured window is written (event-loop-delay-preload.ts). */
  eventLoopDelayFile: string;
}

/** A preload, transpiled to plain JavaScript so that the service loads no TypeScript tooling. */
function writePreload(folder: string, name: 'cpu-profile-preload' | 'event-loop-delay-preload'): string {
  const source = readFileSync(join(__dirname, `${name}.ts`), 'utf8');
  const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const file = join(folder, `${name}.js`);
  writeFileSync(file, output.outputText);
  return file;
}

export async function startService(
  folder: string,
  dataDir: string,
  lifetimeSeconds: number,
  settings: { profile: boolean; projectionsOff: boolean },
): Promise<RunningService> {
  const { profile } = settings;
  const port = await freePort();
  const logFile = join(folder, 'service.log');
  const logFd = openSync(logFile, 'a');
  const token = randomBytes(24).toString('hex');
  const profileFile = profile ? join(folder, 'service.cpuprofile') : undefined;
  const eventLoopDelayFile = join(folder, 'event-loop-delay.json');
  const nodeArgs = ['-r', writePreload(folder, 'event-loop-delay-preload'), ...(profile ? ['-r', writePreload(folder, 'cpu-profile-preload')] : [])];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    EVENT_STORE: 'sqlite',
    // The driver posts each payout itself, as a settlement caller does under the manual policy.
    SETTLEMENT_POLICY: 'manual',
    BALANCE_EXPIRY_POLICY: 'manual',
    API_CLIENTS: JSON.stringify([{ id: 'bench', roles: ['user', 'support', 'system', 'auditor'], tokens: [token] }]),
    BENCH_EVENT_LOOP_DELAY_FILE: eventLoopDelayFile,
    ...(profileFile ? { BENCH_CPU_PROFILE_FILE: profileFile } : {}),
  };
  delete env.EVENTSTORE_CONNECTION_STRING;
  if (settings.projectionsOff) env.PROJECTIONS = 'off';
  else delete env.PROJECTIONS;
  const wrapper = startChild('timeout', ['-k', '5', String(Math.ceil(lifetimeSeconds)), process.execPath, ...nodeArgs, SERVICE_ENTRY], {
    env,
    // The preloads take the benchmark's marks ("window-start", "start-profile", …) on stdin.
    stdio: ['pipe', logFd, logFd],
  });
  closeSync(logFd);
  const pid = await childPidOf(wrapper.pid!);
  return { wrapper, pid, port, logFile, token, profileFile, eventLoopDelayFile };
}

export const serviceLogTail = (service: RunningService) => {
  try {
    return readFileSync(service.logFile, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
};

export async function waitUntilHealthy(client: KeepAliveClient, service: RunningService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.wrapper.exitCode !== null) throw new Error(`the service exited during start-up:\n${serviceLogTail(service)}`);
    try {
      if ((await client.request('GET', '/health')).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`the service was not healthy within ${timeoutMs} ms:\n${serviceLogTail(service)}`);
}
