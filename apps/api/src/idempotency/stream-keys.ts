import type { RecordedEvent } from '@escrow/event-store/port';
import type { CommandContext } from '../http/command-context';
import { isRetryOf, scopeOfCommand, scopeOfEvent } from './keys';

/** What a command's key means for a stream: a command of its own, a retry of one stored there, or a refused reuse. */
export type KeyMeaning = { kind: 'new' } | { kind: 'retry'; scope: string } | { kind: 'reuse' };

/**
 * The idempotency keys the events of one stream carry, each in its caller's scope with the hash of the request
 * that first used it. Events carry their command's key, so a command that was appended but whose answer was
 * lost is recognised on its retry from the stream itself, whatever happened to anything else.
 */
export class StreamKeys {
  private readonly firstRequestHashes = new Map<string, string | undefined>();

  /** Takes note of the key of an event read from the stream; the first event of a key names its request. */
  learn(event: RecordedEvent): void {
    const scope = scopeOfEvent(event);
    if (scope !== undefined && !this.firstRequestHashes.has(scope)) this.firstRequestHashes.set(scope, event.metadata.requestHash);
  }

  /** Takes note of the key of a command whose events were just appended. */
  record(context: CommandContext): void {
    const scope = scopeOfCommand(context);
    if (scope !== undefined) this.firstRequestHashes.set(scope, context.requestHash);
  }

  meaningOf(context: CommandContext): KeyMeaning {
    const scope = scopeOfCommand(context);
    if (scope === undefined || !this.firstRequestHashes.has(scope)) return { kind: 'new' };
    return isRetryOf(this.firstRequestHashes.get(scope), context) ? { kind: 'retry', scope } : { kind: 'reuse' };
  }
}

/** The events the retried command appended, in stream order, among a stream's events. */
export function eventsOfRetry(recorded: RecordedEvent[], retry: { scope: string }): RecordedEvent[] {
  return recorded.filter((event) => scopeOfEvent(event) === retry.scope);
}
