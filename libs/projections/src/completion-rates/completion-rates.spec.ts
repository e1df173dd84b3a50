import Database from 'better-sqlite3';
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { ProjectionEngine } from '../runtime/projection-engine';
import { appendScenario, interpretScenario, scenarioSteps } from '../testing/money-scenarios';
import { completionRate } from './completion-rate';
import { completionRatesProjection } from './completion-rates.projection';
import { anEvent } from '../testing/events';
import { CompletionRateQueries } from './completion-rates.queries';

describe('completionRate', () => {
  it.each([
    [9, 1, '0.9', true],
    [1, 0, '1', true],
    [0, 3, '0', false],
    [2, 1, '0.6666', false],
    [8, 1, '0.8888', false],
    [17, 1, '0.9444', true],
    [8999, 1001, '0.8999', false],
    [89_999, 10_000, '0.8999', false],
  ])('%i completed and %i terminated: rate %s, at least 90 %% %s', (completed, terminated, rate, atLeast90) => {
    expect(completionRate(completed, terminated)).toEqual({ completed, ended: completed + terminated, rate, atLeast90 });
  });

  it('has no rate while nothing has ended', () => {
    expect(completionRate(0, 0)).toEqual({ completed: 0, ended: 0, rate: null, atLeast90: false });
  });

  it('never shows a rate above the exact ratio nor 0.0001 below it, and shows ≥ 0.9 exactly when flagged', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.nat({ max: 100_000 }), (completed, terminated) => {
        fc.pre(completed + terminated > 0);
        const { rate, atLeast90 } = completionRate(completed, terminated);
        const exact = new Decimal(completed).dividedBy(completed + terminated);
        const shown = new Decimal(rate!);
        expect(shown.lessThanOrEqualTo(exact)).toBe(true);
        expect(exact.minus(shown).lessThan('0.0001')).toBe(true);
        expect(shown.decimalPlaces()).toBeLessThanOrEqual(4);
        expect(rate).not.toMatch(/\.\d*0$/);
        expect(shown.greaterThanOrEqualTo('0.9')).toBe(atLeast90);
      }),
    );
  });
});

describe('the completion rates projection', () => {
  it('counts, for every client and worker, the contracts that ended completed and terminated', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioSteps(40), async (steps) => {
        const scenario = interpretScenario(steps);
        const store = new InMemoryEventStore();
        const db = new Database(':memory:');
        try {
          await appendScenario(store, scenario);
          await new ProjectionEngine({ store, db, projections: [completionRatesProjection] }).catchUp();
          const queries = new CompletionRateQueries(db);
          for (const [party, expected] of Object.entries(scenario.completions)) {
            const role = party.startsWith('client') ? 'client' : 'worker';
            expect(queries.rateOf(role, party)).toEqual(completionRate(expected.completed, expected.terminated));
          }
          expect(queries.rateOf('client', 'worker-0')).toEqual({ completed: 0, ended: 0, rate: null, atLeast90: false });
        } finally {
          await store.close();
          db.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('counts an hourly contract that ended: completed when a week was paid, terminated when none was', async () => {
    const store = new InMemoryEventStore();
    const db = new Database(':memory:');
    const ended = (contractId: string, outcome: 'completed' | 'terminated') =>
      anEvent('HourlyContractEnded', {
        contractId,
        clientId: 'client-h',
        workerId: 'worker-h',
        outcome,
        endsAfterWeek: '2026-11-02',
        paidOutGross: outcome === 'completed' ? 22_000 : 0,
        fees: 0,
        net: 0,
        refunded: 0,
        acceptedAt: '2026-11-02T01:00:00Z',
        endedAt: '2026-11-16T15:00:00Z',
      });
    try {
      await store.append('hourly-h1', [ended('h1', 'completed')], 'any');
      await store.append('hourly-h2', [ended('h2', 'completed')], 'any');
      await store.append('hourly-h3', [ended('h3', 'terminated')], 'any');
      await new ProjectionEngine({ store, db, projections: [completionRatesProjection] }).catchUp();
      const queries = new CompletionRateQueries(db);
      expect(queries.rateOf('client', 'client-h')).toEqual(completionRate(2, 1));
      expect(queries.rateOf('worker', 'worker-h')).toEqual(completionRate(2, 1));
    } finally {
      await store.close();
      db.close();
    }
  });
});
