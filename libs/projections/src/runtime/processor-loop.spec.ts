import type { ReadAllOptions, RecordedEvent } from '@escrow/event-store/port';
import { NextStep, ProcessorLoop, ProcessorLoopOptions, ReadPlan } from './processor-loop';

const FAST_RETRY = { initialDelayMs: 5, maxDelayMs: 20, multiplier: 2, jitter: 0 };
/** Long enough that a test which passes did not wait for it. */
const LONG_MS = 60_000;

function recorded(position: number): RecordedEvent {
  return {
    id: `event-${position}`,
    type: 'Numbered',
    data: { position },
    metadata: {
      schemaVersion: 1,
      occurredAt: '2026-04-01T00:00:00.000Z',
      actor: { id: 'spec', role: 'system' },
      correlationId: 'c',
      causationId: 'c',
    },
    streamId: 'numbers-1',
    revision: position - 1,
    position,
    recordedAt: '2026-04-01T00:00:00.000Z',
  };
}

/** A log that the test grows, whose reads can be made to fail or to hang until released. */
class FakeLog {
  readonly events: RecordedEvent[] = [];
  readonly reads: ReadAllOptions[] = [];
  failNext: Error[] = [];
  private held: { release: () => void; released: Promise<void> } | undefined;

  append(count: number): void {
    for (let index = 0; index < count; index++) this.events.push(recorded(this.events.length + 1));
  }

  /** The next read waits until `release` is called. */
  holdNextRead(): () => void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held = { release, released };
    return release;
  }

  readonly readAll = async (options: ReadAllOptions = {}): Promise<RecordedEvent[]> => {
    this.reads.push(options);
    const held = this.held;
    this.held = undefined;
    if (held !== undefined) await held.released;
    const failure = this.failNext.shift();
    if (failure !== undefined) throw failure;
    const after = options.after ?? 0;
    return this.events.filter((event) => event.position > after).slice(0, options.maxCount ?? Infinity);
  };
}

/** A consumer that reads after the last position it consumed, recording pages and failures. */
class RecordingConsumer {
  position = 0;
  readonly pages: number[][] = [];
  readonly failures: Array<{ message: string; failures: number }> = [];
  failConsume: Error[] = [];
  nextStep: () => NextStep<ReadPlan> = () => ({ read: { after: this.position } });

  next(): NextStep<ReadPlan> {
    return this.nextStep();
  }

  consume(page: readonly RecordedEvent[]): void {
    this.pages.push(page.map((event) => event.position));
    const failure = this.failConsume.shift();
    if (failure !== undefined) throw failure;
    this.position = page[page.length - 1].position;
  }

  failed(error: unknown, failures: number): void {
    this.failures.push({ message: error instanceof Error ? error.message : String(error), failures });
  }
}

