import Database from 'better-sqlite3';
import fc from 'fast-check';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from './projection';
import { PROJECTIONS } from './registry';
import { ProjectionEngine } from './runtime/projection-engine';
import { appendStory, storySteps } from './testing/contract-stories';
import { dumpTables } from './testing/dump';
import { steppingClock } from './testing/events';
import { writeRealisticLog } from './testing/realistic-log';
import { appendScenario, interpretScenario, scenarioSteps } from './testing/money-scenarios';

/** Every projection set up on a fresh database, each event applied alone through `prepare`, in order. */
function oneEventAtATime(events: readonly RecordedEvent[], projections: readonly Projection[]): Record<string, unknown[]> {
  const db = new Database(':memory:');
  try {
    for (const projection of projections) projection.setup(db);
    const handlers = projections.map((projection) => projection.prepare(db));
    db.transaction(() => {
      for (const event of events) for (const handle of handlers) handle(event);
    })();
    return dumpTables(db, projections);
  } finally {
    db.close();
  }
}

/** The log caught up by one engine to `split`, then by a second one (new handlers on filled tables) to the head. */
async function caughtUpInTwo(
  store: EventStore,
  split: number,
  transactionEvents: number,
  pageEvents: number,
): Promise<Record<string, unknown[]>> {
  const db = new Database(':memory:');
  try {
    const head = await store.headPosition();
    const upToSplit: EventStore = {
      ...store,
      readAll: async (options) => (await store.readAll(options)).filter((event) => event.position <= split),
    };
    const options = { db, projections: PROJECTIONS, catchUpBatchSize: transactionEvents, catchUpPageSize: pageEvents };
    expect(await new ProjectionEngine({ ...options, store: upToSplit }).catchUp()).toBe(Math.min(split, head));
    expect(await new ProjectionEngine({ ...options, store }).catchUp()).toBe(head);
    return dumpTables(db, PROJECTIONS);
  } finally {
    db.close();
  }
}

const batching = fc.record({
  split: fc.nat({ max: 120 }),
  transactionEvents: fc.integer({ min: 1, max: 40 }),
  pageEvents: fc.integer({ min: 1, max: 15 }),
});

describe('projections that hold writes back until the end of a batch', () => {
  it('give the rows of one event at a time, whatever the transactions, pages and restarts, on money histories', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioSteps(50), batching, async (steps, { split, transactionEvents, pageEvents }) => {
        const store = new InMemoryEventStore({ clock: steppingClock() });
        try {
          await appendScenario(store, interpretScenario(steps));
          const expected = oneEventAtATime(await store.readAll(), PROJECTIONS);
          expect(await caughtUpInTwo(store, split, transactionEvents, pageEvents)).toEqual(expected);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('give the rows of one event at a time on contract histories with amendments, changes of terms and terminations', async () => {
    await fc.assert(
      fc.asyncProperty(storySteps(60), batching, async (steps, { split, transactionEvents, pageEvents }) => {
        const store = new InMemoryEventStore({ clock: steppingClock() });
        try {
          await appendStory(store, steps);
          const expected = oneEventAtATime(await store.readAll(), PROJECTIONS);
          expect(await caughtUpInTwo(store, split, transactionEvents, pageEvents)).toEqual(expected);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('give the rows of one event at a time on the interleaved log the rebuild is measured on', async () => {
    const store = new InMemoryEventStore({ clock: steppingClock() });
    try {
      const log = await writeRealisticLog(store, 4000, { contractsInFlight: 60, clients: 40, workers: 30 });
      expect(log.events).toBeGreaterThanOrEqual(4000);
      for (const type of [
        'MilestonePaidOut',
        'WalletCredited',
        'WithdrawalPaid',
        'WithdrawalApproved',
        'EscrowRefunded',
        'ContractCompleted',
      ]) {
        expect(log.byType[type]).toBeGreaterThan(0);
      }
      const expected = oneEventAtATime(await store.readAll(), PROJECTIONS);
      expect(await caughtUpInTwo(store, Math.floor(log.events / 3), 700, 64)).toEqual(expected);
    } finally {
      await store.close();
    }
  });

  it('meet, in generated contract histories, the rare paths the comparison above must cover', async () => {
    // Guards the generator: without these events the comparison would prove little about them.
    const seen = new Set<string>();
    for (const steps of fc.sample(storySteps(60), { numRuns: 40, seed: 7 })) {
      const store = new InMemoryEventStore();
      await appendStory(store, steps);
      for (const event of await store.readAll()) seen.add(event.type);
      await store.close();
    }
    for (const type of [
      'OfferAmended',
      'OfferWithdrawn',
      'OfferDeclined',
      'TermsChangeAccepted',
      'MilestoneCancelled',
      'EscrowRefunded',
      'ContractTerminated',
      'ContractCompleted',
    ]) {
      expect(seen).toContain(type);
    }
  });
});
