import Database from 'better-sqlite3';
import fc from 'fast-check';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { PROJECTIONS } from './registry';
import { ProjectionEngine } from './runtime/projection-engine';
import { dumpTables } from './testing/dump';
import { steppingClock } from './testing/events';
import { appendScenario, interpretScenario, scenarioSteps } from './testing/money-scenarios';

describe('rebuilding every projection from position zero', () => {
  it('reproduces every table row for row, whatever the batch sizes', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioSteps(50), fc.integer({ min: 1, max: 50 }), async (steps, liveBatchSize) => {
        const scenario = interpretScenario(steps);
        const store = new InMemoryEventStore({ clock: steppingClock() });
        const db = new Database(':memory:');
        const engine = new ProjectionEngine({ store, db, projections: PROJECTIONS, batchSize: liveBatchSize });
        try {
          await engine.start();
          // Half the history before the engine catches up, half while it is live.
          const half = Math.floor(scenario.events.length / 2);
          await appendScenario(store, { ...scenario, events: scenario.events.slice(0, half) });
          await appendScenario(store, { ...scenario, events: scenario.events.slice(half) });
          const head = await store.headPosition();
          expect(await engine.waitFor(head)).toBe(true);
          const before = dumpTables(db, PROJECTIONS);

          const report = await engine.rebuild();

          expect(report.targetPosition).toBe(head);
          expect(report.projections.map((p) => p.position)).toEqual(PROJECTIONS.map(() => head));
          expect(dumpTables(db, PROJECTIONS)).toEqual(before);
        } finally {
          await engine.stop();
          await store.close();
          db.close();
        }
      }),
      { numRuns: 20 },
    );
  });
});
