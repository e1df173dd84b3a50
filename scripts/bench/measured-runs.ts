/** The child processes of a benchmark run: the load driver, the rebuild, and the baseline servers. */

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BaselineStorage } from './baseline-server';
import type { DriverConfig, DriverResult } from './driver';
import {
  collectStdout,
  freePort,
  machineBusyCpuSeconds,
  parseLastJsonLine,
  procCpuSeconds,
  startChild,
  stopChild,
  TS_NODE_ARGS,
  waitForExit,
} from './processes';
import type { RebuildMeasurement } from './rebuild';
import { twoDecimals } from './stats';
import { threadCpuSnapshot, ThreadCpuSnapshot, ThreadCpuWindow, threadCpuWindow } from './threads';

export const HOST = '127.0.0.1';
export const REQUEST_TIMEOUT_MS = 10_000;

/** What the baselines take from the benchmark's settings: the same load as the service's. */
export interface BaselineSettings {
  warmupMs: number;
  baselineDurationMs: number;
  concurrency: number;
  milestones: number;
  idempotencyKeys: boolean;
}

export interface DriverRun {
  result: DriverResult;
  /** CPU the measured process used during the measured window, in cores. */
  targetCpuCores: number | null;
  /** CPU the whole machine used during the measured window, in cores: beyond target + driver, other work was running. */
  machineCpuCores: number | null;
  /** CPU of each thread of the measured process during the measured window, in cores. */
  targetThreadsCpuCores: ThreadCpuWindow | null;
}

export async function runDriver(config: DriverConfig, targetPid: number, onMark: (mark: string) => void = () => undefined): Promise<DriverRun> {
  const child = startChild(process.execPath, [...TS_NODE_ARGS, join(__dirname, 'driver.ts'), JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const output = collectStdout(child);
  const cpuMarks: Record<string, number | null> = {};
  const machineMarks: Record<string, number | null> = {};
  const threadMarks: Record<string, ThreadCpuSnapshot | null> = {};
  child.on('message', (message: { mark?: string }) => {
    if (!message.mark) return;
    cpuMarks[message.mark] = procCpuSeconds(targetPid);
    machineMarks[message.mark] = machineBusyCpuSeconds();
    threadMarks[message.mark] = threadCpuSnapshot(targetPid);
    onMark(message.mark);
  });
  const code = await waitForExit(child, config.warmupMs + config.durationMs + 2 * REQUEST_TIMEOUT_MS + 30_000);
  if (code !== 0) throw new Error(`the load driver failed (exit ${code})`);
  const cores = (marks: Record<string, number | null>) => {
    const start = marks['window-start'];
    const end = marks['window-end'];
    return start != null && end != null ? twoDecimals((end - start) / (config.durationMs / 1000)) : null;
  };
  const threadsAtStart = threadMarks['window-start'];
  const threadsAtEnd = threadMarks['window-end'];
  return {
    result: parseLastJsonLine<DriverResult>(output(), 'the load driver'),
    targetCpuCores: cores(cpuMarks),
    machineCpuCores: cores(machineMarks),
    targetThreadsCpuCores: threadsAtStart && threadsAtEnd ? threadCpuWindow(targetPid, threadsAtStart, threadsAtEnd, config.durationMs / 1000) : null,
  };
}

export async function runRebuild(storeFile: string, readModelFile: string, timeoutMs: number, caughtUpReactors: readonly string[] = []): Promise<RebuildMeasurement> {
  const child = startChild(process.execPath, [...TS_NODE_ARGS, join(__dirname, 'rebuild.ts'), storeFile, readModelFile, caughtUpReactors.join(',')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output = collectStdout(child);
  const code = await waitForExit(child, timeoutMs);
  if (code !== 0) return { available: false, reason: `the rebuild process failed (exit ${code})` };
  return parseLastJsonLine<RebuildMeasurement>(output(), 'the rebuild');
}

export async function runBaseline(folder: string, settings: BaselineSettings, storage: BaselineStorage): Promise<DriverRun> {
  const port = await freePort();
  const lifetimeSeconds = (settings.warmupMs + settings.baselineDurationMs) / 1000 + 90;
  const databaseFile = join(folder, `baseline-${storage}.sqlite`);
  const server = startChild(process.execPath, [...TS_NODE_ARGS, join(__dirname, 'baseline-server.ts'), String(port), storage, databaseFile, String(lifetimeSeconds)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const output = collectStdout(server);
  const deadline = Date.now() + 30_000;
  while (!output().includes('listening')) {
    if (server.exitCode !== null) throw new Error('the baseline server exited during start-up');
    if (Date.now() > deadline) throw new Error('the baseline server did not start within 30 s');
    await sleep(50);
  }
  try {
    return await runDriver(
      {
        host: HOST,
        port,
        warmupMs: settings.warmupMs,
        durationMs: settings.baselineDurationMs,
        concurrency: settings.concurrency,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        // The baselines check no token; one as long as the service's keeps the requests the same size.
        token: randomBytes(24).toString('hex'),
        // The same walk as the service's, without the lag probe: the baselines have no read models.
        load: { kind: 'lifecycle', milestones: settings.milestones, idempotencyKeys: settings.idempotencyKeys, lagProbe: null, lagSampleRate: 0 },
      },
      server.pid!,
    );
  } finally {
    await stopChild(server);
  }
}
