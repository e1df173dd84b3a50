import type { Decider, DomainEvent } from '../shared/decider';
import { conflict, unknownCommand } from '../shared/domain-error';
import { IndexCommandBase, requireIdentifiers } from './index-commands';

/**
 * One stream per withdrawal id naming the account whose wallet holds the withdrawal. Review steps and bank
 * transfer reports name only the withdrawal; they read this stream to find the wallet stream that decides.
 * The address is recorded before the wallet records the request, so a withdrawal always has one; an address
 * whose request the wallet then refused leads to a wallet that answers WITHDRAWAL_NOT_FOUND.
 */
export interface AddressWithdrawal extends IndexCommandBase<'AddressWithdrawal'> {
  withdrawalId: string;
  accountId: string;
}

export type WithdrawalAddressCommand = AddressWithdrawal;

export type WithdrawalAddressed = DomainEvent<'WithdrawalAddressed', { withdrawalId: string; accountId: string }>;
export type WithdrawalAddressEvent = WithdrawalAddressed;

export const WITHDRAWAL_ADDRESS_EVENT_SCHEMA_VERSIONS: Readonly<Record<WithdrawalAddressEvent['type'], number>> = {
  WithdrawalAddressed: 1,
};

export interface WithdrawalAddressState {
  /** The account whose wallet holds the withdrawal; null while the stream is empty. */
  accountId: string | null;
}

export const initialWithdrawalAddressState = (): WithdrawalAddressState => ({ accountId: null });

export const evolveWithdrawalAddress = (state: WithdrawalAddressState, event: WithdrawalAddressEvent): WithdrawalAddressState =>
  event.type === 'WithdrawalAddressed' ? { accountId: event.data.accountId } : state;

export function decideWithdrawalAddress(command: WithdrawalAddressCommand, state: WithdrawalAddressState): WithdrawalAddressEvent[] {
  if (command.type !== 'AddressWithdrawal') {
    throw unknownCommand('withdrawal address', command);
  }
  requireIdentifiers(command, ['withdrawalId', 'accountId']);
  if (state.accountId === command.accountId) return [];
  // A withdrawal id names one withdrawal for good: it is never moved to another wallet.
  if (state.accountId !== null) {
    throw conflict('WITHDRAWAL_ID_TAKEN', `Withdrawal ${command.withdrawalId} belongs to another account.`, { withdrawalId: command.withdrawalId });
  }
  return [{ type: 'WithdrawalAddressed', data: { withdrawalId: command.withdrawalId, accountId: command.accountId } }];
}

export const withdrawalAddressDecider: Decider<WithdrawalAddressCommand, WithdrawalAddressState, WithdrawalAddressEvent> = {
  decide: decideWithdrawalAddress,
  evolve: evolveWithdrawalAddress,
  initialState: initialWithdrawalAddressState,
};
