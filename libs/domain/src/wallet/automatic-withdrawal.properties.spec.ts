import fc from 'fast-check';
import { epochMillisOf, isoInstantOf } from '../calendar/civil-time';
import { withdrawalCutoffOf } from '../calendar/withdrawal-cutoffs';
import { AUTOMATIC_WITHDRAWAL_MODES, AUTOMATIC_WITHDRAWAL_THRESHOLDS, AutomaticWithdrawalMode } from './automatic-withdrawal-modes';
import type { WalletCommand } from './commands';
import { walletDecider } from './decider';
import type { WalletEvent } from './events';
import type { WalletState } from './state';
import { automaticWithdrawalCommand, chooseModeCommand, creditCommand, withdrawalCommand } from './wallet.fixtures';

/** Random wallets at the 2026-12-31 cut-off: whatever the mode and the balance, the automatic withdrawal keeps its rules. */

const CUTOFF = withdrawalCutoffOf('2026-12-31');
const CUTOFF_MILLIS = epochMillisOf(CUTOFF.at);
const HOUR = 3_600_000;

interface Scenario {
  mode: AutomaticWithdrawalMode | null;
  credits: { amount: number; hoursFromCutoff: number }[];
  ownWithdrawal: number;
  lateByHours: number;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  mode: fc.option(fc.constantFrom(...AUTOMATIC_WITHDRAWAL_MODES), { nil: null }),
  // Credits from 20 days before the cut-off to 12 hours after it (after it: not part of the balance at it).
  credits: fc.array(fc.record({ amount: fc.integer({ min: 1, max: 80_000 }), hoursFromCutoff: fc.integer({ min: -480, max: 12 }) }), { maxLength: 6 }),
  ownWithdrawal: fc.integer({ min: 0, max: 60_000 }),
  lateByHours: fc.integer({ min: 0, max: 24 * 10 }),
});

function apply(state: WalletState, command: WalletCommand): { state: WalletState; events: WalletEvent[] } {
  try {
    const events = walletDecider.decide(command, state);
    return { state: events.reduce(walletDecider.evolve, state), events };
  } catch {
    return { state, events: [] };
  }
}

function walletBefore({ mode, credits, ownWithdrawal }: Scenario): WalletState {
  let state = walletDecider.initialState();
  if (mode !== null) state = apply(state, chooseModeCommand(mode, '2026-12-01T00:00:00Z')).state;
  const ordered = [...credits].sort((a, b) => a.hoursFromCutoff - b.hoursFromCutoff);
  ordered.forEach((credit, index) => {
    state = apply(state, creditCommand(`payout-${index}`, credit.amount, isoInstantOf(CUTOFF_MILLIS + credit.hoursFromCutoff * HOUR))).state;
  });
  // The owner's own withdrawal a day before the cut-off, refused when the balance does not allow it.
  return apply(state, withdrawalCommand('wd-own', ownWithdrawal, isoInstantOf(CUTOFF_MILLIS - 24 * HOUR))).state;
}

const balanceAtCutoff = (state: WalletState) =>
  state.lots.filter((lot) => epochMillisOf(lot.creditedAt) < CUTOFF_MILLIS).reduce((total, lot) => total + lot.remaining, 0);

describe('automatic withdrawal at a cut-off', () => {
  it('never takes more than the available balance, respects each mode\'s threshold, and does nothing twice', () => {
    fc.assert(
      fc.property(scenario, (drawn) => {
        const before = walletBefore(drawn);
        const at = isoInstantOf(CUTOFF_MILLIS + drawn.lateByHours * HOUR);
        const first = apply(before, automaticWithdrawalCommand(CUTOFF.closingDate, at));
        const threshold = AUTOMATIC_WITHDRAWAL_THRESHOLDS[drawn.mode ?? 'on_cutoff'];
        const balance = balanceAtCutoff(before);

        const requested = first.events.filter((event) => event.type === 'WithdrawalRequested');
        const due = threshold !== null && balance >= threshold;
        expect(requested).toHaveLength(due ? 1 : 0);
        for (const event of requested) {
          expect(event.data.amount).toBeLessThanOrEqual(before.available);
          expect(event.data.amount).toBe(balance);
          expect(event.data.mode).toBe('standard');
          expect(event.data.availableAfter).toBeGreaterThanOrEqual(0);
        }
        expect(first.state.available).toBeGreaterThanOrEqual(0);

        const again = apply(first.state, automaticWithdrawalCommand(CUTOFF.closingDate, isoInstantOf(epochMillisOf(at) + HOUR)));
        expect(again.events).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
