import type Database from 'better-sqlite3';
import { declareProjection } from '../runtime/declared-projection';
import { insertIfAbsent } from '../runtime/row-changes';

export const BANK_ACCOUNTS_PROJECTION = 'bank-accounts';

/**
 * Which accounts registered which bank account, by fingerprint (the keyed hash of bank, branch and
 * number). Withdrawal screening asks it whether a destination is also registered to another account
 * (SHARED_BANK_ACCOUNT). Only the fingerprint and the masked number are kept, never the full number.
 */
export const bankAccountsProjection = declareProjection({
  name: BANK_ACCOUNTS_PROJECTION,
  version: 1,
  tables: {
    bank_account_registrations: {
      key: ['account_id', 'bank_account_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS bank_account_registrations (
          fingerprint TEXT NOT NULL,
          account_id TEXT NOT NULL,
          bank_account_id TEXT NOT NULL,
          bank_code TEXT NOT NULL,
          account_number_masked TEXT NOT NULL,
          registered_at TEXT NOT NULL,
          position INTEGER NOT NULL,
          PRIMARY KEY (account_id, bank_account_id)
        );
        CREATE INDEX IF NOT EXISTS bank_account_registrations_by_fingerprint ON bank_account_registrations (fingerprint);`,
    },
  },
  on: {
    BankAccountRegistered: ({ data, metadata, position }) =>
      insertIfAbsent('bank_account_registrations', {
        fingerprint: data.fingerprint,
        account_id: data.accountId,
        bank_account_id: data.bankAccountId,
        bank_code: data.bankCode,
        account_number_masked: data.accountNumberMasked,
        registered_at: metadata.occurredAt,
        position,
      }),
  },
});

export interface BankAccountRegistration {
  accountId: string;
  bankAccountId: string;
  bankCode: string;
  accountNumberMasked: string;
  registeredAt: string;
}

/** Other accounts that registered a bank account with this fingerprint, oldest registration first. */
export function otherAccountsWithFingerprint(db: Database.Database, fingerprint: string, accountId: string): BankAccountRegistration[] {
  return db
    .prepare(
      `SELECT account_id AS accountId, bank_account_id AS bankAccountId, bank_code AS bankCode,
              account_number_masked AS accountNumberMasked, registered_at AS registeredAt
         FROM bank_account_registrations
        WHERE fingerprint = ? AND account_id <> ?
        ORDER BY position`,
    )
    .all(fingerprint, accountId) as BankAccountRegistration[];
}

/** True when the fingerprint is also registered to an account other than `accountId`. */
export const isBankAccountShared = (db: Database.Database, fingerprint: string, accountId: string): boolean =>
  otherAccountsWithFingerprint(db, fingerprint, accountId).length > 0;
