import type { Actor } from '../shared/actor';
import { deciderSpec } from '../testing/given-when-then';
import { accountContractsDecider, contractIdsOf, RecordAccountContract } from './account-contracts';
import { BankAccountHolderEvent, bankAccountHoldersDecider, otherHolders, RecordBankAccountHolder } from './bank-account-holders';
import { indexBackfillDecider } from './index-backfill';
import { AddressWithdrawal, withdrawalAddressDecider } from './withdrawal-address';

const AT = '2026-04-01T00:00:00Z';
const OWNER: Actor = { id: 'acc-1', role: 'user' };

describe('bank account holders index', () => {
  const { given } = deciderSpec(bankAccountHoldersDecider);
  const record = (accountId: string, bankAccountId = 'bank-1'): RecordBankAccountHolder => ({
    type: 'RecordBankAccountHolder',
    fingerprint: 'hmac-9f2c',
    accountId,
    bankAccountId,
    actor: { id: accountId, role: 'user' },
    at: AT,
  });
  const recorded = (accountId: string, bankAccountId = 'bank-1'): BankAccountHolderEvent => ({
    type: 'BankAccountHolderRecorded',
    data: { fingerprint: 'hmac-9f2c', accountId, bankAccountId },
  });

  it('records each account that registers the bank account', () => {
    given([]).when(record('acc-1')).then([recorded('acc-1')]);
    given([recorded('acc-1')]).when(record('acc-2', 'bank-9')).then([recorded('acc-2', 'bank-9')]);
  });

  it('records an account once, however often or under whichever id it registers the bank account', () => {
    given([recorded('acc-1')]).when(record('acc-1')).then([]);
    given([recorded('acc-1')]).when(record('acc-1', 'bank-2')).then([]);
  });

  it('names the other holders of the bank account, not the asking account', () => {
    given([recorded('acc-1'), recorded('acc-2')])
      .when(record('acc-3'))
      .thenAssert((_events, state) => {
        expect(otherHolders(state, 'acc-1')).toEqual(['acc-2', 'acc-3']);
        expect(otherHolders(state, 'acc-4')).toEqual(['acc-1', 'acc-2', 'acc-3']);
      });
  });

  it('refuses an entry without its identifiers, naming each', () => {
    given([])
      .when({ ...record('acc-1'), fingerprint: '', bankAccountId: '' })
      .thenThrows('invalid', 'VALIDATION_FAILED');
  });
});

describe('withdrawal address index', () => {
  const { given } = deciderSpec(withdrawalAddressDecider);
  const address = (accountId: string): AddressWithdrawal => ({ type: 'AddressWithdrawal', withdrawalId: 'wd-1', accountId, actor: OWNER, at: AT });

  it('names the account whose wallet holds the withdrawal, once', () => {
    given([]).when(address('acc-1')).then([{ type: 'WithdrawalAddressed', data: { withdrawalId: 'wd-1', accountId: 'acc-1' } }]);
    given([{ type: 'WithdrawalAddressed', data: { withdrawalId: 'wd-1', accountId: 'acc-1' } }])
      .when(address('acc-1'))
      .then([]);
  });

  it('never moves a withdrawal id to another account', () => {
    given([{ type: 'WithdrawalAddressed', data: { withdrawalId: 'wd-1', accountId: 'acc-1' } }])
      .when(address('acc-2'))
      .thenThrows('conflict', 'WITHDRAWAL_ID_TAKEN');
  });

  it('refuses an address without an account', () => {
    given([]).when(address('')).thenThrows('invalid', 'VALIDATION_FAILED');
  });
});

describe('party contracts index', () => {
  const { given } = deciderSpec(accountContractsDecider);
  const record = (contractId: string, side: 'client' | 'worker'): RecordAccountContract => ({
    type: 'RecordAccountContract',
    accountId: 'acc-1',
    contractId,
    side,
    actor: OWNER,
    at: AT,
  });

  it('lists each contract of the account with its side, once per side', () => {
    given([]).when(record('c-1', 'client')).then([{ type: 'AccountContractRecorded', data: { accountId: 'acc-1', contractId: 'c-1', side: 'client' } }]);
    given([{ type: 'AccountContractRecorded', data: { accountId: 'acc-1', contractId: 'c-1', side: 'client' } }])
      .when(record('c-1', 'client'))
      .then([]);
  });

  it('names each contract once, on whichever sides the account is', () => {
    given([
      { type: 'AccountContractRecorded', data: { accountId: 'acc-1', contractId: 'c-1', side: 'client' } },
      { type: 'AccountContractRecorded', data: { accountId: 'acc-1', contractId: 'c-2', side: 'worker' } },
    ])
      .when(record('c-1', 'worker'))
      .thenAssert((events, state) => {
        expect(events).toHaveLength(1);
        expect(contractIdsOf(state)).toEqual(['c-1', 'c-2']);
      });
  });

  it('folds each entry without copying the ones before it, so a long index costs the same per entry', () => {
    const { evolve, initialState } = accountContractsDecider;
    let state = initialState();
    for (let i = 0; i < 2_000; i++) {
      const next = evolve(state, { type: 'AccountContractRecorded', data: { accountId: 'acc-1', contractId: `c-${i % 1_500}`, side: 'worker' } });
      // The earlier entries are the previous state's, shared as they are.
      expect(next.latest?.earlier).toBe(state.latest);
      state = next;
    }
    expect(state.count).toBe(2_000);
    const ids = contractIdsOf(state);
    expect(ids).toHaveLength(1_500);
    expect(ids.slice(0, 3)).toEqual(['c-0', 'c-1', 'c-2']);
  });

  it('refuses an unknown side', () => {
    given([])
      .when({ ...record('c-1', 'client'), side: 'broker' as never })
      .thenThrows('invalid', 'VALIDATION_FAILED');
  });
});

describe('index backfill record', () => {
  const { given } = deciderSpec(indexBackfillDecider);
  const command = { type: 'RecordIndexBackfill' as const, upToPosition: 42, actor: { id: 'index-backfill', role: 'system' as const }, at: AT };

  it('records the first pass and keeps it', () => {
    given([]).when(command).then([{ type: 'IndexesBackfilled', data: { upToPosition: 42 } }]);
    given([{ type: 'IndexesBackfilled', data: { upToPosition: 42 } }])
      .when({ ...command, upToPosition: 50 })
      .then([]);
  });

  it('refuses a position that is not a non-negative integer', () => {
    given([])
      .when({ ...command, upToPosition: -1 })
      .thenThrows('invalid', 'VALIDATION_FAILED');
  });
});
