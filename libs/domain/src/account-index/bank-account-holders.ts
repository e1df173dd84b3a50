import type { Decider, DomainEvent } from '../shared/decider';
import { unknownCommand } from '../shared/domain-error';
import { IndexCommandBase, requireIdentifiers } from './index-commands';

/**
 * One stream per bank-account fingerprint: every account that registered that bank account. A withdrawal's
 * screening reads it to find a bank account registered to another account (SHARED_BANK_ACCOUNT). The holder
 * is recorded before the account stream records the registration; the expected revision of this stream
 * serialises two accounts registering the same bank account at once.
 */
export interface RecordBankAccountHolder extends IndexCommandBase<'RecordBankAccountHolder'> {
  fingerprint: string;
  accountId: string;
  bankAccountId: string;
}

export type BankAccountHolderCommand = RecordBankAccountHolder;

export interface BankAccountHolder {
  accountId: string;
  bankAccountId: string;
}

export type BankAccountHolderRecorded = DomainEvent<'BankAccountHolderRecorded', BankAccountHolder & { fingerprint: string }>;
export type BankAccountHolderEvent = BankAccountHolderRecorded;

export const BANK_ACCOUNT_HOLDER_EVENT_SCHEMA_VERSIONS: Readonly<Record<BankAccountHolderEvent['type'], number>> = {
  BankAccountHolderRecorded: 1,
};

export interface BankAccountHoldersState {
  holders: BankAccountHolder[];
}

export const initialBankAccountHoldersState = (): BankAccountHoldersState => ({ holders: [] });

export function evolveBankAccountHolders(state: BankAccountHoldersState, event: BankAccountHolderEvent): BankAccountHoldersState {
  if (event.type !== 'BankAccountHolderRecorded') return state;
  return { holders: [...state.holders, { accountId: event.data.accountId, bankAccountId: event.data.bankAccountId }] };
}

export function decideBankAccountHolder(command: BankAccountHolderCommand, state: BankAccountHoldersState): BankAccountHolderEvent[] {
  if (command.type !== 'RecordBankAccountHolder') {
    throw unknownCommand('bank account holder', command);
  }
  requireIdentifiers(command, ['fingerprint', 'accountId', 'bankAccountId']);
  // One entry per account: a retried registration, or the same bank account under another id, adds nothing.
  if (state.holders.some((holder) => holder.accountId === command.accountId)) return [];
  const { fingerprint, accountId, bankAccountId } = command;
  return [{ type: 'BankAccountHolderRecorded', data: { fingerprint, accountId, bankAccountId } }];
}

/** The accounts other than `accountId` the index names for the bank account, each once. */
export const otherHolders = (state: BankAccountHoldersState, accountId: string): string[] => [
  ...new Set(state.holders.map((holder) => holder.accountId).filter((holder) => holder !== accountId)),
];

export const bankAccountHoldersDecider: Decider<BankAccountHolderCommand, BankAccountHoldersState, BankAccountHolderEvent> = {
  decide: decideBankAccountHolder,
  evolve: evolveBankAccountHolders,
  initialState: initialBankAccountHoldersState,
};
