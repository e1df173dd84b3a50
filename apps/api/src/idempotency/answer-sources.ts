import type { CommandContext } from '../http/command-context';

/**
 * For each request's command context, whether every command it ran through the command executor appended
 * events or was recognised as a retry of events already stored: then a later retry of the request is
 * answered by running it again (the executor replays those events), and its record need not keep the body.
 * A command that appended nothing, or failed, leaves the answer to the record. Contexts a handler derives
 * for commands of its own (one per item of a report) are not the request's, so they never count.
 */
const fromEvents = new WeakMap<CommandContext, boolean>();

/** Notes how a command the executor ran under `context` ended; contexts without a key are not recorded, so not noted. */
export function noteCommandOutcome(context: CommandContext, outcome: Promise<{ kind: 'appended' | 'unchanged' | 'replayed' }>): void {
  if (context.idempotencyKey === undefined) return;
  outcome.then(
    (done) => {
      if (fromEvents.get(context) !== false) fromEvents.set(context, done.kind !== 'unchanged');
    },
    () => fromEvents.set(context, false),
  );
}

/** Whether a retry of the request with this context is answered from the events its commands appended. */
export function answeredFromEvents(context: CommandContext): boolean {
  return fromEvents.get(context) === true;
}
