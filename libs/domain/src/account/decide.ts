import { epochMillisOf } from '../calendar/civil-time';
import { conflict, invalid } from '../shared/domain-error';
import { refuseFieldErrors, required } from '../shared/field-errors';
import type { AccountCommand } from './commands';
import { registerBankAccount } from './decide/bank-account';
import { closeAccount } from './decide/close-account';
import { reportIdentityVerification } from './decide/identity-verification';
import type { AccountEvent } from './events';
import type { AccountState } from './state';

/** The events that record an account command's effect, or a DomainError; an empty list means "already done". */
export function decideAccount(command: AccountCommand, state: AccountState): AccountEvent[] {
  refuseFieldErrors([...required('accountId', command.accountId), ...required('actor.id', command.actor?.id)]);
  epochMillisOf(command.at);
  if (state.accountId !== null && state.accountId !== command.accountId) {
    throw conflict('ACCOUNT_MISMATCH', `This stream belongs to ${state.accountId}, not ${command.accountId}.`, {
      streamAccountId: state.accountId,
      accountId: command.accountId,
    });
  }
  if (state.closed) throw conflict('ACCOUNT_CLOSED', `Account ${command.accountId} is closed.`, { accountId: command.accountId });
  switch (command.type) {
    case 'RegisterBankAccount':
      return registerBankAccount(command, state);
    case 'ReportIdentityVerification':
      return reportIdentityVerification(command, state);
    case 'CloseAccount':
      return closeAccount(command, state);
    default: {
      const unknown: { type?: unknown } = command;
      throw invalid('UNKNOWN_COMMAND', `Unknown account command ${String(unknown.type)}.`);
    }
  }
}
