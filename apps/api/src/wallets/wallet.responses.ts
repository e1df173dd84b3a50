import { ESCROW_ID_PATTERN } from '@escrow/domain/escrow';
import { BANK_CODE_PATTERN, BRANCH_CODE_PATTERN } from '@escrow/domain/shared/limits';
import { IDENTITY_STATUSES, type IdentityStatus } from '@escrow/domain/account/identity';
import {
  AUTOMATIC_WITHDRAWAL_MODES,
  type AutomaticWithdrawalMode,
  type CreditFlags,
  type CreditSourceKind,
  EXPIRY_NOTICE_DAYS,
  type ExpiryNoticeDays,
  type ReviewStep,
  WITHDRAWAL_MODES,
  WITHDRAWAL_REVIEW_REASONS,
  type WalletExpiryView,
  type WalletLotView,
  type WalletWithdrawalView,
  type WithdrawalMode,
  type WithdrawalReviewReason,
  type WithdrawalStatus,
} from '@escrow/domain/wallet';
import {
  BooleanField,
  DateField,
  EnumField,
  EnumListField,
  IntegerEnumListField,
  everyValueOf,
  IdField,
  InstantField,
  NestedField,
  PatternField,
  PositionField,
  TextField,
  YenField,
} from '../http/openapi/response-fields';
import type { AccountResponse, BankAccountResponse } from '../accounts/account-handlers';
import type { WithdrawalResponse } from '../withdrawals/withdrawal-handlers';
import type { AutomaticWithdrawalAnswer, AutomaticWithdrawalResponse } from '../withdrawals/automatic-withdrawal-handler';
import type { TakeFromBalanceResponse, WalletResponse } from './wallet-handlers';

const CREDIT_SOURCE_KINDS = everyValueOf<CreditSourceKind>()(['payout', 'refund']);
const WITHDRAWAL_STATUSES = everyValueOf<WithdrawalStatus>()(['in_review', 'scheduled', 'rejected', 'paid', 'failed']);
const REVIEW_ACTIONS = everyValueOf<ReviewStep['action']>()(['approved', 'rejected', 'info_requested']);

export class CreditFlagsSchema implements CreditFlags {
  @BooleanField({ description: 'The milestone was accepted without a deliverable on the platform' }) noDeliverable!: boolean;
  @BooleanField({ description: 'The contract was, or may still be, completed within an hour of its acceptance' }) fastCompletion!: boolean;
}

export class WalletLotSchema implements WalletLotView {
  @IdField() sourceId!: string;
  @EnumField(CREDIT_SOURCE_KINDS) sourceKind!: CreditSourceKind;
  @PatternField(ESCROW_ID_PATTERN, { description: "The escrow the money came from: a fixed-price contract's id, or `<format>~<id>` (hourly~…) for another way of working" })
  contractId!: string;
  @IdField({ description: 'The milestone, or the line of another format (a week, a slot, an adoption)' }) milestoneId!: string;
  @YenField() amount!: number;
  @YenField() remaining!: number;
  @InstantField() creditedAt!: string;
  @InstantField() expiresAt!: string;
  @NestedField(() => CreditFlagsSchema) flags!: CreditFlags;
  @BooleanField() expiringSoon!: boolean;
}

export class WalletExpirySchema implements WalletExpiryView {
  @InstantField() expiresAt!: string;
  @YenField({ description: 'The remaining amounts of the credits that expire at this instant unless withdrawn' }) amount!: number;
  @BooleanField({ description: 'Expires within 30 days (or is already due)' }) expiringSoon!: boolean;
  @IntegerEnumListField(EXPIRY_NOTICE_DAYS, { description: 'The notices already given of this expiry, in days before it' })
  noticesGiven!: ExpiryNoticeDays[];
}

export class WalletWithdrawalSchema implements WalletWithdrawalView {
  @IdField() withdrawalId!: string;
  @YenField() amount!: number;
  @YenField() bankFee!: number;
  @YenField() quickFee!: number;
  @YenField() netAmount!: number;
  @EnumField(WITHDRAWAL_MODES) mode!: WithdrawalMode;
  @EnumField(WITHDRAWAL_STATUSES) status!: WithdrawalStatus;
  @DateField() payoutDate!: string;
  @EnumListField(WITHDRAWAL_REVIEW_REASONS) reviewReasons!: WithdrawalReviewReason[];
  @InstantField() requestedAt!: string;
}

/** A wallet as GET /v1/accounts/{id}/wallet answers it. */
export class WalletResponseSchema implements WalletResponse {
  @IdField() accountId!: string;
  @InstantField() asOf!: string;
  @YenField() available!: number;
  @YenField() pending!: number;
  @YenField() paidOut!: number;
  @YenField() expired!: number;
  @YenField() forfeited!: number;
  @YenField() totalCredited!: number;
  @BooleanField() closed!: boolean;
  @YenField() expiringWithin30Days!: number;
  @InstantField({ nullable: true }) nextExpiresAt!: string | null;
  @NestedField(() => WalletExpirySchema, { list: true, description: 'What expires when, soonest first' }) expiries!: WalletExpiryView[];
  @NestedField(() => WalletLotSchema, { list: true }) lots!: WalletLotView[];
  @NestedField(() => WalletWithdrawalSchema, { list: true }) withdrawalsInProgress!: WalletWithdrawalView[];
  @EnumField(AUTOMATIC_WITHDRAWAL_MODES, { description: 'How the balance leaves at each cut-off; on_cutoff until the owner chooses' })
  withdrawalMode!: AutomaticWithdrawalMode;
  @YenField({ nullable: true, description: 'The balance at a cut-off from which the mode withdraws it automatically; null for carry_over' })
  automaticWithdrawalThreshold!: number | null;
  @PositionField({ minimum: -1, description: 'Wallet stream revision; -1 while it has no event' }) revision!: number;
  @PositionField() position!: number;
}

