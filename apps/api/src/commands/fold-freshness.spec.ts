import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decider } from '@escrow/domain/shared/decider';
import { conflict } from '@escrow/domain/shared/domain-error';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import type { CommandContext } from '../http/command-context';
import { AggregateDefinition, currentShape } from './aggregate';
import { CommandExecutor } from './command-executor';
import { eventEnvelope } from './envelope';
import { FoldFreshness } from './fold-freshness';

type AddCommand = { type: 'Add'; amount: number };
type AddedEvent = { type: 'Added'; data: { amount: number } };

/** A counter that refuses to go past 100: enough to tell whether a decision saw the latest events. */
const counter: Decider<AddCommand, { total: number }, AddedEvent> = {
  initialState: () => ({ total: 0 }),
  decide: (command, state) => {
    if (state.total + command.amount > 100) throw conflict('LIMIT_REACHED', `total would be ${state.total + command.amount}`);
    return [{ type: 'Added', data: { amount: command.amount } }];
  },
  evolve: (state, event) => ({ total: state.total + event.data.amount }),
};
const aggregate: AggregateDefinition<AddCommand, { total: number }, AddedEvent> = { name: 'counter', decider: counter, schemaVersions: { Added: 1 }, upcast: currentShape };
const context = (): CommandContext => ({
  actor: { id: 'tester', role: 'system' },
  callingService: 'settlement',
  requestHash: 'hash-1',
  correlationId: 'corr',
  requestId: 'req',
  at: '2026-11-25T00:00:00.000Z',
});
const add = (executor: CommandExecutor, streamId: string, amount: number, anyRevision = false) =>
  executor.execute(aggregate, streamId, { type: 'Add', amount }, context(), { anyRevision });

describe('FoldFreshness', () => {
  it('trusts a fold while the head moves only by own appends, and none checked before an append of someone else', () => {
    let head = 10;
    const freshness = new FoldFreshness(() => head);
    expect(freshness.look()).toBe(10);
    expect(freshness.trusts(10)).toBe(true);
    freshness.appendStarted();
    head = 12;
    freshness.appended(11, 12);
    freshness.look();
    expect(freshness.trusts(10)).toBe(true);
    head = 13; // someone else's event
    freshness.look();
    expect(freshness.trusts(12)).toBe(false);
    expect(freshness.trusts(13)).toBe(true);
    freshness.appendStarted();
    head = 15;
    freshness.appended(15, 15); // position 14 is someone else's
    freshness.look();
    expect(freshness.trusts(13)).toBe(false);
    expect(freshness.trusts(14)).toBe(true);
  });

  it('trusts no fold while the head shows positions of own appends in flight, and tells whose they were once their results are in', () => {
    let head = 5;
    const freshness = new FoldFreshness(() => head);
    freshness.look();
    freshness.appendStarted();
    freshness.appendStarted();
    head = 8; // 6 and 7 own, 8 someone else's
    freshness.look();
    expect(freshness.trusts(8)).toBe(false);
    freshness.appended(6, 6);
    freshness.appended(7, 7);
    freshness.look();
    expect(freshness.trusts(7)).toBe(false);
    expect(freshness.trusts(8)).toBe(true);
  });

  it('counts what a failed own append may have written as someone else\'s', () => {
    let head = 5;
    const freshness = new FoldFreshness(() => head);
    freshness.look();
    freshness.appendStarted();
    head = 6;
    freshness.appendFailed();
    freshness.look();
    expect(freshness.trusts(5)).toBe(false);
    expect(freshness.trusts(6)).toBe(true);
  });
});

