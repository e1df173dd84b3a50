import fc from 'fast-check';
import { getFeeSchedule, type FeeSchedule } from './fee-schedules';
import { MAX_QUOTE_AMOUNT, quoteFromAmount, quoteFromTakeHome } from './quote';
import { randomScheduleArbitrary, shippedScheduleArbitrary, taxRateArbitrary } from './test-arbitraries';

const crowdworks = getFeeSchedule('crowdworks-2019-10') as FeeSchedule;
const lancers = getFeeSchedule('lancers-2022-10') as FeeSchedule;
const coconala = getFeeSchedule('coconala-2021-04') as FeeSchedule;
const netOf = (amount: number, schedule: FeeSchedule, taxRate: string) => quoteFromAmount(amount, schedule, taxRate).net;

describe('quoteFromAmount', () => {
  it('breaks ¥10,000 down as the SPEC does', () => {
    expect(quoteFromAmount(10_000, crowdworks, '0.10')).toEqual({
      amount: 10_000,
      gross: 11_000,
      feeExTax: 2_200,
      feeTax: 220,
      fee: 2_420,
      net: 8_580,
      schedule: 'crowdworks-2019-10',
    });
  });

  it('quotes the presets', () => {
    expect(quoteFromAmount(10_000, lancers, '0.10')).toMatchObject({ gross: 11_000, fee: 1_815, net: 9_185, schedule: 'lancers-2022-10' });
    expect(quoteFromAmount(10_000, coconala, '0.10')).toMatchObject({ gross: 11_000, fee: 2_420, net: 8_580, schedule: 'coconala-2021-04' });
  });

  it('uses the tax rate it is given', () => {
    expect(quoteFromAmount(10_000, crowdworks, '0.08')).toMatchObject({ gross: 10_800, feeExTax: 2_160, feeTax: 172, net: 8_468 });
  });

  it('quotes up to ¥100 billion and refuses beyond', () => {
    expect(quoteFromAmount(MAX_QUOTE_AMOUNT, crowdworks, '0.10')).toMatchObject({ gross: 110_000_000_000, feeExTax: 5_500_020_000, feeTax: 550_002_000, fee: 6_050_022_000 });
    expect(() => quoteFromAmount(MAX_QUOTE_AMOUNT + 1, crowdworks, '0.10')).toThrow(/at most/);
    expect(() => quoteFromAmount(-1, crowdworks, '0.10')).toThrow(/amount/);
  });
});

