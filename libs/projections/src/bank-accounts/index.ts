export { BANK_ACCOUNTS_PROJECTION, bankAccountsProjection, isBankAccountShared, otherAccountsWithFingerprint } from './bank-accounts.projection';
export type { BankAccountRegistration } from './bank-accounts.projection';
