import type { Actor, ActorRole } from '../shared/actor';
import { DomainError, conflict, forbidden, invalid } from '../shared/domain-error';
import { type ContractState, type MilestoneState, findMilestone, partyOf } from './state';
import type { PartyRef } from './view-types';

/** Refusals shared by every lifecycle stage. Each throws; none returns a partial result. */

export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('not_found', code, message, details);

export const requireContract = (state: ContractState): void => {
  if (state.status === 'none') throw notFound('CONTRACT_NOT_FOUND', 'no contract was offered under this id');
};

const requireUserRole = (actor: Actor): void => {
  if (actor.role !== 'user') {
    throw forbidden('ROLE_NOT_ALLOWED', `a ${actor.role} actor may not issue this command`, { role: actor.role });
  }
};

export const requireClient = (state: ContractState, actor: Actor): PartyRef => {
  requireUserRole(actor);
  if (actor.id !== state.clientId) throw forbidden('NOT_CONTRACT_CLIENT', 'only the contract client may do this');
  return { id: actor.id, party: 'client' };
};

export const requireWorker = (state: ContractState, actor: Actor): PartyRef => {
  requireUserRole(actor);
  if (actor.id !== state.workerId) throw forbidden('NOT_CONTRACT_WORKER', 'only the contract worker may do this');
  return { id: actor.id, party: 'worker' };
};

export const requireParty = (state: ContractState, actor: Actor): PartyRef => {
  requireUserRole(actor);
  const party = partyOf(state, actor.id);
  if (!party) throw forbidden('NOT_CONTRACT_PARTY', 'only the client or the worker of the contract may do this');
  return party;
};

export const requireRole = (actor: Actor, allowed: readonly ActorRole[]): void => {
  if (!allowed.includes(actor.role)) {
    throw forbidden('ROLE_NOT_ALLOWED', `only ${allowed.join(' or ')} may issue this command`, { role: actor.role });
  }
};

export const requireOfferOpen = (state: ContractState): void => {
  if (state.status !== 'offered') {
    throw conflict('OFFER_NOT_OPEN', `the offer is no longer open (contract is ${state.status})`, { status: state.status });
  }
};

export const requireActive = (state: ContractState): void => {
  if (state.status !== 'active') {
    throw conflict('CONTRACT_NOT_ACTIVE', `the contract is ${state.status}, not active`, { status: state.status });
  }
};

export const requireMilestone = (state: ContractState, milestoneId: string): MilestoneState => {
  const milestone = findMilestone(state, milestoneId);
  if (!milestone) throw notFound('MILESTONE_NOT_FOUND', `milestone ${milestoneId} is not part of this contract`, { milestoneId });
  return milestone;
};

/** A milestone whose escrow is settled (paid out, refunded or cancelled) takes no further command. */
export const requireOpenMilestone = (milestone: MilestoneState): void => {
  const { milestoneId, closure } = milestone;
  if (closure === 'paid_out') {
    throw conflict('MILESTONE_ALREADY_PAID_OUT', `milestone ${milestoneId} has been paid out`, { milestoneId });
  }
  if (closure !== null) {
    throw conflict('MILESTONE_CLOSED', `milestone ${milestoneId} is ${closure}`, { milestoneId, status: closure });
  }
};

/**
 * A closed account (退会済み) takes part in no new offer, contract or funding. The caller reads the parties'
 * account streams and names the closed ones in the command; the client is judged first.
 */
export const requireOpenAccounts = (
  parties: { clientId: string; workerId: string },
  closedAccounts: readonly string[] | undefined,
): void => {
  if (closedAccounts !== undefined && (!Array.isArray(closedAccounts) || !closedAccounts.every((id) => typeof id === 'string'))) {
    const message = 'closedAccounts must be a list of account ids';
    throw invalid('INVALID_ACCOUNT_ID', message, { errors: [{ field: 'closedAccounts', code: 'INVALID_ACCOUNT_ID', message }] });
  }
  const closed = new Set(closedAccounts ?? []);
  if (closed.has(parties.clientId)) {
    throw conflict('CLIENT_ACCOUNT_CLOSED', `the client's account ${parties.clientId} is closed`, { accountId: parties.clientId });
  }
  if (closed.has(parties.workerId)) {
    throw conflict('WORKER_ACCOUNT_CLOSED', `the worker's account ${parties.workerId} is closed`, { accountId: parties.workerId });
  }
};
