/**
 * Preloaded into the service (`node -r`) on every benchmark run: measures how late its main thread's event
 * loop runs a timer (perf_hooks.monitorEventLoopDelay) over the measured window only. The benchmark writes
 * "window-start" and "window-end" on the service's stdin; at the end the figures are written to
 * BENCH_EVENT_LOOP_DELAY_FILE. The benchmark transpiles this file to plain JavaScript, so the service process
 * carries no TypeScript loader.
 */

import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const target = process.env.BENCH_EVENT_LOOP_DELAY_FILE;
/** The histogram samples the loop with a timer of this period; each sample is the time between two runs of it. */
const RESOLUTION_MS = 10;

if (target) {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  /** Nanoseconds between two runs of the timer, as milliseconds beyond the timer's own period: the delay. */
  const delayMs = (nanoseconds: number) => Number(Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS).toFixed(2));
  const commands: Record<string, () => void> = {
    'window-start': () => histogram.reset(),
    'window-end': () => {
      const figures = {
        resolutionMs: RESOLUTION_MS,
        samples: histogram.count,
        p50: delayMs(histogram.percentile(50)),
        p99: delayMs(histogram.percentile(99)),
        max: delayMs(histogram.max),
        mean: delayMs(histogram.mean),
      };
      // Renamed into place so that the benchmark never reads a half-written file.
      writeFileSync(`${target}.partial`, JSON.stringify(figures));
      renameSync(`${target}.partial`, target);
    },
  };
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    input += chunk;
    const lines = input.split('\n');
    input = lines.pop() ?? '';
    for (const line of lines) commands[line.trim()]?.();
  });
  // Reading stdin must not keep the process alive once the service has closed its server.
  process.stdin.unref();
}
