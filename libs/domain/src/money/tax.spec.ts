import { consumptionTaxRateAt, grossOf } from './tax';

describe('consumption tax rate by date', () => {
  it.each([
    ['2019-09-30', '0.08'],
    ['2019-10-01', '0.10'],
    ['2026-01-15', '0.10'],
    ['2014-04-01', '0.08'],
    ['2014-03-31', '0.05'],
    ['1997-04-01', '0.05'],
    ['1989-04-01', '0.03'],
  ])('on %s is %s', (date, rate) => {
    expect(consumptionTaxRateAt(date)).toBe(rate);
  });

  it('reads timestamps as Japanese calendar dates, since rates change at midnight in Japan', () => {
    expect(consumptionTaxRateAt('2019-09-30T14:59:59Z')).toBe('0.08');
    expect(consumptionTaxRateAt('2019-09-30T15:00:00Z')).toBe('0.10');
    expect(consumptionTaxRateAt('2019-10-01T00:00:00+09:00')).toBe('0.10');
    expect(consumptionTaxRateAt('2019-09-30T23:59:59.999+09:00')).toBe('0.08');
  });

  it('refuses dates before any configured rate and malformed dates', () => {
    expect(() => consumptionTaxRateAt('1989-03-31')).toThrow(/no consumption tax rate/);
    expect(() => consumptionTaxRateAt('2019-02-30')).toThrow(/not a calendar date/);
    expect(() => consumptionTaxRateAt('2019-10-01T00:00:00')).toThrow(/offset/);
    expect(() => consumptionTaxRateAt('yesterday')).toThrow();
  });
});

describe('grossOf', () => {
  it('adds the truncated tax to the tax-exclusive amount', () => {
    expect(grossOf(10_000, '0.10')).toBe(11_000);
    expect(grossOf(999, '0.10')).toBe(1_098);
    expect(grossOf(999, '0.08')).toBe(1_078);
    expect(grossOf(9, '0.10')).toBe(9);
    expect(grossOf(0, '0.10')).toBe(0);
  });

  it('stays exact for the largest safe amounts', () => {
    expect(grossOf(900_719_925_474_099, '0.10')).toBe(990_791_918_021_508);
  });

  it('refuses float rates and non-yen amounts', () => {
    expect(() => grossOf(100, 0.1 as unknown as string)).toThrow(/taxRate/);
    expect(() => grossOf(100, '1.5')).toThrow(/taxRate/);
    expect(() => grossOf(100.5, '0.10')).toThrow(/amountExTax/);
  });
});
