import Database from 'better-sqlite3';
import { DEFAULT_FEE_SCHEDULE_ID, getFeeSchedule, payoutFee } from '@escrow/domain/money';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { ProjectionEngine } from '../runtime/projection-engine';
import { anEvent } from '../testing/events';
import { feesProjection } from './fees.projection';
import { FeeQueries } from './fees.queries';

const SCHEDULE = getFeeSchedule(DEFAULT_FEE_SCHEDULE_ID)!;

describe('the fees projection', () => {
  let store: InMemoryEventStore;
  let db: Database.Database;
  let queries: FeeQueries;

  const onContract = (contractId: string, type: string, data: Record<string, unknown>, occurredAt?: string) =>
    store.append(`contract-${contractId}`, [anEvent(type, { contractId, clientId: 'client-1', workerId: 'worker-1', ...data }, occurredAt)], 'any');

  /** Pays out milestones of the given grosses in order, at the given instants, like the decider computes them. */
  const payOut = async (contractId: string, payouts: [gross: number, occurredAt: string][]) => {
    let cumulative = 0;
    for (const [index, [gross, occurredAt]] of payouts.entries()) {
      const fee = payoutFee(SCHEDULE, '0.1', cumulative, gross);
      cumulative = fee.cumulativeGrossAfter;
      await onContract(contractId, 'MilestonePaidOut', { milestoneId: `m${index + 1}`, ...fee, cause: 'settlement' }, occurredAt);
    }
  };

  beforeEach(async () => {
    store = new InMemoryEventStore();
    db = new Database(':memory:');
    queries = new FeeQueries(db);
    await onContract('c1', 'ContractOffered', { title: 'Site', milestones: [], feeScheduleId: null, offeredAt: '2026-04-01T00:00:00Z' });
    await onContract('c1', 'ContractAccepted', { feeScheduleId: DEFAULT_FEE_SCHEDULE_ID, taxRate: '0.1', milestones: [], totalGross: 130_000 });
    // 15:00Z is midnight in Tokyo: the second payout falls on May 1st there.
    await payOut('c1', [
      [50_000, '2026-04-30T14:59:59Z'],
      [30_000, '2026-04-30T15:00:00Z'],
      [50_000, '2026-05-31T23:00:00+09:00'],
    ]);
    await onContract('c2', 'ContractOffered', { title: 'Logo', milestones: [], feeScheduleId: null, offeredAt: '2026-04-01T00:00:00Z' });
    await onContract('c2', 'ContractAccepted', { feeScheduleId: DEFAULT_FEE_SCHEDULE_ID, taxRate: '0.1', milestones: [], totalGross: 11_000 });
    await payOut('c2', [[11_000, '2026-04-10T03:00:00Z']]);
    await onContract('c3', 'ContractOffered', { title: 'Only offered', milestones: [], feeScheduleId: 'lancers-2022-10', offeredAt: '2026-04-01T00:00:00Z' });
    await new ProjectionEngine({ store, db, projections: [feesProjection], batchSize: 3, catchUpBatchSize: 3, catchUpPageSize: 2 }).catchUp();
  });

  afterEach(async () => {
    await store.close();
    db.close();
  });

  it('breaks down each payout of a contract and totals them to the fee of one payout of the whole (SPEC: ¥11,000 + ¥6,600 + ¥7,700)', () => {
    const fees = queries.contractFees('c1')!;
    expect(fees).toMatchObject({ contractId: 'c1', clientId: 'client-1', workerId: 'worker-1', feeScheduleId: DEFAULT_FEE_SCHEDULE_ID, taxRate: '0.1' });
    expect(fees.payouts.map(({ gross, feeExTax, feeTax, fee, net, tokyoDate }) => ({ gross, feeExTax, feeTax, fee, net, tokyoDate }))).toEqual([
      { gross: 50_000, feeExTax: 10_000, feeTax: 1_000, fee: 11_000, net: 39_000, tokyoDate: '2026-04-30' },
      { gross: 30_000, feeExTax: 6_000, feeTax: 600, fee: 6_600, net: 23_400, tokyoDate: '2026-05-01' },
      { gross: 50_000, feeExTax: 7_000, feeTax: 700, fee: 7_700, net: 42_300, tokyoDate: '2026-05-31' },
    ]);
    expect(fees.payouts[2].tiers).toEqual([
      { rate: '0.20', from: 0, upTo: 100_000, grossInTier: 20_000 },
      { rate: '0.10', from: 100_000, upTo: 200_000, grossInTier: 30_000 },
      { rate: '0.05', from: 200_000, upTo: null, grossInTier: 0 },
    ]);
    expect(fees.totals).toEqual({ payouts: 3, gross: 130_000, feeExTax: 23_000, feeTax: 2_300, fee: 25_300, net: 104_700 });
  });

  it('knows a contract that has no payout yet, and no contract it never saw', () => {
    expect(queries.contractFees('c3')).toMatchObject({ feeScheduleId: 'lancers-2022-10', taxRate: null, totals: { payouts: 0, fee: 0 }, payouts: [] });
    expect(queries.contractFees('nope')).toBeUndefined();
  });

  it('sums platform fee revenue per day of Japan, within the range asked', () => {
    expect(queries.revenue('day', '2026-04-01', '2026-05-01')).toEqual({
      by: 'day',
      from: '2026-04-01',
      to: '2026-05-01',
      rows: [
        { period: '2026-04-10', payouts: 1, gross: 11_000, feeExTax: 2_200, feeTax: 220, fee: 2_420 },
        { period: '2026-04-30', payouts: 1, gross: 50_000, feeExTax: 10_000, feeTax: 1_000, fee: 11_000 },
        { period: '2026-05-01', payouts: 1, gross: 30_000, feeExTax: 6_000, feeTax: 600, fee: 6_600 },
      ],
      totals: { payouts: 3, gross: 91_000, feeExTax: 18_200, feeTax: 1_820, fee: 20_020 },
    });
  });

  it('sums platform fee revenue per month of Japan', () => {
    const revenue = queries.revenue('month', null, null);
    expect(revenue.rows).toEqual([
      { period: '2026-04', payouts: 2, gross: 61_000, feeExTax: 12_200, feeTax: 1_220, fee: 13_420 },
      { period: '2026-05', payouts: 2, gross: 80_000, feeExTax: 13_000, feeTax: 1_300, fee: 14_300 },
    ]);
    expect(revenue.totals.fee).toBe(27_720);
    expect(queries.revenue('month', '2026-05', '2026-05').rows.map((row) => row.period)).toEqual(['2026-05']);
  });
});
