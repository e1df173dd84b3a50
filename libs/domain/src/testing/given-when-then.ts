import type { Decider, DomainEvent } from '../shared/decider';
import { DomainError, type DomainErrorKind } from '../shared/domain-error';

/**
 * Given/when/then specifications for deciders:
 *
 *   const given = deciderSpec(contractDecider).given;
 *   given([offered, accepted]).when(fund).then([escrowFunded]);
 *   given([]).when(fund).thenThrows('not_found', 'CONTRACT_NOT_FOUND');
 *
 * The state is rebuilt from the given events with the decider's own evolve, and the state and the
 * command are deeply frozen, so a decider or evolve that mutates its input fails the spec.
 */
export interface WhenResult<State, Event> {
  /** The decision produces exactly these events, in this order. */
  then(expected: readonly Event[]): void;
  /** The decision succeeds; the assertion receives its events and the state they lead to. */
  thenAssert(assertion: (events: Event[], stateAfter: State) => void): void;
  /** The decision is refused with a DomainError of this kind and code (and produces nothing). */
  thenThrows(kind: DomainErrorKind, code: string): void;
}

export interface GivenResult<Command, State, Event> {
  when(command: Command): WhenResult<State, Event>;
  /** The state folded from the given events, for assertions on evolve alone. */
  state(): State;
}

export interface DeciderSpecification<Command, State, Event> {
  given(events: readonly Event[]): GivenResult<Command, State, Event>;
}

export const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
};

const describeError = (error: unknown): string =>
  error instanceof DomainError
    ? `DomainError ${error.kind}/${error.code}: ${error.message}`
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);

export const deciderSpec = <Command, State, Event extends DomainEvent>(
  decider: Decider<Command, State, Event>,
): DeciderSpecification<Command, State, Event> => {
  const foldFrozen = (start: State, events: readonly Event[]): State =>
    events.reduce((state, event) => deepFreeze(decider.evolve(state, deepFreeze(event))), deepFreeze(start));

  const given = (events: readonly Event[]): GivenResult<Command, State, Event> => {
    const state = () => foldFrozen(decider.initialState(), events);

    const when = (command: Command): WhenResult<State, Event> => {
      const run = (): { produced: Event[]; stateAfter: State } => {
        const before = state();
        const produced = decider.decide(deepFreeze(command), before);
        return { produced, stateAfter: foldFrozen(before, produced) };
      };

      const runExpectingSuccess = () => {
        try {
          return run();
        } catch (error) {
          throw new Error(`expected the command to succeed, but it was refused: ${describeError(error)}`);
        }
      };

      return {
        then(expected) {
          expect(runExpectingSuccess().produced).toEqual(expected);
        },
        thenAssert(assertion) {
          const { produced, stateAfter } = runExpectingSuccess();
          assertion(produced, stateAfter);
        },
        thenThrows(kind, code) {
          let produced: Event[] | undefined;
          let caught: unknown;
          try {
            produced = run().produced;
          } catch (error) {
            caught = error;
          }
          if (produced !== undefined) {
            throw new Error(
              `expected a ${kind}/${code} refusal, but the command produced ${produced.length} event(s): ` +
                produced.map((event) => event.type).join(', '),
            );
          }
          if (!(caught instanceof DomainError)) {
            throw new Error(`expected a DomainError ${kind}/${code}, got ${describeError(caught)}`);
          }
          expect({ kind: caught.kind, code: caught.code }).toEqual({ kind, code });
        },
      };
    };

    return { when, state };
  };

  return { given };
};
