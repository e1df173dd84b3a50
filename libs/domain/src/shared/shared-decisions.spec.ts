import { accountDecider, isAccountEvent } from '../account';
import { accountContractsDecider, bankAccountHoldersDecider, indexBackfillDecider, withdrawalAddressDecider } from '../account-index';
import { contractDecider, isContractEvent } from '../contract';
import { paymentReferenceDecider } from '../payment-reference';
import { isWalletEvent, walletDecider } from '../wallet';
import type { Decider, DomainEvent } from './decider';
import { DomainError } from './domain-error';

const AT = '2026-04-01T09:00:00Z';
/** Every field some decider checks before its command's type, well formed, so that only the type is wrong. */
const unknown = {
  type: 'TransferEverything',
  accountId: 'acc-1',
  actor: { id: 'acc-1', role: 'user' },
  at: AT,
  paymentReference: 'pay-1',
  contractId: 'c-1',
  milestoneId: 'm-1',
  claimant: 'c-1',
};

const refusalOf = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the decision was not refused');
};

describe('what every decider shares', () => {
  const deciders: [string, Decider<never, unknown, DomainEvent>][] = [
    ['contract', contractDecider as never],
    ['wallet', walletDecider as never],
    ['account', accountDecider as never],
    ['payment reference', paymentReferenceDecider as never],
    ['bank account holder', bankAccountHoldersDecider as never],
    ['withdrawal address', withdrawalAddressDecider as never],
    ['account contracts', accountContractsDecider as never],
    ['index backfill', indexBackfillDecider as never],
  ];

  it.each(deciders)('the %s decider refuses a command of a type it does not know, naming it', (aggregate, decider) => {
    const refusal = refusalOf(() => decider.decide(unknown as never, decider.initialState()));
    expect(refusal.kind).toBe('invalid');
    expect(refusal.code).toBe('UNKNOWN_COMMAND');
    expect(refusal.message).toBe(`Unknown ${aggregate} command TransferEverything.`);
  });

  it('tells the events of each kind of stream by their type, and no other', () => {
    expect(isContractEvent({ type: 'EscrowFunded' })).toBe(true);
    expect(isWalletEvent({ type: 'WalletCredited' })).toBe(true);
    expect(isAccountEvent({ type: 'AccountClosed' })).toBe(true);
    expect(isContractEvent({ type: 'WalletCredited' })).toBe(false);
    expect(isWalletEvent({ type: 'AccountClosed' })).toBe(false);
    expect(isAccountEvent({ type: 'EscrowFunded' })).toBe(false);
    // Names an object's own keys, not what every object inherits.
    expect(isContractEvent({ type: 'toString' })).toBe(false);
  });
});
