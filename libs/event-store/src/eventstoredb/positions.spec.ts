import fc from 'fast-check';
import {
  bigintToSafeInteger,
  compareEsdbPositions,
  PositionOutOfRangeError,
  toEsdbPosition,
  toPortPosition,
  UnsupportedTransactionPositionError,
} from './positions';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

describe('EventStoreDB position conversion', () => {
  it('maps a commit position to the same number and back to {commit, prepare} of that value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (position) => {
        const esdb = toEsdbPosition(position);
        expect(esdb).toEqual({ commit: BigInt(position), prepare: BigInt(position) });
        expect(toPortPosition(esdb)).toBe(position);
      }),
    );
  });

  it('keeps the order of positions', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_SAFE }), fc.bigInt({ min: 0n, max: MAX_SAFE }), (a, b) => {
        const portOrder = Math.sign(toPortPosition({ commit: a, prepare: a }) - toPortPosition({ commit: b, prepare: b }));
        expect(portOrder).toBe(compareEsdbPositions({ commit: a, prepare: a }, { commit: b, prepare: b }));
      }),
    );
  });

  it('converts the largest safe integer exactly', () => {
    expect(toPortPosition({ commit: MAX_SAFE, prepare: MAX_SAFE })).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses positions beyond 2^53 - 1 instead of rounding them', () => {
    // 2^53 + 1 would round to 2^53 as a double: the classic silent corruption.
    for (const value of [MAX_SAFE + 1n, MAX_SAFE + 2n, 2n ** 63n, 2n ** 64n - 1n]) {
      expect(() => toPortPosition({ commit: value, prepare: value })).toThrow(PositionOutOfRangeError);
    }
    fc.assert(
      fc.property(fc.bigInt({ min: MAX_SAFE + 1n, max: 2n ** 64n - 1n }), (value) => {
        expect(() => bigintToSafeInteger(value, 'position')).toThrow(PositionOutOfRangeError);
      }),
    );
  });

  it('names the refused value in the error', () => {
    const value = MAX_SAFE + 2n;
    expect(() => bigintToSafeInteger(value, 'stream revision')).toThrow(`stream revision ${value}`);
  });

  it('refuses negative values', () => {
    expect(() => bigintToSafeInteger(-1n, 'position')).toThrow(PositionOutOfRangeError);
  });

  it('refuses events of explicit transactions, whose commit and prepare positions differ', () => {
    expect(() => toPortPosition({ commit: 5000n, prepare: 4800n })).toThrow(UnsupportedTransactionPositionError);
  });

  it('refuses to build an EventStoreDB position from a non-integer or negative number', () => {
    expect(() => toEsdbPosition(-1)).toThrow(RangeError);
    expect(() => toEsdbPosition(1.5)).toThrow(RangeError);
    expect(() => toEsdbPosition(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });

  it('orders positions by commit, then prepare', () => {
    expect(compareEsdbPositions({ commit: 10n, prepare: 10n }, { commit: 11n, prepare: 0n })).toBe(-1);
    expect(compareEsdbPositions({ commit: 11n, prepare: 9n }, { commit: 11n, prepare: 8n })).toBe(1);
    expect(compareEsdbPositions({ commit: 7n, prepare: 7n }, { commit: 7n, prepare: 7n })).toBe(0);
  });
});
