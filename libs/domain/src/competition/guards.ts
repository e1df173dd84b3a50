import type { Actor } from '../shared/actor';
import { conflict, DomainError, forbidden, invalid } from '../shared/domain-error';
import type { CompetitionState, ProposalState } from './state';

/** Refusals shared by the competition's use cases. Each throws; none returns a partial result. */

export const requireCompetition = (state: CompetitionState): void => {
  if (state.status === 'none') throw new DomainError('not_found', 'COMPETITION_NOT_FOUND', 'no competition was drafted under this id');
};

export const requireUser = (actor: Actor): void => {
  if (actor.role !== 'user') throw forbidden('ROLE_NOT_ALLOWED', `a ${actor.role} actor may not issue this command`, { role: actor.role });
};

export const requireSupport = (actor: Actor): void => {
  if (actor.role !== 'support') throw forbidden('ROLE_NOT_ALLOWED', 'only support may issue this command', { role: actor.role });
};

export const requireCompetitionClient = (state: CompetitionState, actor: Actor): void => {
  requireUser(actor);
  if (actor.id !== state.clientId) throw forbidden('NOT_COMPETITION_CLIENT', 'only the competition client may do this');
};

export const requireStatus = (state: CompetitionState, status: 'draft' | 'open'): void => {
  if (state.status === status) return;
  if (state.status === 'closed') throw conflict('COMPETITION_CLOSED', 'the competition is closed', { status: state.status });
  const code = status === 'draft' ? 'COMPETITION_ALREADY_PUBLISHED' : 'COMPETITION_NOT_PUBLISHED';
  throw conflict(code, `the competition is ${state.status}, not ${status}`, { status: state.status });
};

export const requireBeforeDeadline = (state: CompetitionState, at: string, code: string): void => {
  if (Date.parse(at) >= Date.parse(state.deadline)) {
    throw conflict(code, `the competition's deadline ${state.deadline} has passed`, { deadline: state.deadline });
  }
};

export const requireProposal = (state: CompetitionState, proposalId: string): ProposalState => {
  const proposal = state.proposals.find((each) => each.proposalId === proposalId);
  if (!proposal) throw new DomainError('not_found', 'PROPOSAL_NOT_FOUND', `proposal ${proposalId} was not submitted to this competition`, { proposalId });
  return proposal;
};

/** A closed account (退会済み) takes part in nothing new; the caller reads the account streams and names the closed ones. */
export const requireOpenAccount = (accountId: string, closedAccounts: readonly string[] | undefined, code: 'CLIENT_ACCOUNT_CLOSED' | 'WORKER_ACCOUNT_CLOSED'): void => {
  if (closedAccounts !== undefined && (!Array.isArray(closedAccounts) || !closedAccounts.every((id) => typeof id === 'string'))) {
    const message = 'closedAccounts must be a list of account ids';
    throw invalid('INVALID_ACCOUNT_ID', message, { errors: [{ field: 'closedAccounts', code: 'INVALID_ACCOUNT_ID', message }] });
  }
  if ((closedAccounts ?? []).includes(accountId)) throw conflict(code, `the account ${accountId} is closed`, { accountId });
};

export const requireUnusedPaymentReference = (state: CompetitionState, paymentReference: string): void => {
  if (state.paymentReferences.includes(paymentReference)) {
    throw conflict('PAYMENT_REFERENCE_ALREADY_USED', `payment ${paymentReference} was already recorded`, { paymentReference });
  }
};
