import type { Actor } from '../shared/actor';
import { type DomainEvent, eventGuardOf } from '../shared/decider';
import type { IdentityStatus, ReportedIdentityStatus } from './identity';

/** Facts of the account stream. Data only: the application layer wraps each event with its metadata. */

/** Never carries the full account number. */
export interface BankAccountRegisteredData {
  accountId: string;
  bankAccountId: string;
  bankCode: string;
  branchCode: string;
  /** The 7-digit number with all but its last four digits masked, e.g. `***4567`. */
  accountNumberMasked: string;
  holderName: string;
  fingerprint: string;
}

export interface IdentityVerificationReportedData {
  accountId: string;
  status: ReportedIdentityStatus;
  previousStatus: IdentityStatus;
}

export interface AccountClosedData {
  accountId: string;
  closedBy: Actor;
  reason?: string;
}

export type BankAccountRegistered = DomainEvent<'BankAccountRegistered', BankAccountRegisteredData>;
export type IdentityVerificationReported = DomainEvent<'IdentityVerificationReported', IdentityVerificationReportedData>;
export type AccountClosed = DomainEvent<'AccountClosed', AccountClosedData>;

export type AccountEvent = BankAccountRegistered | IdentityVerificationReported | AccountClosed;

export type AccountEventType = AccountEvent['type'];

/** Current data-shape version of each event type; a change of shape bumps it and adds an upcaster. */
export const ACCOUNT_EVENT_SCHEMA_VERSIONS: Readonly<Record<AccountEventType, number>> = {
  BankAccountRegistered: 1,
  IdentityVerificationReported: 1,
  AccountClosed: 1,
};

export const isAccountEvent = eventGuardOf<AccountEvent>(ACCOUNT_EVENT_SCHEMA_VERSIONS);
