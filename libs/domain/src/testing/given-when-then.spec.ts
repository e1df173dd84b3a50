import type { Decider, DomainEvent } from '../shared/decider';
import { conflict } from '../shared/domain-error';
import { deciderSpec, deepFreeze } from './given-when-then';

type Added = DomainEvent<'Added', { amount: number }>;
interface Add {
  amount: number;
}
interface Total {
  total: number;
  history: number[];
}

const counter: Decider<Add, Total, Added> = {
  decide: (command, state) => {
    if (state.total + command.amount > 10) throw conflict('LIMIT_EXCEEDED', 'over ten');
    if (command.amount < 0) throw new Error('not a domain refusal');
    return [{ type: 'Added', data: { amount: command.amount } }];
  },
  evolve: (state, event) => ({ total: state.total + event.data.amount, history: [...state.history, event.data.amount] }),
  initialState: () => ({ total: 0, history: [] }),
};

const mutatingCounter: Decider<Add, Total, Added> = {
  ...counter,
  decide: (command, state) => {
    state.history.push(command.amount);
    return [{ type: 'Added', data: { amount: command.amount } }];
  },
};

describe('given/when/then', () => {
  const { given } = deciderSpec(counter);

  it('passes when the decision produces exactly the expected events', () => {
    given([{ type: 'Added', data: { amount: 4 } }])
      .when({ amount: 5 })
      .then([{ type: 'Added', data: { amount: 5 } }]);
  });

  it('fails when the events differ', () => {
    expect(() =>
      given([])
        .when({ amount: 5 })
        .then([{ type: 'Added', data: { amount: 6 } }]),
    ).toThrow();
  });

  it('passes thenThrows on the matching refusal and fails on any other outcome', () => {
    const full = given([{ type: 'Added', data: { amount: 8 } }]);
    full.when({ amount: 3 }).thenThrows('conflict', 'LIMIT_EXCEEDED');
    expect(() => full.when({ amount: 3 }).thenThrows('conflict', 'OTHER_CODE')).toThrow();
    expect(() => full.when({ amount: 3 }).thenThrows('forbidden', 'LIMIT_EXCEEDED')).toThrow();
    expect(() => full.when({ amount: 1 }).thenThrows('conflict', 'LIMIT_EXCEEDED')).toThrow(/produced 1 event/);
    expect(() => given([]).when({ amount: -1 }).thenThrows('conflict', 'LIMIT_EXCEEDED')).toThrow(/expected a DomainError/);
  });

  it('reports a refusal where success was expected', () => {
    expect(() =>
      given([{ type: 'Added', data: { amount: 10 } }])
        .when({ amount: 1 })
        .then([]),
    ).toThrow(/LIMIT_EXCEEDED/);
  });

  it('hands thenAssert the events and the state they lead to', () => {
    given([{ type: 'Added', data: { amount: 2 } }])
      .when({ amount: 3 })
      .thenAssert((events, state) => {
        expect(events).toHaveLength(1);
        expect(state).toEqual({ total: 5, history: [2, 3] });
      });
  });

  it('catches a decider that mutates its state', () => {
    expect(() =>
      deciderSpec(mutatingCounter)
        .given([])
        .when({ amount: 1 })
        .then([{ type: 'Added', data: { amount: 1 } }]),
    ).toThrow(/succeed|read only|not extensible/i);
  });

  it('deepFreeze freezes nested objects', () => {
    const value = deepFreeze({ outer: { inner: [1, 2] } });
    expect(Object.isFrozen(value.outer.inner)).toBe(true);
  });
});
