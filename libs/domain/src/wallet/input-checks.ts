import type { Actor } from '../shared/actor';
import { forbidden, invalid } from '../shared/domain-error';
import { freeText } from '../shared/field-rules';

/** Input checks and actor rules shared by the wallet's deciders. */

export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export const isOneOf = <T>(allowed: readonly T[], value: unknown): value is T => (allowed as readonly unknown[]).includes(value);

export const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

export function refuseFieldErrors(errors: FieldError[]): void {
  if (errors.length === 0) return;
  throw invalid('VALIDATION_FAILED', `Invalid ${errors.map((error) => error.field).join(', ')}.`, { errors });
}

export const required = (field: string, value: unknown): FieldError[] =>
  isNonEmptyString(value) ? [] : [{ field, rule: 'required', message: 'must be a non-empty string' }];

/** Free text (reasons, references) keeps to the shared rule; a missing optional value is not this rule's business. */
export const text = (field: string, value: unknown): FieldError[] => {
  const breach = typeof value === 'string' ? freeText(value, field) : undefined;
  return breach ? [{ field, ...breach }] : [];
};

export const boolean = (field: string, value: unknown): FieldError[] =>
  typeof value === 'boolean' ? [] : [{ field, rule: 'isBoolean', message: 'must be true or false' }];

export function requireRole(actor: Actor, role: Actor['role'], action: string): void {
  if (actor.role !== role) {
    throw forbidden('ACTOR_NOT_ALLOWED', `Only ${role === 'system' ? 'the platform' : role} may ${action}.`, { allowedRole: role, actor });
  }
}

export function requireAccountOwner(actor: Actor, accountId: string, action: string): void {
  if (actor.role !== 'user' || actor.id !== accountId) {
    throw forbidden('ACTOR_NOT_ALLOWED', `Only the account owner may ${action}.`, { allowedActor: { id: accountId, role: 'user' }, actor });
  }
}

export function requireOwnerOrSupport(actor: Actor, accountId: string, action: string): void {
  if ((actor.role !== 'user' || actor.id !== accountId) && actor.role !== 'support') {
    throw forbidden('ACTOR_NOT_ALLOWED', `Only the account owner or support may ${action}.`, {
      allowedActors: [{ id: accountId, role: 'user' }, { role: 'support' }],
      actor,
    });
  }
}
