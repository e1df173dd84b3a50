/**
 * Preloaded into the service (`node -r`) when the benchmark profiles it. The service ends on SIGTERM by
 * re-raising the signal, which `node --cpu-prof` does not survive, so the profile is taken through the
 * inspector instead and started and written when the benchmark says so on the service's stdin, so that the
 * profile covers the measured window only, not start-up nor warm-up.
 * The benchmark transpiles this file to plain JavaScript, so the service process carries no TypeScript loader.
 */

import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getHeapStatistics } from 'node:v8';

const target = process.env.BENCH_CPU_PROFILE_FILE;
const intervalMicros = Number(process.env.BENCH_CPU_PROFILE_INTERVAL_US ?? '1000');

if (target) {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  // Commands on stdin: "start-profile" when the measured window opens, "stop-profile" when it closes.
  const commands: Record<string, () => Promise<void>> = {
    'start-profile': async () => {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: intervalMicros });
      await post('Profiler.start');
    },
    'stop-profile': async () => {
      const { profile } = (await post('Profiler.stop')) as { profile: object };
      // Where the resident memory sits (V8 heap, buffers, native allocations such as SQLite's caches).
      const heap = getHeapStatistics();
      writeFileSync(`${target}.memory.json`, JSON.stringify({ ...process.memoryUsage(), heapSizeLimit: heap.heap_size_limit, mallocedMemory: heap.malloced_memory, peakMallocedMemory: heap.peak_malloced_memory }));
      // Renamed into place so that the benchmark never reads a half-written file.
      writeFileSync(`${target}.partial`, JSON.stringify(profile));
      renameSync(`${target}.partial`, target);
      process.stderr.write('cpu-profile-written\n');
    },
  };
  let input = '';
  let queue = Promise.resolve();
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    input += chunk;
    const lines = input.split('\n');
    input = lines.pop() ?? '';
    for (const line of lines) {
      const command = commands[line.trim()];
      if (command) queue = queue.then(command).catch((error: unknown) => void process.stderr.write(`cpu profile: ${String(error)}\n`));
    }
  });
  // Reading stdin must not keep the process alive once the service has closed its server.
  process.stdin.unref();
}
