import type { Decider } from '@escrow/domain/shared/decider';
import { conflict } from '@escrow/domain/shared/domain-error';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import type { CommandContext } from '../http/command-context';
import { AggregateDefinition, currentShape } from './aggregate';
import { CommandExecutor } from './command-executor';
import { eventEnvelope } from './envelope';
import { HeadPerTurn } from './head-per-turn';

type AddCommand = { type: 'Add'; amount: number };
type AddedEvent = { type: 'Added'; data: { amount: number } };

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
const add = (executor: CommandExecutor, streamId: string, amount: number) => executor.execute(aggregate, streamId, { type: 'Add', amount }, context());
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('HeadPerTurn', () => {
  it('reads the head once per turn of the event loop, and again once told an own append settled', async () => {
    let head = 5;
    const reads = jest.fn(() => head);
    const perTurn = new HeadPerTurn(reads);
    expect(perTurn.read()).toBe(5);
    head = 6;
    expect(perTurn.read()).toBe(5);
    expect(reads).toHaveBeenCalledTimes(1);
    perTurn.forget();
    expect(perTurn.read()).toBe(6);
    head = 7;
    await nextTurn();
    expect(perTurn.read()).toBe(7);
    expect(reads).toHaveBeenCalledTimes(3);
  });
});

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
