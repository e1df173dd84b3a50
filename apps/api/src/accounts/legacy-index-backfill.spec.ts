import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import type { EventToAppend } from '@escrow/event-store/port';
import { CommandExecutor } from '../commands/command-executor';
import { AccountIndexes } from './account-indexes';
import { INDEX_BACKFILL_STREAM, LegacyIndexBackfill } from './legacy-index-backfill';
import { systemClock } from '@escrow/clock';

const AT = '2026-04-01T00:00:00Z';

/** An event as a version of the service without index streams recorded it. */
const legacy = (type: string, data: Record<string, unknown>): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: { schemaVersion: 1, occurredAt: AT, actor: { id: 'someone', role: 'user' }, correlationId: randomUUID(), causationId: randomUUID() },
});

describe('index backfill of a log recorded before the index streams', () => {
  let store: InMemoryEventStore;
  let indexes: AccountIndexes;
  const backfillOf = (s: InMemoryEventStore) => {
    const executor = new CommandExecutor(s);
    return new LegacyIndexBackfill(s, executor, new AccountIndexes(executor), systemClock);
  };

  beforeEach(async () => {
    store = new InMemoryEventStore();
    indexes = new AccountIndexes(new CommandExecutor(store));
    const registered = (accountId: string) =>
      legacy('BankAccountRegistered', { accountId, bankAccountId: `bank-${accountId}`, bankCode: '0036', branchCode: '251', accountNumberMasked: '***4567', holderName: 'X', fingerprint: 'hmac-shared' });
    await store.append('account-acc-1', [registered('acc-1')], 'no_stream');
    await store.append('account-acc-2', [registered('acc-2')], 'no_stream');
    await store.append('contract-c-1', [legacy('ContractOffered', { contractId: 'c-1', clientId: 'acc-1', workerId: 'acc-2', title: 'Logo', milestones: [] })], 'no_stream');
    await store.append('wallet-acc-2', [legacy('WithdrawalRequested', { accountId: 'acc-2', withdrawalId: 'wd-old', amount: 5_000 })], 'no_stream');
  });

  it('indexes every bank account registration, offer and withdrawal request of the log, and records the pass', async () => {
    expect(await indexes.otherHoldersOf('hmac-shared', 'acc-1')).toEqual([]);
    expect(await indexes.accountOfWithdrawal('wd-old')).toBeUndefined();

    await backfillOf(store).ready();

    expect(await indexes.otherHoldersOf('hmac-shared', 'acc-1')).toEqual(['acc-2']);
    expect(await indexes.accountOfWithdrawal('wd-old')).toBe('acc-2');
    expect(await indexes.contractsOf('acc-1')).toEqual(['c-1']);
    expect(await indexes.contractsOf('acc-2')).toEqual(['c-1']);
    const [record] = await store.readStream(INDEX_BACKFILL_STREAM);
    expect(record).toMatchObject({ type: 'IndexesBackfilled', data: { upToPosition: 4 } });
  });

  it('runs once per store: a later process finds the record and appends nothing', async () => {
    await backfillOf(store).ready();
    const head = await store.headPosition();
    await backfillOf(store).ready();
    expect(await store.headPosition()).toBe(head);
  });

  it('records nothing on a store with no event yet', async () => {
    const fresh = new InMemoryEventStore();
    await backfillOf(fresh).ready();
    expect(await fresh.headPosition()).toBe(0);
  });

  it('records the pass without indexing anything again when the log was written with its index entries', async () => {
    const written = new InMemoryEventStore();
    const executor = new CommandExecutor(written);
    const writing = new AccountIndexes(executor);
    const context = { actor: { id: 'acc-1', role: 'user' as const }, callingService: 'job-board', requestHash: 'h', correlationId: 'c', requestId: 'r', at: AT };
    await writing.recordContractParties({ contractId: 'c-9', clientId: 'acc-1', workerId: 'acc-2' }, context);
    await written.append('contract-c-9', [legacy('ContractOffered', { contractId: 'c-9', clientId: 'acc-1', workerId: 'acc-2', title: 'Logo', milestones: [] })], 'no_stream');
    const head = await written.headPosition();
    const backfill = new LegacyIndexBackfill(written, executor, writing, systemClock);
    const recordParties = jest.spyOn(writing, 'recordContractParties');
    await backfill.ready();
    expect(recordParties).not.toHaveBeenCalled();
    const [record] = await written.readStream(INDEX_BACKFILL_STREAM);
    expect(record).toMatchObject({ type: 'IndexesBackfilled', data: { upToPosition: head } });
  });
});
