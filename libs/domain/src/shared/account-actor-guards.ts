import type { Actor, ActorRole } from './actor';
import { forbidden } from './domain-error';

/**
 * Who may act on an account's own streams (its wallet and its account stream). A wrong actor is refused
 * with `ACTOR_NOT_ALLOWED`, the code clients of these commands branch on; the contract decider answers
 * `ROLE_NOT_ALLOWED` and `NOT_CONTRACT_*` instead (see contract/guards.ts and docs/api.md).
 */

const isOwner = (actor: Actor, accountId: string): boolean => actor.role === 'user' && actor.id === accountId;

const roleName = (role: ActorRole): string => (role === 'system' ? 'the platform' : role);

export function requireRole(actor: Actor, role: ActorRole, action: string): void {
  if (actor.role !== role) {
    throw forbidden('ACTOR_NOT_ALLOWED', `Only ${roleName(role)} may ${action}.`, { allowedRole: role, actor });
  }
}

export function requireAccountOwner(actor: Actor, accountId: string, action: string): void {
  if (!isOwner(actor, accountId)) {
    throw forbidden('ACTOR_NOT_ALLOWED', `Only the account owner may ${action}.`, { allowedActor: { id: accountId, role: 'user' }, actor });
  }
}

export function requireOwnerOrSupport(actor: Actor, accountId: string, action: string): void {
  if (!isOwner(actor, accountId) && actor.role !== 'support') {
    throw forbidden('ACTOR_NOT_ALLOWED', `Only the account owner or support may ${action}.`, {
      allowedActors: [{ id: accountId, role: 'user' }, { role: 'support' }],
      actor,
    });
  }
}
