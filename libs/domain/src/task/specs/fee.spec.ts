import fc from 'fast-check';
import { taskDecider } from '../decider';
import type { TaskCommand } from '../commands';
import type { TaskEvent } from '../events';
import { MAX_TASK_UNIT_PRICE, MIN_TASK_UNIT_PRICE, taskSubmissionPayout } from '../policy';
import { approve, autoApprove, posted, run, submissions } from './fixtures';

const unitPrices = fc.integer({ min: MIN_TASK_UNIT_PRICE, max: MAX_TASK_UNIT_PRICE });
const taxRates = fc.constantFrom('0.08', '0.10');

const feesOf = (events: readonly TaskEvent[]) =>
  events.flatMap((event) => (event.type === 'TaskSubmissionApproved' ? [event.data.payout] : []));

describe('the task fee', () => {
  it('is a flat 20 % of the unit price with tax on the fee, truncated, in one flat tier', () => {
    fc.assert(
      fc.property(unitPrices, taxRates, fc.integer({ min: 0, max: 1_000_000_000 }), (unitPrice, taxRate, paidBefore) => {
        const payout = taskSubmissionPayout(unitPrice, taxRate, { gross: paidBefore, fee: 0 });
        const feeExTax = Math.floor((unitPrice * 20) / 100);
        const feeTax = Math.floor((feeExTax * Number(taxRate.slice(2))) / 100);
        expect(payout).toMatchObject({ gross: unitPrice, feeExTax, feeTax, fee: feeExTax + feeTax, net: unitPrice - feeExTax - feeTax });
        expect(payout.tiers).toEqual([{ rate: '0.20', from: 0, upTo: null, grossInTier: unitPrice }]);
        // The same whatever the task paid before: no tiers, no carry-over.
        expect(taskSubmissionPayout(unitPrice, taxRate, { gross: 0, fee: 0 }).fee).toBe(payout.fee);
      }),
    );
  });

  it('leaves the smallest task, ¥5, a positive net', () => {
    expect(taskSubmissionPayout(5, '0.10', { gross: 0, fee: 0 })).toMatchObject({ fee: 1, net: 4 });
  });

  it('totals the same however and in whatever order the submissions are approved, by the client or automatically', () => {
    const slots = 10;
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_TASK_UNIT_PRICE, max: 100_000 }),
        fc.integer({ min: 1, max: slots }),
        fc.array(fc.boolean(), { minLength: slots, maxLength: slots }),
        fc.array(fc.boolean(), { minLength: slots, maxLength: slots }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        (unitPrice, submitted, byClientFirst, byClientSecond, seedFirst, seedSecond) => {
          const ids = Array.from({ length: submitted }, (_, index) => `s${index + 1}`);
          const outcome = (byClient: boolean[], seed: number) => {
            // A different order of approval for each seed: the submissions sorted by a key the seed scrambles.
            const order = [...ids].sort((a, b) => ((a.charCodeAt(1) * (seed + 7)) % 13) - ((b.charCodeAt(1) * (seed + 7)) % 13) || a.localeCompare(b));
            const commands: TaskCommand[] = [...submissions(submitted), ...order.filter((_, index) => byClient[index]).map((id) => approve(id)), autoApprove()];
            const events = run(posted(slots, unitPrice), commands);
            const payouts = feesOf(events);
            const refund = events.find((event) => event.type === 'TaskUnusedSlotsRefunded');
            return { fee: payouts.reduce((sum, payout) => sum + payout.fee, 0), net: payouts.reduce((sum, payout) => sum + payout.net, 0), count: payouts.length, refunded: refund?.data.amount ?? 0, last: payouts.at(-1)?.cumulativeFeeAfter };
          };
          const first = outcome(byClientFirst, seedFirst);
          const second = outcome(byClientSecond, seedSecond);
          const single = taskSubmissionPayout(unitPrice, '0.10', { gross: 0, fee: 0 });
          expect(first).toEqual(second);
          expect(first).toEqual({ fee: submitted * single.fee, net: submitted * single.net, count: submitted, refunded: (slots - submitted) * unitPrice, last: submitted * single.fee });
        },
      ),
    );
  });

  it('pays out and refunds exactly what was prepaid once the task is settled', () => {
    fc.assert(
      fc.property(unitPrices, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 10 }), (unitPrice, slots, submitted) => {
        const count = Math.min(slots, submitted);
        const events = run(posted(slots, unitPrice), [...submissions(count), autoApprove()]);
        const state = events.reduce(taskDecider.evolve, taskDecider.initialState());
        expect(state.status).toBe('settled');
        expect(state.paidOutGross + state.refunded).toBe(state.funded);
      }),
    );
  });
});
