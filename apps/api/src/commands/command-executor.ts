import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { DomainEvent } from '@escrow/domain/shared/decider';
import { EVENT_STORE, EventStore, EventToAppend, RecordedEvent, WrongExpectedRevisionError } from '@escrow/event-store/port';
import { CommandContext, uuidFromHex } from '../http/command-context';
import { idempotencyKeyReused, ProblemError } from '../http/problem';
import type { AggregateDefinition } from './aggregate';

export interface CommandOutcome<State> {
  state: State;
  /** Stream revision after the command (-1 when the stream still does not exist). */
  revision: number;
  /** Global position of the command's last event (or of the stream's last event when it appended nothing). */
  position: number;
  appended: RecordedEvent[] | EventToAppend[];
  /** True when this is a retry of a command whose events were already stored. */
  replayed: boolean;
}

/** Optimistic-concurrency retries for commands without If-Match before giving up with a 409. */
const MAX_ATTEMPTS = 8;

/**
 * Load → decide → append with the expected revision. Without If-Match a conflict re-runs the decision on
 * fresh state; with If-Match a stale revision is a 412. A retried command (same Idempotency-Key) is
 * recognised by its events, which carry the key, so a crash between append and reply doubles nothing.
 */
@Injectable()
export class CommandExecutor {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute<Command, State, Event extends DomainEvent>(
    aggregate: AggregateDefinition<Command, State, Event>,
    streamId: string,
    command: Command,
    context: CommandContext,
  ): Promise<CommandOutcome<State>> {
    for (let attempt = 1; ; attempt++) {
      const recorded = await this.store.readStream(streamId);
      const revision = recorded.length - 1;

      const earlier = context.idempotencyKey ? recorded.filter((e) => e.metadata.idempotencyKey === context.idempotencyKey) : [];
      if (earlier.length > 0) {
        if (earlier[0].metadata.requestHash !== context.requestHash) throw idempotencyKeyReused();
        const last = earlier[earlier.length - 1];
        return {
          state: this.fold(aggregate, recorded.slice(0, last.revision + 1)),
          revision: last.revision,
          position: last.position,
          appended: earlier,
          replayed: true,
        };
      }

      if (context.ifMatch !== undefined && context.ifMatch !== revision) throw staleRevision(context.ifMatch, revision);

      const state = this.fold(aggregate, recorded);
      const decided = aggregate.decider.decide(command, state);
      if (decided.length === 0) {
        return { state, revision, position: recorded.at(-1)?.position ?? 0, appended: [], replayed: false };
      }

      const toAppend = decided.map((event, index) => this.envelope(aggregate, streamId, revision + 1 + index, event, context));
      try {
        const result = await this.store.append(streamId, toAppend, revision === -1 ? 'no_stream' : revision);
        const newState = decided.reduce(aggregate.decider.evolve, state);
        return { state: newState, revision: result.nextExpectedRevision, position: result.position, appended: toAppend, replayed: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (context.ifMatch !== undefined) throw staleRevision(context.ifMatch, error.actual);
        if (attempt >= MAX_ATTEMPTS) throw tooMuchContention(streamId);
      }
    }
  }

  /** Current state of a stream, or undefined when it does not exist. */
  async load<Command, State, Event extends DomainEvent>(
    aggregate: AggregateDefinition<Command, State, Event>,
    streamId: string,
  ): Promise<{ state: State; revision: number; events: RecordedEvent[] } | undefined> {
    const recorded = await this.store.readStream(streamId);
    if (recorded.length === 0) return undefined;
    return { state: this.fold(aggregate, recorded), revision: recorded.length - 1, events: recorded };
  }

  fold<Command, State, Event extends DomainEvent>(aggregate: AggregateDefinition<Command, State, Event>, recorded: RecordedEvent[]): State {
    let state = aggregate.decider.initialState();
    for (const event of recorded) state = aggregate.decider.evolve(state, aggregate.upcast(event));
    return state;
  }

  private envelope<Event extends DomainEvent>(
    aggregate: AggregateDefinition<unknown, unknown, Event>,
    streamId: string,
    revision: number,
    event: Event,
    context: CommandContext,
  ): EventToAppend {
    return {
      id: context.idempotencyKey ? deterministicEventId(context.idempotencyKey, streamId, revision) : randomUUID(),
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: {
        schemaVersion: aggregate.schemaVersions[event.type] ?? 1,
        occurredAt: context.at,
        actor: context.actor,
        correlationId: context.correlationId,
        causationId: context.causationId ?? context.requestId,
        ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey, requestHash: context.requestHash } : {}),
      },
    };
  }
}

/** A UUID (version 8, name-based) derived from the command's key and the event's place in its stream. */
export function deterministicEventId(idempotencyKey: string, streamId: string, revision: number): string {
  return uuidFromHex(createHash('sha256').update(`${idempotencyKey}\u0000${streamId}\u0000${revision}`).digest('hex'));
}

const staleRevision = (expected: number, actual: number) =>
  new ProblemError(412, 'STALE_REVISION', 'Precondition failed', `If-Match names revision ${expected} but the stream is at ${actual}.`, {
    expectedRevision: expected,
    currentRevision: actual,
  });

const tooMuchContention = (streamId: string) =>
  new ProblemError(409, 'CONCURRENCY_CONFLICT', 'Conflict with the current state', `Too many concurrent changes to ${streamId}; retry the command.`);
