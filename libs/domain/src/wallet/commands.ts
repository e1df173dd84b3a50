import type { IdentityStatus } from '../account/identity';
import type { AccountStreamCommand } from '../shared/account-commands';
import type { IsoDate } from '../calendar/civil-time';
import type { AutomaticWithdrawalMode } from './automatic-withdrawal-modes';
import type { WithdrawalMode } from './withdrawal-fees';

/**
 * Commands of the wallet aggregate (one stream per account). Every command names the account,
 * the actor and the instant it is issued at; withdrawal ids are chosen by the caller so that the
 * decider stays deterministic. Amounts are integers of yen.
 */
interface WalletCommandBase<Type extends string> extends AccountStreamCommand {
  type: Type;
}

export type CreditSourceKind = 'payout' | 'refund';

export interface CreditSource {
  kind: CreditSourceKind;
  /** Unique per credit, e.g. the id of the payout or refund event; a second credit with it is a no-op. */
  id: string;
  contractId: string;
  milestoneId: string;
}

/** What the screening of a later withdrawal needs to know about where the money came from. */
export interface CreditFlags {
  /** The milestone was accepted without a deliverable on the platform. */
  noDeliverable: boolean;
  /**
   * The contract was, or may still be, completed within an hour of its acceptance. Set when the money lands
   * while that is possible; cleared once the contract is completed later or terminated (RuleOutFastCompletion).
   */
  fastCompletion: boolean;
}

/** A worker's net payout or a client's refund lands in the wallet. Role `system`. */
export interface CreditWallet extends WalletCommandBase<'CreditWallet'> {
  source: CreditSource;
  amount: number;
  flags: CreditFlags;
}

export interface WithdrawalBankAccount {
  bankAccountId: string;
  bankCode: string;
  /** Keyed hash of the full account identity; the same account registered elsewhere has the same one. */
  fingerprint: string;
}

/** Facts about the account the caller looked up before the request; the decider judges them. */
export interface WithdrawalScreening {
  bankAccountSharedWithOtherAccount: boolean;
  identityStatus: IdentityStatus;
}

/** The account owner (role `user`, actor id = account id) asks for a bank transfer. */
export interface RequestWithdrawal extends WalletCommandBase<'RequestWithdrawal'> {
  withdrawalId: string;
  /** Taken from the balance; the bank receives it minus the fees. */
  amount: number;
  mode: WithdrawalMode;
  bankAccount: WithdrawalBankAccount;
  screening: WithdrawalScreening;
  /** Deployment setting; defaults to 0036. */
  partnerBankCode?: string;
}

interface ReviewCommand<Type extends string> extends WalletCommandBase<Type> {
  withdrawalId: string;
  /** Why the reviewer decided so; recorded with the reviewer (the actor). */
  reason: string;
}

/** Role `support`. */
export type ApproveWithdrawal = ReviewCommand<'ApproveWithdrawal'>;
/** Role `support`; the amount returns to the available balance. */
export type RejectWithdrawal = ReviewCommand<'RejectWithdrawal'>;
/** Role `support`; the withdrawal stays in review. */
export type RequestWithdrawalInfo = ReviewCommand<'RequestWithdrawalInfo'>;

/**
 * The account owner answers support's request for information on a withdrawal in review (role `user`, the owner
 * alone); the withdrawal stays in review for support to decide.
 */
export interface AnswerWithdrawalInfoRequest extends WalletCommandBase<'AnswerWithdrawalInfoRequest'> {
  withdrawalId: string;
  answer: string;
}

/**
 * What both transfer reports may add: the payout run (its payout date) the gateway reports from. Given, the
 * withdrawal must be due on that date, so that a report meant for one run never settles a withdrawal of another.
 */
interface TransferReport<Type extends string> extends WalletCommandBase<Type> {
  withdrawalId: string;
  payoutDate?: IsoDate;
}

/** The payments gateway (role `system`) reports the bank transfer done. */
export interface MarkWithdrawalPaid extends TransferReport<'MarkWithdrawalPaid'> {
  /** The gateway's reference for the transfer, when it has one. */
  transferReference?: string;
}

