/**
 * CPU time of each thread of a process over a window, from /proc/<pid>/task/<tid>/stat (Linux): the main
 * thread (its thread id is the process id) apart from every other thread — worker threads, V8's GC and
 * compiler threads, libuv's pool. Node 20 names none of its threads, so they are told apart by id.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { twoDecimals } from './stats';

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) each thread had used so far, by thread id. */
export type ThreadCpuSnapshot = Map<number, { name: string; cpuSeconds: number }>;

export interface ThreadCpu {
  tid: number;
  name: string;
  /** CPU seconds in the window / window seconds: 1.0 is one core kept busy. */
  cores: number;
}

export interface ThreadCpuWindow {
  main: number;
  /** Every other thread that used CPU in the window, busiest first. */
  others: ThreadCpu[];
  /** Threads that used no CPU in the window, or too little to count (under one clock tick). */
  idleThreads: number;
  total: number;
}

/** One line of /proc/<pid>/task/<tid>/stat: the name sits in parentheses and may contain anything, spaces included. */
export function parseThreadStat(line: string): { name: string; cpuSeconds: number } {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${line.slice(0, 80)}`);
  // After the name: state (field 3), …, utime (field 14), stime (field 15).
  const fields = line.slice(close + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`no CPU times in: ${line.slice(0, 80)}`);
  return { name: line.slice(open + 1, close), cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND };
}

/** Every thread of `pid` now; null where /proc cannot be read (not Linux, or the process is gone). */
export function threadCpuSnapshot(pid: number): ThreadCpuSnapshot | null {
  try {
    const snapshot: ThreadCpuSnapshot = new Map();
    for (const entry of readdirSync(`/proc/${pid}/task`)) {
      try {
        snapshot.set(Number(entry), parseThreadStat(readFileSync(`/proc/${pid}/task/${entry}/stat`, 'utf8')));
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return snapshot;
  } catch {
    return null;
  }
}


/**
 * What each thread used between two snapshots, in cores. A thread born inside the window counts from zero;
 * one that ended inside it is gone from the second snapshot, and its time with it.
 */
export function threadCpuWindow(pid: number, start: ThreadCpuSnapshot, end: ThreadCpuSnapshot, seconds: number): ThreadCpuWindow {
  let main = 0;
  let total = 0;
  let idleThreads = 0;
  const others: ThreadCpu[] = [];
  for (const [tid, { name, cpuSeconds }] of end) {
    const used = cpuSeconds - (start.get(tid)?.cpuSeconds ?? 0);
    total += used;
    if (tid === pid) main = used;
    else if (used > 0) others.push({ tid, name, cores: twoDecimals(used / seconds) });
    else idleThreads++;
  }
  others.sort((a, b) => b.cores - a.cores || a.tid - b.tid);
  return { main: twoDecimals(main / seconds), others, idleThreads, total: twoDecimals(total / seconds) };
}
