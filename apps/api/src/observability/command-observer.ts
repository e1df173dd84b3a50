import { DomainError } from '@escrow/domain/shared/domain-error';
import { HttpException } from '@nestjs/common';
import { ConcurrencyConflictError, StaleRevisionError } from '../commands/command-refusals';
import { ProblemError } from '../http/problem';

/**
 * What the command executor tells the metrics about each command it runs: the aggregate, the command and
 * how it ended. Optional, so the executor runs the same without it (unit tests, scripts).
 */
export interface CommandObserver {
  observe(aggregate: string, command: unknown, outcome: Promise<{ kind: 'appended' | 'unchanged' | 'replayed' }>): void;
}

export const COMMAND_OBSERVER = Symbol('COMMAND_OBSERVER');

/** How a command ended, as a metric label: what it did, or the class of the refusal or failure. */
export type CommandOutcomeLabel = 'appended' | 'unchanged' | 'replayed' | 'refused_4xx' | 'failed_5xx';

/**
 * A refusal is the caller's to fix: a decider's refusal, a stale If-Match, contention, a reused key (known by
 * its stable code wherever the class lives). Anything else, the storage being unavailable included, is a
 * failure of the service.
 */
export function outcomeOfError(error: unknown): CommandOutcomeLabel {
  if (error instanceof DomainError || error instanceof StaleRevisionError || error instanceof ConcurrencyConflictError) return 'refused_4xx';
  if ((error as { code?: unknown } | null)?.code === 'IDEMPOTENCY_KEY_REUSED') return 'refused_4xx';
  if (error instanceof ProblemError) return error.status < 500 ? 'refused_4xx' : 'failed_5xx';
  if (error instanceof HttpException) return error.getStatus() < 500 ? 'refused_4xx' : 'failed_5xx';
  return 'failed_5xx';
}

/** The command's `type` (every command of every decider names one), or `unknown`. */
export function commandTypeOf(command: unknown): string {
  const type = (command as { type?: unknown } | null)?.type;
  return typeof type === 'string' && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(type) ? type : 'unknown';
}