export class ExpireBalancesResponseSchema extends WalletResponseSchema implements TakeFromBalanceResponse<'ExpireBalances'> {
  @YenField({ description: 'Expired by this command' }) expiredNow!: number;
}

export class ForfeitBalanceResponseSchema extends WalletResponseSchema implements TakeFromBalanceResponse<'ForfeitBalance'> {
  @YenField({ description: 'Forfeited by this command' }) forfeitedNow!: number;
}

export class ReviewStepSchema implements ReviewStep {
  @EnumField(REVIEW_ACTIONS) action!: ReviewStep['action'];
  @IdField() reviewerId!: string;
  @TextField() reason!: string;
  @InstantField() at!: string;
}

export class WithdrawalResponseSchema implements WithdrawalResponse {
  @IdField() withdrawalId!: string;
  @IdField() accountId!: string;
  @EnumField(WITHDRAWAL_STATUSES) status!: WithdrawalStatus;
  @EnumField(WITHDRAWAL_MODES) mode!: WithdrawalMode;
  @YenField({ description: 'Taken from the balance' }) amount!: number;
  @YenField({ description: 'bankFee + quickFee, deducted from the amount' }) fee!: number;
  @YenField() bankFee!: number;
  @YenField() quickFee!: number;
  @YenField({ description: 'What the bank account receives' }) netAmount!: number;
  @IdField() bankAccountId!: string;
  @DateField() payoutDate!: string;
  @EnumListField(WITHDRAWAL_REVIEW_REASONS) reasons!: WithdrawalReviewReason[];
  @NestedField(() => ReviewStepSchema, { list: true }) reviewSteps!: ReviewStep[];
  @InstantField() requestedAt!: string;
  @TextField({ optional: true }) failureReason?: string;
  @TextField({ optional: true }) transferReference?: string;
  @YenField({ description: 'Available balance of the wallet after the command' }) available!: number;
  @PositionField() revision!: number;
  @PositionField() position!: number;
}

const AUTOMATIC_WITHDRAWAL_ANSWERS = everyValueOf<AutomaticWithdrawalAnswer>()([
  'requested',
  'already_requested',
  'carry_over',
  'below_threshold',
  'no_bank_account',
]);

export class AutomaticWithdrawalResponseSchema implements AutomaticWithdrawalResponse {
  @IdField() accountId!: string;
  @DateField({ description: "The cut-off's closing date in Tokyo" }) cutoff!: string;
  @InstantField({ description: 'When the cut-off falls: Tokyo midnight at the end of its closing date' }) cutoffAt!: string;
  @DateField({ description: 'The payout date of a standard withdrawal made at this cut-off' }) cutoffPayoutDate!: string;
  @EnumField(AUTOMATIC_WITHDRAWAL_MODES, { description: 'The mode in force at the cut-off' }) withdrawalMode!: AutomaticWithdrawalMode;
  @YenField({ nullable: true, description: "The mode's threshold; null for carry_over" }) threshold!: number | null;
  @YenField({ description: 'What remains of the credits that landed before the cut-off' }) balanceAtCutoff!: number;
  @EnumField(AUTOMATIC_WITHDRAWAL_ANSWERS, {
    description: 'requested now; already_requested by an earlier run; nothing for carry_over, below_threshold or no_bank_account',
  })
  outcome!: AutomaticWithdrawalAnswer;
  @NestedField(() => WithdrawalResponseSchema, { nullable: true, description: "This cut-off's withdrawal, requested now or earlier; null when there is none" })
  withdrawal!: WithdrawalResponse | null;
  @PositionField({ minimum: -1, description: 'Wallet stream revision; -1 while it has no event' }) revision!: number;
  @PositionField() position!: number;
}

export class BankAccountSchema {
  @IdField() bankAccountId!: string;
  @PatternField(BANK_CODE_PATTERN) bankCode!: string;
  @PatternField(BRANCH_CODE_PATTERN) branchCode!: string;
  @TextField({ description: 'The number with all but its last digits masked' }) accountNumberMasked!: string;
  @TextField() holderName!: string;
}

export class AccountResponseSchema implements AccountResponse {
  @IdField() accountId!: string;
  @EnumField(IDENTITY_STATUSES) identityStatus!: IdentityStatus;
  @BooleanField() closed!: boolean;
  @NestedField(() => BankAccountSchema, { list: true }) bankAccounts!: BankAccountSchema[];
  @PositionField({ minimum: -1, description: 'Account stream revision; -1 while it has no event' }) revision!: number;
  @PositionField() position!: number;
}

export class BankAccountResponseSchema extends BankAccountSchema implements BankAccountResponse {
  @IdField() accountId!: string;
  @PositionField() revision!: number;
  @PositionField() position!: number;
}
