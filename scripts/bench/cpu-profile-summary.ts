/**
 * Reads a V8 .cpuprofile and tells where the time went: the hottest functions by self time, the project's own
 * functions by inclusive time, and self time grouped by where the code comes from (a package, the project's
 * apps and libs, Node internals, the garbage collector, idle).
 */

import { readFileSync } from 'node:fs';
import { twoDecimals } from './stats';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FrameShare {
  frame: string;
  percent: number;
}

export interface CpuProfileSummary {
  file: string;
  sampledSeconds: number;
  /** Share of samples in which the process was not idle. */
  busyPercent: number;
  byOrigin: FrameShare[];
  topSelf: FrameShare[];
  /** Project functions (apps/ and libs/) with the time spent in them and everything they called. */
  topInclusiveOwnCode: FrameShare[];
}

/** Where a script comes from, shortened: a package name, a project folder, or Node's own code. */
export function originOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  const ownMatch = /\/(apps\/[^/]+|libs\/[^/]+)\/(?:src\/)?([^/]+)/.exec(url);
  if (ownMatch) return `${ownMatch[1]}/${ownMatch[2].replace(/\.js$/, '')}`;
  return url;
}

const isOwnCode = (frame: CallFrame) => /\/(apps|libs)\//.test(frame.url) && !frame.url.includes('node_modules');

function frameLabel(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const short = frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\/apps\/api\//, '');
  return `${name} ${short}:${frame.lineNumber + 1}`;
}

function top(shares: Map<string, number>, total: number, count: number): FrameShare[] {
  return [...shares]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, micros]) => ({ frame, percent: twoDecimals((100 * micros) / total) }));
}

export function summariseCpuProfile(file: string, count = 25): CpuProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const self = new Map<string, number>();
  const origins = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    const micros = profile.timeDeltas[index] ?? 0;
    const node = byId.get(profile.samples[index]);
    if (node === undefined) continue;
    total += micros;
    if (node.callFrame.functionName === '(idle)') idle += micros;
    const label = frameLabel(node.callFrame);
    self.set(label, (self.get(label) ?? 0) + micros);
    const origin = originOf(node.callFrame);
    origins.set(origin, (origins.get(origin) ?? 0) + micros);
    // A recursive function is counted once per sample.
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (!isOwnCode(frame)) continue;
      const ownLabel = frameLabel(frame);
      if (seen.has(ownLabel)) continue;
      seen.add(ownLabel);
      inclusive.set(ownLabel, (inclusive.get(ownLabel) ?? 0) + micros);
    }
  }
  const safeTotal = Math.max(total, 1);
  return {
    file,
    sampledSeconds: twoDecimals(total / 1e6),
    busyPercent: twoDecimals((100 * (total - idle)) / safeTotal),
    byOrigin: top(origins, safeTotal, count),
    topSelf: top(self, safeTotal, count),
    topInclusiveOwnCode: top(inclusive, safeTotal, count),
  };
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: cpu-profile-summary.ts <file.cpuprofile>\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(summariseCpuProfile(file), null, 2)}\n`);
}