describe('the command executor over a store that tells its committed head', () => {
  it('reads nothing from the store for a stream only its own appends moved, and the tail again after anyone else appended anywhere', async () => {
    const store = new InMemoryEventStore();
    const executor = new CommandExecutor(store);
    const reads = jest.spyOn(store, 'readStream');
    await add(executor, 'counter-1', 10);
    await add(executor, 'counter-2', 10);
    reads.mockClear();
    await add(executor, 'counter-1', 10);
    await add(executor, 'counter-2', 10);
    expect(await executor.read(aggregate, 'counter-1')).toMatchObject({ state: { total: 20 }, revision: 1 });
    expect(reads).not.toHaveBeenCalled();

    await new CommandExecutor(store).execute(aggregate, 'counter-3', { type: 'Add', amount: 1 }, context());
    await add(executor, 'counter-1', 10);
    expect(reads).toHaveBeenCalledWith('counter-1', { fromRevision: 2 });
  });

  it('remembers that a stream does not exist until anyone appends to it', async () => {
    const store = new InMemoryEventStore();
    const executor = new CommandExecutor(store);
    const reads = jest.spyOn(store, 'readStream');
    expect(await executor.read(aggregate, 'counter-9')).toBeUndefined();
    expect(await executor.read(aggregate, 'counter-9')).toBeUndefined();
    expect(reads).toHaveBeenCalledTimes(1);
    await new CommandExecutor(store).execute(aggregate, 'counter-9', { type: 'Add', amount: 4 }, context());
    expect(await executor.read(aggregate, 'counter-9')).toMatchObject({ state: { total: 4 }, revision: 0 });
  });

  it('decides on an event another process appended to the same SQLite file after its fold', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'fold-freshness-'));
    const file = join(directory, 'events.sqlite');
    const mine = SqliteEventStore.open({ file });
    const theirs = SqliteEventStore.open({ file });
    try {
      const executor = new CommandExecutor(mine);
      await add(executor, 'counter-1', 60);
      await add(new CommandExecutor(theirs), 'counter-1', 30);
      await expect(add(executor, 'counter-1', 20)).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
      expect((await add(executor, 'counter-1', 10)).state).toEqual({ total: 100 });
    } finally {
      await mine.close();
      await theirs.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('keeps its fold whole when its own concurrent appends to one stream settle in any order', async () => {
    const store = new InMemoryEventStore();
    const executor = new CommandExecutor(store);
    await add(executor, 'index-1', 1);
    await Promise.all(Array.from({ length: 12 }, () => add(executor, 'index-1', 1, true)));
    expect((await executor.read(aggregate, 'index-1'))?.state).toEqual({ total: 13 });
    await Promise.all(Array.from({ length: 8 }, () => add(executor, 'index-1', 10).catch(() => undefined)));
    expect((await executor.read(aggregate, 'index-1'))?.state).toEqual({ total: 93 });
    expect(await store.readStream('index-1')).toHaveLength(21);
  });

  it('keeps no fold that a later append of its own overtook, when a store settles appends out of order', async () => {
    const store = new InMemoryEventStore();
    const append = store.append.bind(store);
    // The first of two appends in flight settles last.
    let settleDelayMs = 20;
    jest.spyOn(store, 'append').mockImplementation(async (...args) => {
      const delayMs = settleDelayMs;
      settleDelayMs = 0;
      const result = await append(...args);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return result;
    });
    const executor = new CommandExecutor(store);
    await new CommandExecutor(store).execute(aggregate, 'index-1', { type: 'Add', amount: 1 }, context());
    settleDelayMs = 20;
    await Promise.all([add(executor, 'index-1', 1, true), add(executor, 'index-1', 1, true)]);
    expect((await executor.read(aggregate, 'index-1'))?.state).toEqual({ total: 3 });
  });
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the command executor reading the head once per turn', () => {
  it('reads the committed head once for the decisions started in one turn, and afresh for a read of a stream', async () => {
    const store = new InMemoryEventStore();
    const executor = new CommandExecutor(store);
    await add(executor, 'counter-1', 1);
    await add(executor, 'counter-2', 1);
    await nextTurn();
    const heads = jest.spyOn(store, 'committedHeadPosition');
    await Promise.all([add(executor, 'counter-1', 1), add(executor, 'counter-2', 1), add(executor, 'counter-3', 1)]);
    expect(heads).toHaveBeenCalledTimes(1);
    expect(await executor.read(aggregate, 'counter-1')).toMatchObject({ state: { total: 2 } });
    expect(heads).toHaveBeenCalledTimes(2);
  });

  it('decides again on fresh state when another writer appended within the turn: the expected revision catches it', async () => {
    const store = new InMemoryEventStore();
    const executor = new CommandExecutor(store);
    await add(executor, 'counter-1', 60);
    await nextTurn();
    const appends = jest.spyOn(store, 'append');
    const reads = jest.spyOn(store, 'readStream');

    const other = add(executor, 'counter-2', 1);
    // Another writer, after the head of this turn was read.
    await store.append('counter-1', [eventEnvelope(aggregate.schemaVersions, 'counter-1', 1, { type: 'Added', data: { amount: 30 } }, context())], 0);
    const late = add(executor, 'counter-1', 20);

    await expect(late).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
    await other;
    // The decision on the head of the turn appended with the revision it saw, was refused, and read the tail.
    expect(appends.mock.calls.filter(([stream]) => stream === 'counter-1').map(([, , expected]) => expected)).toEqual([0, 0]);
    expect(reads).toHaveBeenCalledWith('counter-1', { fromRevision: 1 });
  });
});
