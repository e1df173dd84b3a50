import type { Actor, ActorRole } from '../shared/actor';
import { conflict, DomainError, forbidden } from '../shared/domain-error';
import type { HourlyState } from './state';

export const requireHourlyContract = (state: HourlyState): void => {
  if (state.status === 'none') throw new DomainError('not_found', 'HOURLY_CONTRACT_NOT_FOUND', 'no hourly contract was offered under this id');
};

const requireUser = (actor: Actor): void => {
  if (actor.role !== 'user') throw forbidden('ROLE_NOT_ALLOWED', `a ${actor.role} actor may not issue this command`, { role: actor.role });
};

export const requireHourlyClient = (state: HourlyState, actor: Actor): void => {
  requireUser(actor);
  if (actor.id !== state.clientId) throw forbidden('NOT_CONTRACT_CLIENT', 'only the contract client may do this');
};

export const requireHourlyWorker = (state: HourlyState, actor: Actor): void => {
  requireUser(actor);
  if (actor.id !== state.workerId) throw forbidden('NOT_CONTRACT_WORKER', 'only the contract worker may do this');
};

export const requireRoleOf = (actor: Actor, allowed: readonly ActorRole[]): void => {
  if (!allowed.includes(actor.role)) throw forbidden('ROLE_NOT_ALLOWED', `a ${actor.role} actor may not issue this command`, { role: actor.role });
};

export const requireHourlyActive = (state: HourlyState): void => {
  if (state.status !== 'active') throw conflict('CONTRACT_NOT_ACTIVE', `the hourly contract is ${state.status}`, { status: state.status });
};