/** The payments gateway (role `system`) reports the bank transfer failed; the amount returns to the balance. */
export interface MarkWithdrawalFailed extends TransferReport<'MarkWithdrawalFailed'> {
  reason: string;
}

/** The platform (role `system`) expires every balance older than 180 days. */
export interface ExpireBalances extends WalletCommandBase<'ExpireBalances'> {
  /** ISO-8601 instant the expiry is judged at. */
  asOf: string;
}

/** Days before a balance expires at which its owner is told, as `BalanceExpiryNoticed`. */
export const EXPIRY_NOTICE_DAYS = [30, 7] as const;
export type ExpiryNoticeDays = (typeof EXPIRY_NOTICE_DAYS)[number];

/**
 * The platform (role `system`) records that the owner is told, `daysBefore` days ahead, of the balance that
 * expires at `expiresAt` (the credits of that instant still unspent).
 */
export interface NoticeBalanceExpiry extends WalletCommandBase<'NoticeBalanceExpiry'> {
  /** ISO-8601 instant the credits expire at. */
  expiresAt: string;
  daysBefore: ExpiryNoticeDays;
}

/**
 * The owner, or support with a reason, gives up a balance below the withdrawal minimum (the only other way
 * out of it is one final withdrawal of all of it). Recorded; the ledger books it to forfeited balances.
 */
export interface ForfeitBalance extends WalletCommandBase<'ForfeitBalance'> {
  reason: string;
}

/**
 * Why the money of a contract can no longer count as "completed within an hour of acceptance": it was
 * completed later than that, or it ended by termination and so was never completed.
 */
export type FastCompletionRuledOutReason = 'completed_after_window' | 'terminated';

/**
 * The platform (role `system`) records that a contract's money was not earned by a fast completion after
 * all: the `fastCompletion` flag of every credit from that contract is cleared, and a credit from it that
 * lands later is recorded without the flag.
 */
export interface RuleOutFastCompletion extends WalletCommandBase<'RuleOutFastCompletion'> {
  contractId: string;
  reason: FastCompletionRuledOutReason;
}

/** The account owner, or support on the owner's behalf, chooses how the balance leaves at each cut-off. */
export interface ChooseWithdrawalMode extends WalletCommandBase<'ChooseWithdrawalMode'> {
  mode: AutomaticWithdrawalMode;
}

/**
 * The platform (role `system`, the scheduler or an operator) applies the account's withdrawal mode at a
 * standard withdrawal cut-off: a standard withdrawal of the balance at the cut-off when the mode's threshold
 * is met, screened as any other, under an id derived from the account and the cut-off; nothing otherwise.
 * The caller looks the bank account and the screening facts up as for RequestWithdrawal; with no bank
 * account registered there is nothing to send the money to, and nothing is requested.
 */
export interface RequestAutomaticWithdrawal extends WalletCommandBase<'RequestAutomaticWithdrawal'> {
  /** The cut-off's closing date (Tokyo): a 15th or a month's last day. */
  cutoff: IsoDate;
  bankAccount: WithdrawalBankAccount | null;
  screening: WithdrawalScreening;
  partnerBankCode?: string;
}

/** The account was closed (退会): the wallet takes no further credit. Issued with the closure, by its actor. */
export type CloseWallet = WalletCommandBase<'CloseWallet'>;

export type WalletCommand =
  | CreditWallet
  | RequestWithdrawal
  | ApproveWithdrawal
  | RejectWithdrawal
  | RequestWithdrawalInfo
  | AnswerWithdrawalInfoRequest
  | MarkWithdrawalPaid
  | MarkWithdrawalFailed
  | ExpireBalances
  | NoticeBalanceExpiry
  | ForfeitBalance
  | RuleOutFastCompletion
  | CloseWallet
  | ChooseWithdrawalMode
  | RequestAutomaticWithdrawal;

export type WalletCommandType = WalletCommand['type'];
