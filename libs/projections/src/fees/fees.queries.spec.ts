import Database from 'better-sqlite3';
import { DEFAULT_FEE_SCHEDULE_ID, getFeeSchedule, payoutFee } from '@escrow/domain/money';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { ProjectionEngine } from '../runtime/projection-engine';
import { anEvent } from '../testing/events';
import { feesProjection } from './fees.projection';
import { FeeQueries } from './fees.queries';

const SCHEDULE = getFeeSchedule(DEFAULT_FEE_SCHEDULE_ID)!;

/** The pages of the fee queries: after a key, at most a limit, in the list order; totals over the whole range. */
describe('the fee queries, page by page', () => {
  let store: InMemoryEventStore;
  let db: Database.Database;
  let queries: FeeQueries;

  beforeAll(async () => {
    store = new InMemoryEventStore();
    db = new Database(':memory:');
    queries = new FeeQueries(db);
    const on = (type: string, data: Record<string, unknown>, occurredAt?: string) =>
      store.append(
        'contract-c1',
        [anEvent(type, { contractId: 'c1', clientId: 'client-1', workerId: 'worker-1', ...data }, occurredAt)],
        'any',
      );
    await on('ContractOffered', { title: 'Site', milestones: [], feeScheduleId: null, offeredAt: '2026-04-01T00:00:00Z' });
    await on('ContractAccepted', { feeScheduleId: DEFAULT_FEE_SCHEDULE_ID, taxRate: '0.1', milestones: [], totalGross: 200_000 });
    // Tokyo days: 2026-04-10, 2026-04-30, 2026-05-01 (twice), 2026-05-31.
    const instants = [
      '2026-04-10T03:00:00Z',
      '2026-04-30T14:59:59Z',
      '2026-04-30T15:00:00Z',
      '2026-05-01T01:00:00Z',
      '2026-05-31T23:00:00+09:00',
    ];
    let cumulative = 0;
    for (const [index, occurredAt] of instants.entries()) {
      const fee = payoutFee(SCHEDULE, '0.1', cumulative, 40_000);
      cumulative = fee.cumulativeGrossAfter;
      await on('MilestonePaidOut', { milestoneId: `m${index + 1}`, ...fee, cause: 'settlement' }, occurredAt);
    }
    await new ProjectionEngine({ store, db, projections: [feesProjection] }).catchUp();
  });

  afterAll(async () => {
    await store.close();
    db.close();
  });

  it('reads the days after a day, at most the limit, and keeps the totals of the whole range on every page', () => {
    const all = queries.revenue('day', null, null);
    expect(all.rows.map((row) => row.period)).toEqual(['2026-04-10', '2026-04-30', '2026-05-01', '2026-05-31']);
    const first = queries.revenue('day', null, null, { limit: 2 });
    expect(first.rows.map((row) => row.period)).toEqual(['2026-04-10', '2026-04-30']);
    const rest = queries.revenue('day', null, null, { after: '2026-04-30', limit: 2 });
    expect(rest.rows).toEqual(all.rows.slice(2));
    expect(first.totals).toEqual(all.totals);
    expect(rest.totals).toEqual(all.totals);
    expect(queries.revenue('day', '2026-04-30', '2026-05-01', { after: '2026-04-10' }).rows.map((row) => row.period)).toEqual([
      '2026-04-30',
      '2026-05-01',
    ]);
  });

  it('reads the months after a month: a whole month, never a part of one', () => {
    const all = queries.revenue('month', null, null);
    expect(all.rows.map((row) => [row.period, row.payouts])).toEqual([
      ['2026-04', 2],
      ['2026-05', 3],
    ]);
    expect(queries.revenue('month', null, null, { after: '2026-04' }).rows).toEqual(all.rows.slice(1));
    expect(queries.revenue('month', null, null, { after: '2026-05' }).rows).toEqual([]);
    expect(queries.revenue('month', null, null, { limit: 1 }).rows).toEqual(all.rows.slice(0, 1));
  });

  it("reads a contract's payouts after a position, in the order of the log, with the totals of every payout", () => {
    const all = queries.contractFees('c1')!;
    expect(all.payouts.map((payout) => payout.milestoneId)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    const page = queries.contractFees('c1', { after: all.payouts[1].position, limit: 2 })!;
    expect(page.payouts).toEqual(all.payouts.slice(2, 4));
    expect(page.totals).toEqual(all.totals);
    expect(queries.contractFees('c1', { after: all.payouts[4].position })!.payouts).toEqual([]);
  });
});
