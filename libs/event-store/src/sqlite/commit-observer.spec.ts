import { randomUUID } from 'node:crypto';
import type { CommitReport, EventToAppend } from '../port';
import { SqliteEventStore } from './sqlite-event-store';

const newEvent = (): EventToAppend => ({
  id: randomUUID(),
  type: 'CommitObserved',
  data: {},
  metadata: { schemaVersion: 1, occurredAt: '2026-11-30T09:00:00.000Z', actor: { id: 'worker-1', role: 'user' }, correlationId: 'c-1', causationId: 'c-1' },
});
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SqliteEventStore commit observer', () => {
  let store: SqliteEventStore;
  let reports: CommitReport[];

  beforeEach(() => {
    store = SqliteEventStore.open({ file: ':memory:' });
    reports = [];
    store.observeCommits((report) => reports.push(report));
  });
  afterEach(() => store.close());

  it('reports each group commit once, with its appends, events and duration', async () => {
    // Appends made on one tick share one transaction; the refused one is still part of the batch.
    await Promise.allSettled([
      store.append('stream-a', [newEvent(), newEvent()], 'no_stream'),
      store.append('stream-b', [newEvent()], 'no_stream'),
      store.append('stream-a', [newEvent()], 'no_stream'),
    ]);
    await store.append('stream-c', [newEvent()], 'no_stream');
    await settle();
    expect(reports.map(({ appends, events, committed }) => ({ appends, events, committed }))).toEqual([
      { appends: 3, events: 4, committed: true },
      { appends: 1, events: 1, committed: true },
    ]);
    for (const report of reports) expect(report.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('never lets an observer that throws fail or delay an append', async () => {
    store.observeCommits(() => {
      throw new Error('observer broken');
    });
    await expect(store.append('stream-a', [newEvent()], 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 0 });
    await settle();
    expect(await store.readStream('stream-a')).toHaveLength(1);
  });
});
