import Decimal from 'decimal.js';
import { assertYen, isYen, toYen } from './yen';

describe('Yen', () => {
  it.each([0, 1, 130_000, Number.MAX_SAFE_INTEGER])('accepts %p', (value) => {
    expect(isYen(value)).toBe(true);
    expect(() => assertYen(value, 'amount')).not.toThrow();
  });

  it.each([-1, 0.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Infinity, '100', null, undefined])('refuses %p', (value) => {
    expect(isYen(value)).toBe(false);
  });

  it('names the field it refuses', () => {
    expect(() => assertYen(-5, 'milestones[2].amount')).toThrow(/milestones\[2\]\.amount/);
  });

  it('truncates fractional yen toward zero, never rounding up', () => {
    expect(toYen(new Decimal('1099.999'))).toBe(1099);
    expect(toYen(new Decimal('0.5'))).toBe(0);
    expect(Object.is(toYen(new Decimal('-0.5')), 0)).toBe(true);
  });

  it('refuses results that are not yen', () => {
    expect(() => toYen(new Decimal('-1.5'), 'net')).toThrow(/net/);
    expect(() => toYen(new Decimal('1e20'))).toThrow();
    expect(() => toYen(new Decimal(NaN))).toThrow();
  });
});
