/**
 * The shape of every aggregate: pure functions with no I/O, no clock and no randomness.
 * Anything time- or id-dependent arrives inside the command.
 */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

export interface Decider<Command, State, Event extends DomainEvent> {
  /** Returns the events that record the command's effect, or throws a DomainError. */
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** The guard of one kind of stream's events, read from its table of current schema versions. */
export const eventGuardOf =
  <Event extends DomainEvent>(schemaVersions: Readonly<Record<Event['type'], number>>) =>
  (event: { type: string }): event is Event =>
    Object.prototype.hasOwnProperty.call(schemaVersions, event.type);

export const fold = <State, Event>(evolve: (s: State, e: Event) => State, initial: State, events: readonly Event[]) =>
  events.reduce(evolve, initial);
