import type { Actor } from '../shared/actor';
import { invalid } from '../shared/domain-error';

/**
 * Index streams hold what a command must know about other streams to decide without a read model. They are
 * written by the service on behalf of the command that changes what they index, so their commands name that
 * command's actor and time; authorisation is that command's decider's business, not the index's.
 */
export interface IndexCommandBase<Type extends string> {
  type: Type;
  actor: Actor;
  /** ISO-8601 instant. */
  at: string;
}

/** Refuses an index entry with an empty identifier, naming every such field. */
export function requireIdentifiers<Command extends object>(command: Command, fields: readonly (keyof Command & string)[]): void {
  const errors = fields
    .filter((field) => typeof command[field] !== 'string' || (command[field] as string).length === 0)
    .map((field) => ({ field, rule: 'required', message: `${field} must be a non-empty string` }));
  if (errors.length > 0) throw invalid('VALIDATION_FAILED', `Invalid ${errors.map((error) => error.field).join(', ')}.`, { errors });
}
