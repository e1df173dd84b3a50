import { epochMillisOf } from '../calendar/civil-time';
import type { Actor } from '../shared/actor';
import { conflict, forbidden, invalid } from '../shared/domain-error';
import { freeText } from '../shared/field-rules';
import { CLOSURE_BLOCKERS } from './closure';
import type { AccountCommand, CloseAccount, RegisterBankAccount, ReportIdentityVerification } from './commands';
import type { AccountEvent } from './events';
import { REPORTED_IDENTITY_STATUSES } from './identity';
import type { AccountState } from './state';

interface FieldError {
  field: string;
  rule: string;
  message: string;
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

function refuseFieldErrors(errors: FieldError[]): void {
  if (errors.length === 0) return;
  throw invalid('VALIDATION_FAILED', `Invalid ${errors.map((error) => error.field).join(', ')}.`, { errors });
}

const required = (field: string, value: unknown): FieldError[] =>
  isNonEmptyString(value) ? [] : [{ field, rule: 'required', message: 'must be a non-empty string' }];

/** Free text (names, reasons) keeps to the shared rule; a missing optional value is not this rule's business. */
const text = (field: string, value: unknown): FieldError[] => {
  const breach = typeof value === 'string' ? freeText(value, field) : undefined;
  return breach ? [{ field, ...breach }] : [];
};

const digits = (field: string, value: unknown, count: number): FieldError[] =>
  typeof value === 'string' && new RegExp(`^[0-9]{${count}}$`).test(value)
    ? []
    : [{ field, rule: 'digits', message: `must be exactly ${count} digits` }];

const isOwner = (actor: Actor, accountId: string) => actor.role === 'user' && actor.id === accountId;

const ownerOnly = (action: string, accountId: string) =>
  forbidden('ACTOR_NOT_ALLOWED', `Only the account owner may ${action}.`, { allowedActor: { id: accountId, role: 'user' } });

/** All but the last four digits masked: 1234567 → ***4567. */
export const maskAccountNumber = (accountNumber: string): string =>
  '*'.repeat(Math.max(accountNumber.length - 4, 0)) + accountNumber.slice(-4);

function registerBankAccount(command: RegisterBankAccount, state: AccountState): AccountEvent[] {
  if (!isOwner(command.actor, command.accountId)) throw ownerOnly('register a bank account', command.accountId);
  refuseFieldErrors([
    ...required('bankAccountId', command.bankAccountId),
    ...digits('bankCode', command.bankCode, 4),
    ...digits('branchCode', command.branchCode, 3),
    ...digits('accountNumber', command.accountNumber, 7),
    ...required('holderName', command.holderName),
    ...text('holderName', command.holderName),
    ...required('fingerprint', command.fingerprint),
  ]);
  const registered = Object.values(state.bankAccounts).find(
    (bankAccount) => bankAccount.bankAccountId === command.bankAccountId || bankAccount.fingerprint === command.fingerprint,
  );
  if (registered) {
    throw conflict('BANK_ACCOUNT_ALREADY_REGISTERED', `This bank account is already registered as ${registered.bankAccountId}.`, {
      bankAccountId: registered.bankAccountId,
    });
  }
  return [
    {
      type: 'BankAccountRegistered',
      data: {
        accountId: command.accountId,
        bankAccountId: command.bankAccountId,
        bankCode: command.bankCode,
        branchCode: command.branchCode,
        accountNumberMasked: maskAccountNumber(command.accountNumber),
        holderName: command.holderName.trim(),
        fingerprint: command.fingerprint,
      },
    },
  ];
}

function reportIdentityVerification(command: ReportIdentityVerification, state: AccountState): AccountEvent[] {
  if (command.actor.role !== 'system') {
    throw forbidden('ACTOR_NOT_ALLOWED', 'Only the identity verification service reports identity verification.', {
      allowedRole: 'system',
    });
  }
  if (!(REPORTED_IDENTITY_STATUSES as readonly unknown[]).includes(command.status)) {
    refuseFieldErrors([{ field: 'status', rule: 'isIn', message: `must be one of ${REPORTED_IDENTITY_STATUSES.join(', ')}` }]);
  }
  // A repeated report of the same status is a retry of the same fact.
  if (command.status === state.identityStatus) return [];
  return [
    {
      type: 'IdentityVerificationReported',
      data: { accountId: command.accountId, status: command.status, previousStatus: state.identityStatus },
    },
  ];
}

function closeAccount(command: CloseAccount, state: AccountState): AccountEvent[] {
  const { actor } = command;
  if (!isOwner(actor, command.accountId) && actor.role !== 'support') {
    throw forbidden('ACTOR_NOT_ALLOWED', 'Only the account owner or support may close an account.', {
      allowedActors: [{ id: command.accountId, role: 'user' }, { role: 'support' }],
    });
  }
  refuseFieldErrors([
    ...(Array.isArray(command.blockers) && command.blockers.every(isNonEmptyString)
      ? []
      : [{ field: 'blockers', rule: 'isArray', message: 'must be a list of reason codes' }]),
    ...(actor.role === 'support' ? required('reason', command.reason) : []),
    ...text('reason', command.reason),
  ]);
  // The stream knows its own identity status, so a caller with stale facts cannot skip that reason.
  const reasons = new Set<string>(command.blockers);
  if (state.identityStatus === 'submitted') reasons.add('IDENTITY_VERIFICATION_IN_REVIEW');
  if (reasons.size > 0) {
    const known = CLOSURE_BLOCKERS.filter((blocker) => reasons.has(blocker));
    const others = [...reasons].filter((reason) => !(CLOSURE_BLOCKERS as readonly string[]).includes(reason));
    const ordered = [...known, ...others];
    throw conflict('ACCOUNT_CLOSURE_BLOCKED', `The account cannot be closed: ${ordered.join(', ')}.`, { reasons: ordered });
  }
  return [
    {
      type: 'AccountClosed',
      data: {
        accountId: command.accountId,
        closedBy: { id: actor.id, role: actor.role },
        ...(isNonEmptyString(command.reason) ? { reason: command.reason } : {}),
      },
    },
  ];
}

/** The events that record an account command's effect, or a DomainError; an empty list means "already done". */
export function decideAccount(command: AccountCommand, state: AccountState): AccountEvent[] {
  refuseFieldErrors([...required('accountId', command.accountId), ...required('actor.id', command.actor?.id)]);
  epochMillisOf(command.at);
  if (state.accountId !== null && state.accountId !== command.accountId) {
    throw conflict('ACCOUNT_MISMATCH', `This stream belongs to ${state.accountId}, not ${command.accountId}.`, {
      streamAccountId: state.accountId,
      accountId: command.accountId,
    });
  }
  if (state.closed) throw conflict('ACCOUNT_CLOSED', `Account ${command.accountId} is closed.`, { accountId: command.accountId });
  switch (command.type) {
    case 'RegisterBankAccount':
      return registerBankAccount(command, state);
    case 'ReportIdentityVerification':
      return reportIdentityVerification(command, state);
    case 'CloseAccount':
      return closeAccount(command, state);
    default:
      throw invalid('UNKNOWN_COMMAND', `Unknown account command ${(command as { type?: unknown }).type as string}.`);
  }
}
