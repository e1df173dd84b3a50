import fc from 'fast-check';
import { escrowIdOf, escrowMoneyOf, type EscrowMovement, walletCreditForMovement, WORK_FORMATS, workOfEscrowId } from '.';
import { ID_PATTERN } from '../shared/limits';
import { valueChanges } from '../shared/value-changes';

const base = { format: 'task' as const, escrowId: 'task~t1', clientId: 'client-1' };
const funded = (lineId: string, amount: number): EscrowMovement => ({ ...base, kind: 'funded', lineId, amount });
const refunded = (lineId: string, amount: number): EscrowMovement => ({ ...base, kind: 'refunded', lineId, amount, cause: 'unused_slots' });
const paidOut = (lineId: string, gross: number, feeExTax: number, feeTax: number): EscrowMovement => ({
  ...base,
  kind: 'paidOut',
  lineId,
  workerId: 'worker-1',
  cause: 'submission_approved',
  payout: {
    gross,
    feeExTax,
    feeTax,
    fee: feeExTax + feeTax,
    net: gross - feeExTax - feeTax,
    tiers: [],
    cumulativeGrossBefore: 0,
    cumulativeGrossAfter: gross,
    cumulativeFeeAfter: feeExTax + feeTax,
    scheduleId: 'flat-20',
    taxRate: '0.10',
  },
});

describe('escrow ids', () => {
  it('keep a fixed-price contract id as it is and prefix every other format', () => {
    expect(escrowIdOf('fixed_price', 'c-1')).toBe('c-1');
    expect(escrowIdOf('hourly', 'c-1')).toBe('hourly~c-1');
    expect(workOfEscrowId('hourly~c-1')).toEqual({ format: 'hourly', id: 'c-1' });
    expect(workOfEscrowId('c-1')).toEqual({ format: 'fixed_price', id: 'c-1' });
  });

  it('name a format this service does not have as nothing', () => {
    expect(workOfEscrowId('lottery~c-1')).toBeUndefined();
    expect(workOfEscrowId('fixed_price~c-1')).toBeUndefined();
  });

  it('never let an id of one format read as another', () => {
    const ids = fc.stringMatching(ID_PATTERN);
    fc.assert(
      fc.property(fc.constantFrom(...WORK_FORMATS), ids, (format, id) => {
        expect(workOfEscrowId(escrowIdOf(format, id))).toEqual({ format, id });
      }),
    );
  });
});

describe('escrow money', () => {
  it('sums each line and the totals, with escrow as funded − paid out − refunded', () => {
    const money = escrowMoneyOf([funded('slots', 1_000), paidOut('slot-1', 100, 20, 2), refunded('slots', 300)]);
    expect(money.totals).toEqual({ funded: 1_000, inEscrow: 600, paidOut: 100, feeExTax: 20, feeTax: 2, fee: 22, net: 78, refunded: 300 });
    expect(money.lines).toEqual([
      { lineId: 'slots', funded: 1_000, paidOut: 0, feeExTax: 0, feeTax: 0, fee: 0, net: 0, refunded: 300 },
      { lineId: 'slot-1', funded: 0, paidOut: 100, feeExTax: 20, feeTax: 2, fee: 22, net: 78, refunded: 0 },
    ]);
  });

  it('keeps the totals equal to the sum of the lines and escrow to what went in and out', () => {
    const movement = fc.oneof(
      fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 1_000_000 })).map(([line, amount]) => funded(line, amount)),
      fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 1_000_000 })).map(([line, gross]) => paidOut(line, gross, Math.floor(gross / 5), Math.floor(gross / 50))),
      fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 1_000_000 })).map(([line, amount]) => refunded(line, amount)),
    );
    fc.assert(
      fc.property(fc.array(movement, { maxLength: 30 }), (movements) => {
        let money;
        try {
          money = escrowMoneyOf(movements);
        } catch {
          return; // a sequence that would take a line's escrow below zero is refused, checked below
        }
        for (const figure of ['funded', 'paidOut', 'refunded', 'fee', 'net'] as const) {
          expect(money.totals[figure]).toBe(money.lines.reduce((sum, line) => sum + line[figure], 0));
        }
        expect(money.totals.inEscrow).toBe(money.totals.funded - money.totals.paidOut - money.totals.refunded);
      }),
    );
  });

  it('refuses a movement that would take the escrow below zero', () => {
    expect(() => escrowMoneyOf([funded('a', 100), refunded('b', 101)])).toThrow(/inEscrow/);
  });
});

describe('wallet credits of escrow movements', () => {
  it('credit the worker with a payout net and the client with a refund, keyed by the event', () => {
    expect(walletCreditForMovement('e-1', paidOut('slot-1', 100, 20, 2))).toEqual({
      accountId: 'worker-1',
      amount: 78,
      source: { kind: 'payout', id: 'e-1', contractId: 'task~t1', milestoneId: 'slot-1' },
      flags: { noDeliverable: false, fastCompletion: false },
    });
    expect(walletCreditForMovement('e-2', refunded('slots', 300))?.accountId).toBe('client-1');
    expect(walletCreditForMovement('e-3', funded('slots', 300))).toBeUndefined();
    expect(walletCreditForMovement('e-4', refunded('slots', 0))).toBeUndefined();
  });
});

describe('value changes', () => {
  it('name each leaf that changed by its path', () => {
    expect(valueChanges({ status: 'open', weeks: [{ hours: 1 }] }, { status: 'open', weeks: [{ hours: 2 }, { hours: 3 }] })).toEqual([
      { path: 'weeks.0.hours', before: 1, after: 2 },
      { path: 'weeks.1', before: null, after: { hours: 3 } },
    ]);
    expect(valueChanges({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
