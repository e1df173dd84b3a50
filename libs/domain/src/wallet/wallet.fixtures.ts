import type { IdentityStatus } from '../account/identity';
import type { Actor } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import type { AutomaticWithdrawalMode } from './automatic-withdrawal-modes';
import type { CreditFlags, CreditWallet, RequestWithdrawal, WalletCommand } from './commands';
import { walletDecider } from './decider';
import type { WalletEvent } from './events';
import type { WalletState } from './state';

/** Builders for wallet specs: one worker account, its platform, a reviewer. */

export const ACCOUNT_ID = 'acc-worker-1';
export const OWNER: Actor = { id: ACCOUNT_ID, role: 'user' };
export const SETTLEMENT: Actor = { id: 'settlement-job', role: 'system' };
export const GATEWAY: Actor = { id: 'payments-gateway', role: 'system' };
export const REVIEWER: Actor = { id: 'support-tanaka', role: 'support' };

export const NO_FLAGS: CreditFlags = { noDeliverable: false, fastCompletion: false };

export const creditCommand = (
  sourceId: string,
  amount: number,
  at: string,
  flags: Partial<CreditFlags> = {},
  kind: 'payout' | 'refund' = 'payout',
): CreditWallet => ({
  type: 'CreditWallet',
  accountId: ACCOUNT_ID,
  actor: SETTLEMENT,
  at,
  source: { kind, id: sourceId, contractId: `contract-of-${sourceId}`, milestoneId: `milestone-of-${sourceId}` },
  amount,
  flags: { ...NO_FLAGS, ...flags },
});

export interface WithdrawalOptions {
  mode?: 'standard' | 'quick';
  bankCode?: string;
  shared?: boolean;
  identityStatus?: IdentityStatus;
  partnerBankCode?: string;
}

export const withdrawalCommand = (
  withdrawalId: string,
  amount: number,
  at: string,
  options: WithdrawalOptions = {},
): RequestWithdrawal => ({
  type: 'RequestWithdrawal',
  accountId: ACCOUNT_ID,
  actor: OWNER,
  at,
  withdrawalId,
  amount,
  mode: options.mode ?? 'standard',
  bankAccount: { bankAccountId: 'bank-1', bankCode: options.bankCode ?? '0036', fingerprint: 'fp-bank-1' },
  screening: { bankAccountSharedWithOtherAccount: options.shared ?? false, identityStatus: options.identityStatus ?? 'approved' },
  ...(options.partnerBankCode !== undefined ? { partnerBankCode: options.partnerBankCode } : {}),
});

export const approveCommand = (withdrawalId: string, at: string, reason = 'deliverables confirmed in messages'): WalletCommand => ({
  type: 'ApproveWithdrawal',
  accountId: ACCOUNT_ID,
  actor: REVIEWER,
  at,
  withdrawalId,
  reason,
});

export const rejectCommand = (withdrawalId: string, at: string, reason = 'work not evidenced'): WalletCommand => ({
  type: 'RejectWithdrawal',
  accountId: ACCOUNT_ID,
  actor: REVIEWER,
  at,
  withdrawalId,
  reason,
});

export const infoCommand = (withdrawalId: string, at: string, reason = 'please upload the deliverable'): WalletCommand => ({
  type: 'RequestWithdrawalInfo',
  accountId: ACCOUNT_ID,
  actor: REVIEWER,
  at,
  withdrawalId,
  reason,
});

export const paidCommand = (withdrawalId: string, at: string, transferReference?: string): WalletCommand => ({
  type: 'MarkWithdrawalPaid',
  accountId: ACCOUNT_ID,
  actor: GATEWAY,
  at,
  withdrawalId,
  ...(transferReference !== undefined ? { transferReference } : {}),
});

export const failedCommand = (withdrawalId: string, at: string, reason = 'account closed at the bank'): WalletCommand => ({
  type: 'MarkWithdrawalFailed',
  accountId: ACCOUNT_ID,
  actor: GATEWAY,
  at,
  withdrawalId,
  reason,
});

export const expireCommand = (asOf: string, at = asOf): WalletCommand => ({
  type: 'ExpireBalances',
  accountId: ACCOUNT_ID,
  actor: SETTLEMENT,
  at,
  asOf,
});

/** The events a sequence of accepted commands appends; a refusal fails the fixture. */
export function historyOf(commands: readonly WalletCommand[]): WalletEvent[] {
  let state = walletDecider.initialState();
  const history: WalletEvent[] = [];
  for (const command of commands) {
    const events = walletDecider.decide(command, state);
    state = events.reduce(walletDecider.evolve, state);
    history.push(...events);
  }
  return history;
}

/** Decides one command after a history: its events and the state they lead to. */
export function decided(history: readonly WalletEvent[], command: WalletCommand): { events: WalletEvent[]; state: WalletState } {
  const before = history.reduce(walletDecider.evolve, walletDecider.initialState());
  const events = walletDecider.decide(command, before);
  return { events, state: events.reduce(walletDecider.evolve, before) };
}

/** The refusal of a command after a history, to assert on its details; an accepted command fails the spec. */
export function refusalOf(history: readonly WalletEvent[], command: WalletCommand): DomainError {
  try {
    decided(history, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${command.type} to be refused`);
}

export const SCHEDULER: Actor = { id: 'cutoff-scheduler', role: 'system' };

export const chooseModeCommand = (mode: AutomaticWithdrawalMode, at: string, actor: Actor = OWNER): WalletCommand => ({
  type: 'ChooseWithdrawalMode',
  accountId: ACCOUNT_ID,
  actor,
  at,
  mode,
});

export const automaticWithdrawalCommand = (
  cutoff: string,
  at: string,
  options: Omit<WithdrawalOptions, 'mode'> & { noBankAccount?: boolean; actor?: Actor } = {},
): WalletCommand => ({
  type: 'RequestAutomaticWithdrawal',
  accountId: ACCOUNT_ID,
  actor: options.actor ?? SCHEDULER,
  at,
  cutoff,
  bankAccount: options.noBankAccount ? null : { bankAccountId: 'bank-1', bankCode: options.bankCode ?? '0036', fingerprint: 'fp-bank-1' },
  screening: { bankAccountSharedWithOtherAccount: options.shared ?? false, identityStatus: options.identityStatus ?? 'approved' },
  ...(options.partnerBankCode !== undefined ? { partnerBankCode: options.partnerBankCode } : {}),
});
