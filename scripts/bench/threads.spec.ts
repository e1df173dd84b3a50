import { parseThreadStat, threadCpuWindow, ThreadCpuSnapshot } from './threads';

const statLine = (tid: number, name: string, utime: number, stime: number) =>
  `${tid} (${name}) S 1 ${tid} ${tid} 0 -1 4194560 5000 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 100 1000000 5000 18446744073709551615`;

describe('per-thread CPU of the service', () => {
  it('reads user + system clock ticks of a thread, whatever its name holds', () => {
    expect(parseThreadStat(statLine(42, 'node', 250, 50))).toEqual({ name: 'node', cpuSeconds: 3 });
    expect(parseThreadStat(statLine(43, 'V8 (Default) Wo', 7, 3))).toEqual({ name: 'V8 (Default) Wo', cpuSeconds: 0.1 });
  });

  it('refuses a line that is not a stat line rather than reporting zero', () => {
    expect(() => parseThreadStat('garbage')).toThrow(/not a \/proc stat line/);
    expect(() => parseThreadStat('12 (node) S 1')).toThrow(/no CPU times/);
  });

  it('splits the window into the main thread and the others, busiest first, counting a thread born in the window from zero', () => {
    const start: ThreadCpuSnapshot = new Map([
      [100, { name: 'node', cpuSeconds: 10 }],
      [101, { name: 'node', cpuSeconds: 1 }],
      [102, { name: 'node', cpuSeconds: 2 }],
    ]);
    const end: ThreadCpuSnapshot = new Map([
      [100, { name: 'node', cpuSeconds: 18 }],
      [101, { name: 'node', cpuSeconds: 1.4 }],
      [102, { name: 'node', cpuSeconds: 2 }],
      [103, { name: 'node', cpuSeconds: 6 }],
    ]);
    expect(threadCpuWindow(100, start, end, 8)).toEqual({
      main: 1,
      others: [
        { tid: 103, name: 'node', cores: 0.75 },
        { tid: 101, name: 'node', cores: 0.05 },
      ],
      idleThreads: 1,
      total: 1.8,
    });
  });
});
