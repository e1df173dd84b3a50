import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The source of a script preloaded into a child service (NODE_OPTIONS=--require) by tests that measure its memory:
 * every LIVE_HEAP_SAMPLE_MS it runs a full garbage collection and appends `<epoch ms> <heap used after it>` to
 * LIVE_HEAP_SAMPLE_FILE, so that what is sampled is the memory the service holds, not garbage not yet collected.
 * It is plain JavaScript because the child's Node loads it before anything else; it is written into the test's
 * own temporary folder rather than kept as a file in the repository.
 */
const LIVE_HEAP_SAMPLER_SOURCE = `'use strict';
const { appendFileSync } = require('node:fs');
const { setFlagsFromString } = require('node:v8');
const { runInNewContext } = require('node:vm');

const file = process.env.LIVE_HEAP_SAMPLE_FILE;
if (file) {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc');
  const every = Number(process.env.LIVE_HEAP_SAMPLE_MS || 200);
  setInterval(() => {
    collect();
    appendFileSync(file, \`\${Date.now()} \${process.memoryUsage().heapUsed}\\n\`);
  }, every).unref();
}
`;

/** Writes the sampler into `directory` and answers its path, for `--require`. */
export function writeLiveHeapSampler(directory: string): string {
  const file = join(directory, 'live-heap-sampler.js');
  writeFileSync(file, LIVE_HEAP_SAMPLER_SOURCE);
  return file;
}