describe('quoteFromTakeHome', () => {
  it('finds the smallest amount behind the SPEC example, which truncation makes ¥9,999', () => {
    // ¥9,999 → gross ¥10,998 → fee ¥2,199 + ¥219 → ¥8,580, the same take-home as ¥10,000.
    expect(quoteFromTakeHome(8_580, crowdworks, '0.10')).toMatchObject({ amount: 9_999, gross: 10_998, fee: 2_418, net: 8_580 });
    expect(quoteFromTakeHome(8_581, crowdworks, '0.10')).toMatchObject({ amount: 10_001, net: 8_581 });
  });

  it('finds the smallest amount even where the take-home steps back by a yen', () => {
    // ¥45 → gross ¥49 → fee ¥9 → ¥40, but ¥46 → gross ¥50 → fee ¥11 → ¥39.
    expect(netOf(45, crowdworks, '0.10')).toBe(40);
    expect(netOf(46, crowdworks, '0.10')).toBe(39);
    expect(quoteFromTakeHome(40, crowdworks, '0.10').amount).toBe(45);
    expect(netOf(47, crowdworks, '0.10')).toBe(40);
    expect(quoteFromTakeHome(41, crowdworks, '0.10').amount).toBe(48);
  });

  it('quotes a take-home of zero as a zero amount', () => {
    expect(quoteFromTakeHome(0, crowdworks, '0.10')).toMatchObject({ amount: 0, net: 0 });
  });

  it('refuses a take-home that needs more than ¥100 billion', () => {
    const largest = netOf(MAX_QUOTE_AMOUNT, crowdworks, '0.10');
    expect(quoteFromTakeHome(largest, crowdworks, '0.10').amount).toBeLessThanOrEqual(MAX_QUOTE_AMOUNT);
    expect(() => quoteFromTakeHome(largest + 1, crowdworks, '0.10')).toThrow(/above/);
  });

  it('refuses a schedule whose fee with tax takes a whole tier', () => {
    const confiscatory: FeeSchedule = { ...crowdworks, id: 'all', tiers: [{ upTo: null, rate: '1' }] };
    expect(() => quoteFromTakeHome(100, confiscatory, '0.10')).toThrow(/whole payout/);
  });

  it.each([
    ['crowdworks-2019-10', '0.10'],
    ['crowdworks-2019-10', '0.08'],
    ['lancers-2022-10', '0.10'],
    ['coconala-2021-04', '0.10'],
  ])('matches an exhaustive search for every take-home up to ¥2,000 (%s, tax %s)', (id, taxRate) => {
    const schedule = getFeeSchedule(id) as FeeSchedule;
    const smallestAmountFor: number[] = [];
    for (let amount = 0; smallestAmountFor.length <= 2_000; amount += 1) {
      const net = netOf(amount, schedule, taxRate);
      while (smallestAmountFor.length <= Math.min(net, 2_000)) smallestAmountFor.push(amount);
    }
    smallestAmountFor.forEach((expected, takeHome) => {
      expect(quoteFromTakeHome(takeHome, schedule, taxRate).amount).toBe(expected);
    });
  });

  it.each([
    ['¥100,000', 90_000],
    ['¥200,000', 181_000],
  ])('matches an exhaustive search around the %s tier bound', (_, firstAmount) => {
    const nets = Array.from({ length: 1_500 }, (__, offset) => netOf(firstAmount + offset, crowdworks, '0.10'));
    for (let takeHome = nets[0] + 10; takeHome <= nets.at(-1)! - 10; takeHome += 1) {
      const expected = firstAmount + nets.findIndex((net) => net >= takeHome);
      expect(quoteFromTakeHome(takeHome, crowdworks, '0.10').amount).toBe(expected);
    }
  });

  it('returns an amount that reaches the take-home where no smaller one does (any schedule)', () => {
    fc.assert(
      fc.property(
        fc.oneof(shippedScheduleArbitrary, randomScheduleArbitrary),
        taxRateArbitrary,
        fc.oneof(fc.integer({ min: 0, max: 400_000 }), fc.integer({ min: 0, max: 50_000_000_000 })),
        (schedule, taxRate, takeHome) => {
          const quote = quoteFromTakeHome(takeHome, schedule, taxRate);
          expect(quote.net).toBeGreaterThanOrEqual(takeHome);
          expect(quote).toEqual(quoteFromAmount(quote.amount, schedule, taxRate));
          for (let smaller = quote.amount - 1; smaller >= Math.max(0, quote.amount - 30); smaller -= 1) {
            expect(netOf(smaller, schedule, taxRate)).toBeLessThan(takeHome);
          }
        },
      ),
    );
  });

  it('round-trips: quoting the take-home of an amount never asks for more than that amount', () => {
    fc.assert(
      fc.property(shippedScheduleArbitrary, taxRateArbitrary, fc.integer({ min: 0, max: 10_000_000_000 }), (schedule, taxRate, amount) => {
        const { net } = quoteFromAmount(amount, schedule, taxRate);
        const quote = quoteFromTakeHome(net, schedule, taxRate);
        expect(quote.amount).toBeLessThanOrEqual(amount);
        expect(quote.net).toBeGreaterThanOrEqual(net);
      }),
    );
  });

  it('yields safe integers only', () => {
    fc.assert(
      fc.property(shippedScheduleArbitrary, taxRateArbitrary, fc.integer({ min: 0, max: 80_000_000_000 }), (schedule, taxRate, takeHome) => {
        const { schedule: id, ...amounts } = quoteFromTakeHome(takeHome, schedule, taxRate);
        expect(id).toBe(schedule.id);
        Object.values(amounts).forEach((amount) => expect(Number.isSafeInteger(amount)).toBe(true));
      }),
    );
  });
});
