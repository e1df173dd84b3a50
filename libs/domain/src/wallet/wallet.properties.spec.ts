import fc from 'fast-check';
import { epochMillisOf, isoInstantOf } from '../calendar/civil-time';
import { DomainError } from '../shared/domain-error';
import type { WalletCommand } from './commands';
import { walletDecider } from './decider';
import type { WalletEvent } from './events';
import { WalletState, withdrawalsInProgress } from './state';
import {
  ACCOUNT_ID,
  OWNER,
  approveCommand,
  creditCommand,
  expireCommand,
  failedCommand,
  infoCommand,
  paidCommand,
  rejectCommand,
  withdrawalCommand,
} from './wallet.fixtures';

/** Random histories of a wallet: whatever is accepted or refused, the money adds up. */

type Step =
  | { kind: 'credit'; amount: number; noDeliverable: boolean; fastCompletion: boolean }
  | { kind: 'redeliver'; pick: number }
  | { kind: 'withdraw'; amount: number; quick: boolean; verified: boolean; shared: boolean }
  | { kind: 'approve' | 'reject' | 'info' | 'paid' | 'failed'; pick: number }
  | { kind: 'expire' }
  | { kind: 'forfeit' }
  | { kind: 'close' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('credit' as const),
    amount: fc.integer({ min: 1, max: 300_000 }),
    noDeliverable: fc.boolean(),
    fastCompletion: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('withdraw' as const),
    amount: fc.integer({ min: 0, max: 400_000 }),
    quick: fc.boolean(),
    verified: fc.boolean(),
    shared: fc.boolean(),
  }),
  fc.record({
    kind: fc.constantFrom('approve' as const, 'reject' as const, 'info' as const, 'paid' as const, 'failed' as const),
    pick: fc.nat(),
  }),
  fc.record({ kind: fc.constant('expire' as const) }),
  fc.record({ kind: fc.constant('forfeit' as const) }),
  fc.record({ kind: fc.constant('close' as const) }),
);

const timedSteps = fc.array(fc.tuple(step, fc.integer({ min: 0, max: 24 * 45 })), { maxLength: 60 });

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

interface Totals {
  credited: number;
  withdrawn: number;
  returned: number;
  paid: number;
  expired: number;
  forfeited: number;
}

const totalsOf = (events: WalletEvent[]): Totals => ({
  credited: sum(events.flatMap((event) => (event.type === 'WalletCredited' ? [event.data.amount] : []))),
  withdrawn: sum(events.flatMap((event) => (event.type === 'WithdrawalRequested' ? [event.data.amount] : []))),
  returned: sum(
    events.flatMap((event) => (event.type === 'WithdrawalRejected' || event.type === 'WithdrawalFailed' ? [event.data.amount] : [])),
  ),
  paid: sum(events.flatMap((event) => (event.type === 'WithdrawalPaid' ? [event.data.amount] : []))),
  expired: sum(events.flatMap((event) => (event.type === 'BalanceExpired' ? [event.data.amount] : []))),
  forfeited: sum(events.flatMap((event) => (event.type === 'BalanceForfeited' ? [event.data.amount] : []))),
});

function checkInvariants(state: WalletState, events: WalletEvent[]): void {
  expect(state.available).toBeGreaterThanOrEqual(0);
  expect(state.pending).toBeGreaterThanOrEqual(0);
  expect(state.available + state.pending + state.paidOut + state.expired + state.forfeited).toBe(state.totalCredited);
  expect(state.available).toBe(sum(state.lots.map((lot) => lot.remaining)));
  for (const lot of state.lots) expect(lot.remaining).toBeGreaterThanOrEqual(0);
  expect(state.pending).toBe(sum(withdrawalsInProgress(state).map((withdrawal) => withdrawal.amount)));

  const totals = totalsOf(events);
  expect(state.totalCredited).toBe(totals.credited);
  expect(state.paidOut).toBe(totals.paid);
  expect(state.expired).toBe(totals.expired);
  expect(state.forfeited).toBe(totals.forfeited);
  expect(state.available).toBe(totals.credited - totals.withdrawn + totals.returned - totals.expired - totals.forfeited);
  // Nothing is credited after the closure.
  const closedAt = events.findIndex((event) => event.type === 'WalletClosed');
  if (closedAt >= 0) expect(events.slice(closedAt).filter((event) => event.type === 'WalletCredited')).toEqual([]);
}

