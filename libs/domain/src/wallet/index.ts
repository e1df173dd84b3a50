export type {
  ApproveWithdrawal,
  CreditFlags,
  CreditSource,
  CreditSourceKind,
  ChooseWithdrawalMode,
  CloseWallet,
  CreditWallet,
  ExpireBalances,
  ExpiryNoticeDays,
  FastCompletionRuledOutReason,
  ForfeitBalance,
  NoticeBalanceExpiry,
  MarkWithdrawalFailed,
  MarkWithdrawalPaid,
  RejectWithdrawal,
  RequestAutomaticWithdrawal,
  RequestWithdrawal,
  RequestWithdrawalInfo,
  AnswerWithdrawalInfoRequest,
  RuleOutFastCompletion,
  WalletCommand,
  WalletCommandType,
  WithdrawalBankAccount,
  WithdrawalScreening,
} from './commands';
export type {
  BalanceExpired,
  BalanceExpiredData,
  BalanceExpiryNoticed,
  BalanceExpiryNoticedData,
  BalanceForfeited,
  BalanceForfeitedData,
  ExpiredLot,
  FastCompletionRuledOut,
  FastCompletionRuledOutData,
  LotAllocation,
  RequestedWithdrawalStatus,
  WalletCredited,
  WalletCreditedData,
  WalletEvent,
  WalletClosed,
  WalletClosedData,
  WalletEventType,
  WithdrawalAmounts,
  WithdrawalApproved,
  WithdrawalApprovedData,
  WithdrawalFailed,
  WithdrawalFailedData,
  WithdrawalInfoRequested,
  WithdrawalInfoRequestedData,
  WithdrawalInfoProvided,
  WithdrawalInfoProvidedData,
  WithdrawalModeChosen,
  WithdrawalModeChosenData,
  WithdrawalPaid,
  WithdrawalPaidData,
  WithdrawalRejected,
  WithdrawalRejectedData,
  WithdrawalRequested,
  WithdrawalRequestedData,
} from './events';
export { WALLET_EVENT_SCHEMA_VERSIONS, isWalletEvent } from './events';
export { EXPIRY_NOTICE_DAYS } from './commands';
export { WALLET_STREAM_PREFIX, walletStreamId } from './stream';
export type { CreditLot, ReviewStep, WalletState, WithdrawalRecord, WithdrawalStatus } from './state';
export { IN_PROGRESS_WITHDRAWAL_STATUSES, allocateOldestFirst, evolveWallet, initialWalletState, withdrawalsInProgress } from './state';
export type { WalletDecide } from './decide';
export { decideWallet, decideWalletWith } from './decide';
export { walletDecider, walletDeciderWith } from './decider';
export type { WalletExpiryView, WalletLotView, WalletView, WalletWithdrawalView } from './view';
export { EXPIRY_WARNING_DAYS, walletView } from './view';
export type { WithdrawalReviewFacts, WithdrawalReviewReason } from './review-reasons';
export {
  UNUSUAL_AMOUNT_FLOOR,
  UNUSUAL_AMOUNT_MULTIPLE,
  WITHDRAWAL_REVIEW_REASONS,
  isUnusualAmount,
  withdrawalReviewReasons,
} from './review-reasons';
export type { WithdrawalFeePolicy, WithdrawalFeeRequest, WithdrawalFees, WithdrawalMode } from './withdrawal-fees';
export { DEFAULT_WITHDRAWAL_FEE_POLICY, WITHDRAWAL_MODES, bankTransferFee, quickWithdrawalFee, withdrawalFees } from './withdrawal-fees';
export type { AutomaticWithdrawalMode, AutomaticWithdrawalOutcome, AutomaticWithdrawalPlan } from './automatic-withdrawal-modes';
export {
  AUTOMATIC_WITHDRAWAL_MODES,
  AUTOMATIC_WITHDRAWAL_THRESHOLDS,
  DEFAULT_AUTOMATIC_WITHDRAWAL_MODE,
  automaticWithdrawalIdOf,
  automaticWithdrawalModeAt,
  automaticWithdrawalPlan,
  balanceAtCutoff,
  currentWithdrawalMode,
} from './automatic-withdrawal-modes';
