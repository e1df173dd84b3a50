import { Inject, Injectable, Optional } from '@nestjs/common';
import type { DomainEvent } from '@escrow/domain/shared/decider';
import { DomainError } from '@escrow/domain/shared/domain-error';
import { AppendResult, EVENT_STORE, EventStore, EventToAppend, ExpectedRevision, RecordedEvent, WrongExpectedRevisionError } from '@escrow/event-store/port';
import type { CommandContext } from '../http/command-context';
import { eventsOfRetry, IdempotencyKeyReusedError, noteCommandOutcome, StreamKeys } from '../idempotency';
import { COMMAND_OBSERVER, CommandObserver } from '../observability/command-observer';
import type { AggregateDefinition } from './aggregate';
import { ConcurrencyConflictError, StaleRevisionError } from './command-refusals';
import { eventEnvelope } from './envelope';
import { FoldFreshness } from './fold-freshness';
import { HeadPerTurn } from './head-per-turn';
import { revisionConditionHolds } from './revision-condition';

export interface CommandOutcome<State> {
  state: State;
  /** Stream revision after the command (-1 when the stream still does not exist). */
  revision: number;
  /** Global position of the command's last event (or of the stream's last event when it appended nothing). */
  position: number;
  appended: RecordedEvent[] | EventToAppend[];
  /** `appended`: new events; `unchanged`: the decider found nothing to record; `replayed`: a retry of a command already stored. */
  kind: 'appended' | 'unchanged' | 'replayed';
  /** True when this is a retry of a command whose events were already stored. */
  replayed: boolean;
}

export interface CommandOptions<Event> {
  /** Runs after a decision and before its append (again on every retry); throwing refuses the command. */
  beforeAppend?: (events: Event[]) => Promise<void>;
  /**
   * The decision holds whatever else is appended to the stream meanwhile (an index that only gathers
   * entries, which its readers take as a set): append without an expected revision, so that any number of
   * concurrent writers never conflict, and no caller can starve another by writing to the same stream.
   */
  anyRevision?: boolean;
}

/** Optimistic-concurrency retries for commands without If-Match before giving up with a 409. */
const MAX_ATTEMPTS = 8;

/** How many streams keep their folded state in memory between commands. */
const CACHED_STREAMS = 1000;

/** A stream folded up to `revision`, with the idempotency keys its events carry. */
interface FoldedStream {
  revision: number;
  /** Global position of the event at `revision` (0 when the stream does not exist). */
  position: number;
  state: unknown;
  /** The idempotency keys the stream's events carry. */
  keys: StreamKeys;
  /** The store's committed head when the fold was known to hold every event of its stream. */
  checkedThrough: number;
}

/** The executor's appends to one stream whose results are not all handled yet. */
interface AppendsInFlight {
  count: number;
  /** Highest position of those handled so far. */
  highestPosition: number;
}

/**
 * Load → decide → append with the expected revision. Without If-Match a conflict re-runs the decision on
 * fresh state; with If-Match a stale revision is a 412. What a command's Idempotency-Key means for the stream
 * (a retry of a command stored there, a reuse, or new) is the idempotency module's answer from the keys the
 * stream's events carry, so a crash between append and reply doubles nothing.
 *
 * Folded states are cached per stream. A command reads the stream's tail from the store after the cached
 * revision unless the store's committed head shows that nothing but this executor's own appends happened
 * since the fold was checked (`FoldFreshness`, for stores that tell their head at once), so a change made
 * elsewhere (another process, another replica) is always seen before deciding; the expected revision on
 * append guards the rest.
 */
