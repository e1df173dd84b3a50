import { conflict, unknownCommand } from '../shared/domain-error';
import { requireAccountStreamCommand } from '../shared/account-commands';
import type { AccountCommand } from './commands';
import { registerBankAccount } from './decide/bank-account';
import { closeAccount } from './decide/close-account';
import { reportIdentityVerification } from './decide/identity-verification';
import type { AccountEvent } from './events';
import type { AccountState } from './state';

/** The events that record an account command's effect, or a DomainError; an empty list means "already done". */
export function decideAccount(command: AccountCommand, state: AccountState): AccountEvent[] {
  requireAccountStreamCommand(command);
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
    default:
      throw unknownCommand('account', command);
  }
}