describe('the processor loop', () => {
  let log: FakeLog;
  let consumer: RecordingConsumer;
  let loop: ProcessorLoop<ReadPlan> | undefined;

  const startLoop = (options: Partial<ProcessorLoopOptions> = {}): ProcessorLoop<ReadPlan> => {
    loop = new ProcessorLoop({ store: log, pageSize: 2, retry: FAST_RETRY, idleMs: LONG_MS, ...options }, consumer);
    loop.start();
    return loop;
  };

  beforeEach(() => {
    log = new FakeLog();
    consumer = new RecordingConsumer();
  });

  afterEach(async () => {
    await loop?.stop();
    loop = undefined;
  });

  it('reads pages after the position its consumer names and hands each to it, in order', async () => {
    log.append(5);
    startLoop();

    await waitUntil(() => consumer.position === 5);
    expect(consumer.pages).toEqual([[1, 2], [3, 4], [5]]);
    expect(log.reads.slice(0, 3)).toEqual([
      { after: 0, maxCount: 2 },
      { after: 2, maxCount: 2 },
      { after: 4, maxCount: 2 },
    ]);
  });

  it('does not read before the caller of start has finished its turn', () => {
    log.append(1);
    startLoop();
    expect(log.reads).toEqual([]);
  });

  it('backs off after failed reads with the shared policy, counting failures in a row, and recovers', async () => {
    log.append(3);
    log.failNext = [new Error('store down'), new Error('store down'), new Error('store down')];
    const running = startLoop();

    await waitUntil(() => consumer.position === 3);
    expect(consumer.failures).toEqual([
      { message: 'store down', failures: 1 },
      { message: 'store down', failures: 2 },
      { message: 'store down', failures: 3 },
    ]);
    expect(consumer.pages).toEqual([[1, 2], [3]]);
    expect(running.failures).toBe(0);
  });

  it('waits the back-off out between failures rather than retrying at once', async () => {
    log.append(1);
    log.failNext = [new Error('store down')];
    const startedAt = Date.now();
    startLoop({ retry: { ...FAST_RETRY, initialDelayMs: 80, maxDelayMs: 80 } });

    await waitUntil(() => consumer.position === 1);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(75);
  });

  it('hands a page whose consumer threw to it again, from the position it still names', async () => {
    log.append(2);
    consumer.failConsume = [new Error('handler threw')];
    startLoop();

    await waitUntil(() => consumer.position === 2);
    expect(consumer.pages).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(consumer.failures).toEqual([{ message: 'handler threw', failures: 1 }]);
  });

  it('counts failures from one again after the consumer says it made progress', async () => {
    log.append(1);
    consumer.failConsume = [new Error('first'), new Error('second'), new Error('third')];
    const running = startLoop();
    const consume = consumer.consume.bind(consumer);
    consumer.consume = (page) => {
      if (consumer.failConsume.length === 1) running.progressed();
      consume(page);
    };

    await waitUntil(() => consumer.position === 1);
    expect(consumer.failures.map(({ failures }) => failures)).toEqual([1, 2, 1]);
  });

  it('keeps going when the failure hook itself throws', async () => {
    log.append(1);
    log.failNext = [new Error('store down')];
    consumer.failed = () => {
      throw new Error('the hook failed');
    };
    startLoop();

    await waitUntil(() => consumer.position === 1);
  });

  it('sleeps once caught up, and reads again at once when woken', async () => {
    log.append(1);
    const running = startLoop();
    await waitUntil(() => consumer.position === 1);
    await waitUntil(() => log.reads.length === 2);

    log.append(2);
    await delay(30);
    expect(log.reads).toHaveLength(2);
    running.wake();

    await waitUntil(() => consumer.position === 3);
    expect(consumer.pages).toEqual([[1], [2, 3]]);
  });

  it('reads again after the idle deadline without a wake', async () => {
    startLoop({ idleMs: 10 });
    await waitUntil(() => log.reads.length === 1);

    log.append(1);
    await waitUntil(() => consumer.position === 1);
  });

  it('sleeps until the deadline its consumer names when there is nothing to read, or until woken', async () => {
    log.append(2);
    let asked = 0;
    consumer.nextStep = () => (++asked === 1 ? { idleMs: 15 } : { read: { after: consumer.position } });
    startLoop();

    await waitUntil(() => consumer.position === 2);
    expect(asked).toBeGreaterThanOrEqual(2);

    consumer.nextStep = () => ({ idleMs: undefined });
    loop!.wake();
    const reads = log.reads.length;
    log.append(1);
    await delay(30);
    expect(log.reads).toHaveLength(reads);
    consumer.nextStep = () => ({ read: { after: consumer.position } });
    loop!.wake();
    await waitUntil(() => consumer.position === 3);
  });

  it('does not lose a wake that comes while its consumer decides', async () => {
    log.append(1);
    let asked = 0;
    consumer.nextStep = () => {
      if (++asked > 1) return { read: { after: consumer.position } };
      loop!.wake();
      return { idleMs: undefined };
    };
    startLoop();

    await waitUntil(() => consumer.position === 1);
  });

  it('does not cut a back-off short on a wake', async () => {
    log.append(1);
    log.failNext = [new Error('store down')];
    const running = startLoop({ retry: { ...FAST_RETRY, initialDelayMs: LONG_MS, maxDelayMs: LONG_MS } });
    await waitUntil(() => consumer.failures.length === 1);

    running.wake();
    await delay(30);
    expect(log.reads).toHaveLength(1);
    expect(consumer.pages).toEqual([]);
  });

  it('stops at once while sleeping idle', async () => {
    const running = startLoop();
    await waitUntil(() => log.reads.length === 1);

    const startedAt = Date.now();
    await running.stop();
    expect(Date.now() - startedAt).toBeLessThan(1000);
    await delay(20);
    expect(log.reads).toHaveLength(1);
  });

  it('stops at once while backing off', async () => {
    log.failNext = [new Error('store down')];
    const running = startLoop({ retry: { ...FAST_RETRY, initialDelayMs: LONG_MS, maxDelayMs: LONG_MS } });
    await waitUntil(() => consumer.failures.length === 1);

    const startedAt = Date.now();
    await running.stop();
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(log.reads).toHaveLength(1);
  });

  it('stopped while reading: waits for the read, hands nothing of it on and reads no more', async () => {
    log.append(2);
    const release = log.holdNextRead();
    const running = startLoop();
    await waitUntil(() => log.reads.length === 1);

    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await delay(10);
    expect(stopped).toBe(false);

    release();
    await stopping;
    expect(consumer.pages).toEqual([]);
    expect(log.reads).toHaveLength(1);
  });

  it('awaits a page its consumer is handling when stopped, and then reads no more', async () => {
    log.append(4);
    let finishPage!: () => void;
    consumer.consume = (page) =>
      new Promise<void>((resolve) => {
        consumer.pages.push(page.map((event) => event.position));
        finishPage = () => {
          consumer.position = page[page.length - 1].position;
          resolve();
        };
      });
    const running = startLoop();
    await waitUntil(() => consumer.pages.length === 1);

    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await delay(10);
    expect(stopped).toBe(false);

    finishPage();
    await stopping;
    expect(consumer.pages).toEqual([[1, 2]]);
    expect(log.reads).toHaveLength(1);
  });

  it('never starts again once stopped', async () => {
    log.append(1);
    const running = startLoop();
    await running.stop();
    running.start();

    await delay(20);
    expect(log.reads).toEqual([]);
    expect(running.stopping).toBe(true);
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the condition');
    await delay(2);
  }
}
