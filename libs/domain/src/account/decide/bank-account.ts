import { requireAccountOwner } from '../../shared/account-actor-guards';
import { conflict } from '../../shared/domain-error';
import { digits, refuseFieldErrors, required, requiredText } from '../../shared/field-errors';
import type { RegisterBankAccount } from '../commands';
import type { AccountEvent } from '../events';
import type { AccountState } from '../state';

/** All but the last four digits masked: 1234567 → ***4567. */
export const maskAccountNumber = (accountNumber: string): string =>
  '*'.repeat(Math.max(accountNumber.length - 4, 0)) + accountNumber.slice(-4);

/** The owner registers a bank account to withdraw to; the log keeps only its masked number. */
export function registerBankAccount(command: RegisterBankAccount, state: AccountState): AccountEvent[] {
  requireAccountOwner(command.actor, command.accountId, 'register a bank account');
  refuseFieldErrors([
    ...required('bankAccountId', command.bankAccountId),
    ...digits('bankCode', command.bankCode, 4),
    ...digits('branchCode', command.branchCode, 3),
    ...digits('accountNumber', command.accountNumber, 7),
    ...requiredText('holderName', command.holderName),
    ...required('fingerprint', command.fingerprint),
  ]);
  const registered = Object.values(state.bankAccounts).find(
    (bankAccount) => bankAccount.bankAccountId === command.bankAccountId || bankAccount.fingerprint === command.fingerprint,
  );
  if (registered) {
    throw conflict('BANK_ACCOUNT_ALREADY_REGISTERED', `This bank account is already registered as ${registered.bankAccountId}.`, {
      bankAccountId: registered.bankAccountId,
    });
  }
  return [
    {
      type: 'BankAccountRegistered',
      data: {
        accountId: command.accountId,
        bankAccountId: command.bankAccountId,
        bankCode: command.bankCode,
        branchCode: command.branchCode,
        accountNumberMasked: maskAccountNumber(command.accountNumber),
        holderName: command.holderName.trim(),
        fingerprint: command.fingerprint,
      },
    },
  ];
}
