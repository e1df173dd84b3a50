import { classifyReactionFailure, type ReactionFailureKind } from '@escrow/projections/runtime/reaction-failure';
import { ConcurrencyConflictError } from '../commands/command-refusals';
import { isPassingAnswer } from '../projections/projection-runtime';

/**
 * Whether waiting may fix a due timer's failed command. A timer refused for good is never issued again and leaves
 * the schedule, so only a decider's refusal (the work was done, or can no longer be) or a reused key may end it.
 * Contention the executor gave up on is passing: otherwise a party writing to its contract (or wallet) when the
 * timer falls due would cancel the payout, the inspection or the cut-off's withdrawal for good.
 */
export function classifyTimerFailure(error: unknown): ReactionFailureKind {
  if (error instanceof ConcurrencyConflictError) return 'passing';
  return classifyReactionFailure(error, isPassingAnswer);
}