describe('wallet invariants', () => {
  it('any history keeps available ≥ 0 and available + pending + paid out + expired + forfeited = total credited', () => {
    fc.assert(
      fc.property(timedSteps, (steps) => {
        let state = walletDecider.initialState();
        const history: WalletEvent[] = [];
        const sources: { id: string; amount: number }[] = [];
        const withdrawalIds: string[] = [];
        let clock = epochMillisOf('2026-01-05T00:00:00Z');

        steps.forEach(([next, hoursLater], index) => {
          clock += hoursLater * 3_600_000;
          const at = isoInstantOf(clock);
          const pickWithdrawal = (pick: number) => withdrawalIds[pick % Math.max(withdrawalIds.length, 1)] ?? 'wd-none';
          let command: WalletCommand;
          switch (next.kind) {
            case 'credit':
              command = creditCommand(`source-${index}`, next.amount, at, {
                noDeliverable: next.noDeliverable,
                fastCompletion: next.fastCompletion,
              });
              sources.push({ id: `source-${index}`, amount: next.amount });
              break;
            case 'redeliver': {
              const source = sources[next.pick % Math.max(sources.length, 1)] ?? { id: 'source-none', amount: 1_000 };
              command = creditCommand(source.id, source.amount, at);
              break;
            }
            case 'withdraw':
              command = withdrawalCommand(`wd-${index}`, next.amount, at, {
                mode: next.quick ? 'quick' : 'standard',
                identityStatus: next.verified ? 'approved' : 'submitted',
                shared: next.shared,
              });
              withdrawalIds.push(`wd-${index}`);
              break;
            case 'approve':
              command = approveCommand(pickWithdrawal(next.pick), at);
              break;
            case 'reject':
              command = rejectCommand(pickWithdrawal(next.pick), at);
              break;
            case 'info':
              command = infoCommand(pickWithdrawal(next.pick), at);
              break;
            case 'paid':
              command = paidCommand(pickWithdrawal(next.pick), at);
              break;
            case 'failed':
              command = failedCommand(pickWithdrawal(next.pick), at);
              break;
            case 'expire':
              command = expireCommand(at);
              break;
            case 'forfeit':
              command = { type: 'ForfeitBalance', accountId: ACCOUNT_ID, actor: OWNER, at, reason: 'below the minimum' };
              break;
            case 'close':
              command = { type: 'CloseWallet', accountId: ACCOUNT_ID, actor: OWNER, at };
              break;
          }
          let events: WalletEvent[] = [];
          try {
            events = walletDecider.decide(command, state);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
          for (const event of events) {
            for (const [key, value] of Object.entries(event.data)) {
              if (typeof value === 'number') expect({ key, safe: Number.isSafeInteger(value) }).toEqual({ key, safe: true });
            }
          }
          state = events.reduce(walletDecider.evolve, state);
          history.push(...events);
          checkInvariants(state, history);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a credit delivered any number of times counts once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 10 }), (amount, deliveries) => {
        let state = walletDecider.initialState();
        for (let delivery = 0; delivery < deliveries; delivery += 1) {
          state = walletDecider
            .decide(creditCommand('payout-1', amount, '2026-04-01T00:00:00Z'), state)
            .reduce(walletDecider.evolve, state);
        }
        expect(state.available).toBe(amount);
        expect(state.lots).toHaveLength(1);
      }),
    );
  });
});
