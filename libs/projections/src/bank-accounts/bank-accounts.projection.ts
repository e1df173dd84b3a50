import type Database from 'better-sqlite3';
import { isAccountEvent } from '@escrow/domain/account';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../projection';

export const BANK_ACCOUNTS_PROJECTION = 'bank-accounts';

/**
 * Which accounts registered which bank account, by fingerprint (the keyed hash of bank, branch and
 * number). Withdrawal screening asks it whether a destination is also registered to another account
 * (SHARED_BANK_ACCOUNT). Only the fingerprint and the masked number are kept, never the full number.
 */
export const bankAccountsProjection: Projection = {
  name: BANK_ACCOUNTS_PROJECTION,
  version: 1,
  tables: ['bank_account_registrations'],
  setup(db) {
    db.exec(`
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
      CREATE INDEX IF NOT EXISTS bank_account_registrations_by_fingerprint ON bank_account_registrations (fingerprint);
    `);
  },
  prepare(db) {
    const insert = db.prepare(
      `INSERT OR IGNORE INTO bank_account_registrations
         (fingerprint, account_id, bank_account_id, bank_code, account_number_masked, registered_at, position)
       VALUES (@fingerprint, @accountId, @bankAccountId, @bankCode, @accountNumberMasked, @registeredAt, @position)`,
    );
    return (event: RecordedEvent) => {
      if (!isAccountEvent(event) || event.type !== 'BankAccountRegistered') return;
      const { data } = event;
      insert.run({
        fingerprint: data.fingerprint,
        accountId: data.accountId,
        bankAccountId: data.bankAccountId,
        bankCode: data.bankCode,
        accountNumberMasked: data.accountNumberMasked,
        registeredAt: event.metadata.occurredAt,
        position: event.position,
      });
    };
  },
};

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
