import type { AccountStreamCommand } from '../shared/account-commands';
import type { ReportedIdentityStatus } from './identity';

/**
 * Commands of the account aggregate (one stream per account). Every command names the account,
 * the actor and the instant it is issued at.
 */
interface AccountCommandBase<Type extends string> extends AccountStreamCommand {
  type: Type;
}

/**
 * The owner registers a bank account for withdrawals. The full account number is only checked here
 * and never stored: the event keeps its last four digits and the caller's fingerprint of it.
 */
export interface RegisterBankAccount extends AccountCommandBase<'RegisterBankAccount'> {
  bankAccountId: string;
  /** 金融機関コード, 4 digits. */
  bankCode: string;
  /** 支店コード, 3 digits. */
  branchCode: string;
  /** 口座番号, 7 digits. */
  accountNumber: string;
  /** 口座名義. */
  holderName: string;
  /**
   * Keyed hash (HMAC) of bank code, branch code and account number, computed by the caller with a
   * secret the domain never sees; equal fingerprints reveal one bank account registered twice.
   */
  fingerprint: string;
}

/** The identity verification service (role `system`) reports a status. */
export interface ReportIdentityVerification extends AccountCommandBase<'ReportIdentityVerification'> {
  status: ReportedIdentityStatus;
}

/** The owner, or support with a reason, closes the account (退会). */
export interface CloseAccount extends AccountCommandBase<'CloseAccount'> {
  /** closureBlockers() of the account's current facts, computed by the caller. */
  blockers: string[];
  /** Required when support closes the account. */
  reason?: string;
}

export type AccountCommand = RegisterBankAccount | ReportIdentityVerification | CloseAccount;

export type AccountCommandType = AccountCommand['type'];
