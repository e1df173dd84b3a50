import type { Actor } from '../shared/actor';
import type { AccountEvent, BankAccountRegisteredData } from './events';
import type { IdentityStatus } from './identity';

/** A bank account as its registration recorded it. */
export type RegisteredBankAccount = Omit<BankAccountRegisteredData, 'accountId'>;

export interface AccountState {
  /** null until the first event. */
  accountId: string | null;
  identityStatus: IdentityStatus;
  bankAccounts: Record<string, RegisteredBankAccount>;
  closed: boolean;
  /** Who closed the account; null while it is open. */
  closedBy: Actor | null;
}

export const initialAccountState = (): AccountState => ({ accountId: null, identityStatus: 'none', bankAccounts: {}, closed: false, closedBy: null });

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'BankAccountRegistered': {
      const { accountId, ...bankAccount } = event.data;
      return { ...state, accountId, bankAccounts: { ...state.bankAccounts, [bankAccount.bankAccountId]: bankAccount } };
    }
    case 'IdentityVerificationReported':
      return { ...state, accountId: event.data.accountId, identityStatus: event.data.status };
    case 'AccountClosed':
      return { ...state, accountId: event.data.accountId, closed: true, closedBy: { id: event.data.closedBy.id, role: event.data.closedBy.role } };
  }
}
