import type { Decider } from '@escrow/domain/shared/decider';
import { conflict } from '@escrow/domain/shared/domain-error';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import type { CommandContext } from '../http/command-context';
import { IdempotencyKeyReusedError } from '../idempotency';
import { StaleRevisionError } from './command-refusals';
import { AggregateDefinition, currentShape } from './aggregate';
import { CommandExecutor } from './command-executor';

type CounterCommand = { type: 'Add'; amount: number };
type CounterEvent = { type: 'Added'; data: { amount: number } };
type CounterState = { total: number; additions: number };

/** A counter that refuses to go past 100: enough to tell whether a decision saw the latest events. */
const counter: Decider<CounterCommand, CounterState, CounterEvent> = {
  initialState: () => ({ total: 0, additions: 0 }),
  decide: (command, state) => {
    if (state.total + command.amount > 100) throw conflict('LIMIT_REACHED', `total would be ${state.total + command.amount}`);
    return [{ type: 'Added', data: { amount: command.amount } }];
  },
  evolve: (state, event) => ({ total: state.total + event.data.amount, additions: state.additions + 1 }),
};

const aggregate: AggregateDefinition<CounterCommand, CounterState, CounterEvent> = {
  name: 'counter',
  decider: counter,
  schemaVersions: { Added: 1 },
  upcast: currentShape,
};

const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
  actor: { id: 'tester', role: 'system' },
  callingService: 'settlement',
  requestHash: 'hash-1',
  correlationId: 'corr',
  requestId: 'req',
  at: '2026-11-25T00:00:00.000Z',
  // The access guard derives the seed with a keyed HMAC of the caller and the key; any value unique to both will do here.
  ...(overrides.idempotencyKey !== undefined ? { keySeed: `seed:${overrides.callingService ?? 'settlement'}:${overrides.actor?.id ?? 'tester'}:${overrides.idempotencyKey}` } : {}),
  ...overrides,
});

describe('CommandExecutor', () => {
  let store: InMemoryEventStore;
  let executor: CommandExecutor;
  let otherProcess: CommandExecutor;

  beforeEach(() => {
    store = new InMemoryEventStore();
    executor = new CommandExecutor(store);
    otherProcess = new CommandExecutor(store);
  });

  it('decides on events appended by another process after its cached fold', async () => {
    await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 60 }, context());
    await otherProcess.execute(aggregate, 'counter-1', { type: 'Add', amount: 30 }, context());
    await expect(executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 20 }, context())).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
    const outcome = await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 10 }, context());
    expect(outcome.state).toEqual({ total: 100, additions: 3 });
    expect(outcome.revision).toBe(2);
    expect(await executor.read(aggregate, 'counter-1')).toMatchObject({ state: { total: 100 }, revision: 2, position: outcome.position });
  });

  it('recognises a retry by its idempotency key, also one first handled by another process, and appends nothing', async () => {
    const first = await otherProcess.execute(aggregate, 'counter-1', { type: 'Add', amount: 5 }, context({ idempotencyKey: 'k-1' }));
    await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 7 }, context());
    const retry = await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 5 }, context({ idempotencyKey: 'k-1' }));
    expect(retry).toMatchObject({ kind: 'replayed', replayed: true, revision: first.revision, position: first.position, state: { total: 5 } });
    expect(await store.readStream('counter-1')).toHaveLength(2);
  });

  it('refuses a key reused with another request', async () => {
    await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 5 }, context({ idempotencyKey: 'k-1' }));
    const reuse = executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 6 }, context({ idempotencyKey: 'k-1', requestHash: 'hash-2' }));
    await expect(reuse).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('answers a stale If-Match with 412 before deciding', async () => {
    await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 5 }, context());
    await otherProcess.execute(aggregate, 'counter-1', { type: 'Add', amount: 5 }, context());
    const stale = executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 5 }, context({ ifMatch: 0 }));
    await expect(stale).rejects.toBeInstanceOf(StaleRevisionError);
    await expect(stale).rejects.toMatchObject({ expectedRevision: 0, currentRevision: 1 });
    expect(await store.readStream('counter-1')).toHaveLength(2);
  });

  it('lets exactly one of many concurrent commands win each revision, re-deciding the others on fresh state', async () => {
    const results = await Promise.allSettled(
      // Eight racers: the last one to win has lost seven times, within the executor's eight attempts.
      Array.from({ length: 8 }, (_, i) => (i % 2 ? executor : otherProcess).execute(aggregate, 'counter-1', { type: 'Add', amount: 20 }, context())),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(3).fill('LIMIT_REACHED'));
    const events = await store.readStream('counter-1');
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
  });

  it('derives event ids from the idempotency key so that a retried append names the same events', async () => {
    const outcome = await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 1 }, context({ idempotencyKey: 'k-9' }));
    const fresh = new CommandExecutor(new InMemoryEventStore());
    const again = await fresh.execute(aggregate, 'counter-1', { type: 'Add', amount: 1 }, context({ idempotencyKey: 'k-9' }));
    expect((again.appended[0] as { id: string }).id).toBe((outcome.appended[0] as { id: string }).id);
  });

  it("keeps each caller's keys apart: the same key from another calling service or actor is a new command with other ids", async () => {
    const first = await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 1 }, context({ idempotencyKey: 'k-1' }));
    const otherService = await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 2 }, context({ idempotencyKey: 'k-1', callingService: 'job-board', requestHash: 'hash-2' }));
    const otherActor = await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 3 }, context({ idempotencyKey: 'k-1', actor: { id: 'other', role: 'system' }, requestHash: 'hash-3' }));
    expect([first, otherService, otherActor].map((outcome) => outcome.replayed)).toEqual([false, false, false]);
    const events = await store.readStream('counter-1');
    expect(new Set(events.map((event) => event.id)).size).toBe(3);
    expect(events.map((event) => event.metadata.callingService)).toEqual(['settlement', 'job-board', 'settlement']);
    const retry = await executor.execute(aggregate, 'counter-1', { type: 'Add', amount: 2 }, context({ idempotencyKey: 'k-1', callingService: 'job-board', requestHash: 'hash-2' }));
    expect(retry).toMatchObject({ replayed: true, revision: 1, state: { total: 3 } });
  });

  it('lets any number of writers append to a stream whose decisions hold in any order, and folds every event afterwards', async () => {
    const writers = Array.from({ length: 12 }, (_, i) =>
      (i % 2 ? executor : otherProcess).execute(aggregate, 'counter-1', { type: 'Add', amount: 1 }, context(), { anyRevision: true }),
    );
    const outcomes = await Promise.all(writers);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(Array(12).fill('appended'));
    expect(await store.readStream('counter-1')).toHaveLength(12);
    // The cached folds of both processes learn of the events the other wrote.
    expect((await executor.read(aggregate, 'counter-1'))?.state).toEqual({ total: 12, additions: 12 });
    expect((await otherProcess.read(aggregate, 'counter-1'))?.state).toEqual({ total: 12, additions: 12 });
  });
});