@Injectable()
export class CommandExecutor {
  private readonly folded = new Map<string, FoldedStream>();
  private readonly appending = new Map<string, AppendsInFlight>();
  private readonly freshness: FoldFreshness | undefined;
  private readonly head: HeadPerTurn | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(COMMAND_OBSERVER) private readonly observer?: CommandObserver,
  ) {
    if (store.committedHeadPosition !== undefined) {
      const committedHead = () => store.committedHeadPosition!();
      this.head = new HeadPerTurn(committedHead);
      this.freshness = new FoldFreshness(committedHead);
    }
  }

  execute<Command, State, Event extends DomainEvent>(
    aggregate: AggregateDefinition<Command, State, Event>,
    streamId: string,
    command: Command,
    context: CommandContext,
    options: CommandOptions<Event> = {},
  ): Promise<CommandOutcome<State>> {
    const outcome = this.decideAndAppend(aggregate, streamId, command, context, options);
    this.observer?.observe(aggregate.name, command, outcome);
    noteCommandOutcome(context, outcome);
    return outcome;
  }

  private async decideAndAppend<Command, State, Event extends DomainEvent>(
    aggregate: AggregateDefinition<Command, State, Event>,
    streamId: string,
    command: Command,
    context: CommandContext,
    options: CommandOptions<Event>,
  ): Promise<CommandOutcome<State>> {
    for (let attempt = 1; ; attempt++) {
      // A decision may use the head of this turn: the expected revision on append catches what it misses.
      const current = await this.current(aggregate, streamId, this.head?.read);
      const { revision } = current;

      const key = current.keys.meaningOf(context);
      if (key.kind === 'reuse') throw new IdempotencyKeyReusedError();
      if (key.kind === 'retry') return this.replay(aggregate, streamId, key);

      const state = current.state as State;
      if (context.ifMatch !== undefined && !revisionConditionHolds(context.ifMatch, revision)) {
        // The stream's revision is only told to an actor the command is for: a stranger learns nothing from a 412.
        refuseForbiddenActor(aggregate, command, state);
        throw new StaleRevisionError(context.ifMatch, revision);
      }

      const decided = aggregate.decider.decide(command, state);
      if (decided.length === 0) {
        return { state, revision, position: current.position, appended: [], kind: 'unchanged', replayed: false };
      }

      await options.beforeAppend?.(decided);
      const toAppend = decided.map((event, index) => eventEnvelope(aggregate.schemaVersions, streamId, revision + 1 + index, event, context));
      const inFlight = this.appendStarted(streamId);
      try {
        const result = await this.appendCounted(streamId, toAppend, options.anyRevision ? 'any' : revision === -1 ? 'no_stream' : revision);
        const newState = decided.reduce(aggregate.decider.evolve, state);
        // Another append of this executor to the stream landed after this one: the fold would miss its events.
        const overtaken = result.position < inFlight.highestPosition;
        inFlight.highestPosition = Math.max(inFlight.highestPosition, result.position);
        if (overtaken || result.nextExpectedRevision !== revision + decided.length) {
          // Others appended in between: the fold misses their events, so the next command reads the stream afresh.
          this.folded.delete(streamId);
          return { state: newState, revision: result.nextExpectedRevision, position: result.position, appended: toAppend, kind: 'appended', replayed: false };
        }
        this.remember(streamId, current, { revision: result.nextExpectedRevision, position: result.position, state: newState, checkedThrough: result.position }, context);
        return { state: newState, revision: result.nextExpectedRevision, position: result.position, appended: toAppend, kind: 'appended', replayed: false };
      } catch (error) {
        // Whatever the store knows that the fold does not, the next attempt reads the stream's tail.
        const cached = this.folded.get(streamId);
        if (cached !== undefined) cached.checkedThrough = -1;
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        // With If-Match the next round answers 412, unless the stream now holds this very command (a racing retry).
        if (attempt >= MAX_ATTEMPTS) {
          throw context.ifMatch !== undefined && !revisionConditionHolds(context.ifMatch, error.actual)
            ? new StaleRevisionError(context.ifMatch, error.actual)
            : new ConcurrencyConflictError(streamId);
        }
      } finally {
        this.appendEnded(streamId, inFlight);
      }
    }
  }

  /** Appends, telling the fold freshness which positions are the executor's own. */
  private async appendCounted(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.freshness?.appendStarted();
    let result: AppendResult;
    try {
      result = await this.store.append(streamId, events, expected);
    } catch (error) {
      this.head?.forget();
      this.freshness?.appendFailed();
      throw error;
    }
    this.head?.forget();
    this.freshness?.appended(result.position - events.length + 1, result.position);
    return result;
  }

  private appendStarted(streamId: string): AppendsInFlight {
    let inFlight = this.appending.get(streamId);
    if (inFlight === undefined) this.appending.set(streamId, (inFlight = { count: 0, highestPosition: 0 }));
    inFlight.count++;
    return inFlight;
  }

  private appendEnded(streamId: string, inFlight: AppendsInFlight): void {
    if (--inFlight.count === 0) this.appending.delete(streamId);
  }

  /**
   * The one way to a stream's state: its cached fold brought up to date with the events appended since,
   * with its revision and the global position of its last event; undefined when the stream does not exist.
   */
  async read<Command, State, Event extends DomainEvent>(
    aggregate: AggregateDefinition<Command, State, Event>,
    streamId: string,
  ): Promise<{ state: State; revision: number; position: number } | undefined> {
    const current = await this.current(aggregate, streamId);
    return current.revision < 0 ? undefined : { state: current.state as State, revision: current.revision, position: current.position };
  }

  /** A stream's events as stored (not upcast), up to and including `throughRevision` when given. */
  async history(streamId: string, options: { throughRevision?: number } = {}): Promise<RecordedEvent[]> {
    const { throughRevision } = options;
    return this.store.readStream(streamId, throughRevision === undefined ? undefined : { maxCount: throughRevision + 1 });
  }

  /**
   * The cached fold of a stream brought up to date with the events appended after it, as of the committed head
   * (or of `headOfTurn`, for a decision).
   */
  private async current<Command, State, Event extends DomainEvent>(
    aggregate: AggregateDefinition<Command, State, Event>,
    streamId: string,
    headOfTurn?: () => number,
  ): Promise<FoldedStream> {
    const cached = this.folded.get(streamId);
    const checkedThrough = this.freshness?.look(headOfTurn) ?? 0;
    // While an own append to the stream is in flight, its outcome is not in the fold yet.
    if (cached !== undefined && this.freshness?.trusts(cached.checkedThrough) === true && !this.appending.has(streamId)) return cached;
    const tail = await this.store.readStream(streamId, cached ? { fromRevision: cached.revision + 1 } : undefined);
    if (cached && tail.length === 0) {
      cached.checkedThrough = checkedThrough;
      return cached;
    }
    let state = (cached?.state as State | undefined) ?? aggregate.decider.initialState();
    // Keys only ever grow with events that are in the store, so they are shared with older folds, not copied.
    const keys = cached?.keys ?? new StreamKeys();
    for (const event of tail) {
      state = aggregate.decider.evolve(state, aggregate.upcast(event));
      keys.learn(event);
    }
    const last = tail.at(-1);
    const fresh: FoldedStream = { revision: last?.revision ?? -1, position: last?.position ?? 0, state, keys, checkedThrough };
    // A stream that does not exist yet is cached too where the store's head tells when someone creates it.
    if (last !== undefined || this.freshness !== undefined) this.cache(streamId, fresh);
    return fresh;
  }

  /** Caches the fold after a command's own append, with its key. */
  private remember(streamId: string, before: FoldedStream, after: Omit<FoldedStream, 'keys'>, context: CommandContext): void {
    before.keys.record(context);
    this.cache(streamId, { ...after, keys: before.keys });
  }

  private cache(streamId: string, folded: FoldedStream): void {
    // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
    this.folded.delete(streamId);
    this.folded.set(streamId, folded);
    if (this.folded.size > CACHED_STREAMS) this.folded.delete(this.folded.keys().next().value as string);
  }

  /** The answer of an earlier command with this key: the state as of its last event. */
  private async replay<Command, State, Event extends DomainEvent>(
    aggregate: AggregateDefinition<Command, State, Event>,
    streamId: string,
    retry: { scope: string },
  ): Promise<CommandOutcome<State>> {
    const recorded = await this.store.readStream(streamId);
    const earlier = eventsOfRetry(recorded, retry);
    const last = earlier[earlier.length - 1];
    return {
      state: foldEvents(aggregate, recorded.slice(0, last.revision + 1)),
      revision: last.revision,
      position: last.position,
      appended: earlier,
      kind: 'replayed',
      replayed: true,
    };
  }
}

function foldEvents<Command, State, Event extends DomainEvent>(aggregate: AggregateDefinition<Command, State, Event>, recorded: RecordedEvent[]): State {
  let state = aggregate.decider.initialState();
  for (const event of recorded) state = aggregate.decider.evolve(state, aggregate.upcast(event));
  return state;
}

/** Throws the decider's refusal when it refuses the command's actor; any other outcome is left to the caller. */
function refuseForbiddenActor<Command, State, Event extends DomainEvent>(
  aggregate: AggregateDefinition<Command, State, Event>,
  command: Command,
  state: State,
): void {
  try {
    aggregate.decider.decide(command, state);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'forbidden') throw error;
  }
}
