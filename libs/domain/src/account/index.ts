export type { IdentityStatus, ReportedIdentityStatus } from './identity';
export { IDENTITY_STATUSES, REPORTED_IDENTITY_STATUSES } from './identity';
export type { AccountCommand, AccountCommandType, CloseAccount, RegisterBankAccount, ReportIdentityVerification } from './commands';
export type {
  AccountClosed,
  AccountClosedData,
  AccountEvent,
  AccountEventType,
  BankAccountRegistered,
  BankAccountRegisteredData,
  IdentityVerificationReported,
  IdentityVerificationReportedData,
} from './events';
export { ACCOUNT_EVENT_SCHEMA_VERSIONS, isAccountEvent } from './events';
export { ACCOUNT_STREAM_PREFIX, accountStreamId } from './stream';
export type { AccountState, RegisteredBankAccount } from './state';
export { evolveAccount, initialAccountState } from './state';
export { decideAccount } from './decide';
export { requireAccountCloser } from './decide/close-account';
export { accountDecider } from './decider';
export type { ClosureBlocker, ClosureEligibility, ClosureFacts } from './closure';
export { CLOSURE_BLOCKERS, closureBlockers, closureEligibility } from './closure';
export type { ContractClosureFacts, ContractOnRecord, ContractStreamFact } from './closure-from-streams';
export { contractClosureFacts } from './closure-from-streams';
