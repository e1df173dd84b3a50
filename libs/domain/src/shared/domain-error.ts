/**
 * Why a command was refused. `kind` decides the HTTP status at the edge (forbidden → 403,
 * conflict → 409, invalid → 400, not_found → 404); `code` is the stable machine code callers
 * branch on (e.g. MILESTONE_NOT_FUNDED).
 */
export type DomainErrorKind = 'forbidden' | 'conflict' | 'invalid' | 'not_found';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const forbidden = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('forbidden', code, message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('conflict', code, message, details);
export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('invalid', code, message, details);

/** A command of a type the decider does not know: the types rule it out, but a caller's data may not keep to them. */
export const unknownCommand = (aggregate: string, command: { type?: unknown }) =>
  invalid('UNKNOWN_COMMAND', `Unknown ${aggregate} command ${String(command.type)}.`);
