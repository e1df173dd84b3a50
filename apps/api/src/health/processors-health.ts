import type { ReactorState } from '../projections/projection-runtime';

export interface ProcessorsHealth {
  /** `warn` while an event waits parked or a reactor is retrying a passing failure; `ok` otherwise. */
  state: 'ok' | 'warn';
  /** Events parked by every reactor and not resolved yet: the number support watches. */
  parked: number;
  /** Reactors retrying a passing failure right now. */
  retrying: number;
  reactors: Pick<ReactorState, 'name' | 'running' | 'position' | 'failures' | 'lastError' | 'parked'>[];
}

export function processorsHealth(reactors: readonly ReactorState[]): ProcessorsHealth {
  const parked = reactors.reduce((sum, reactor) => sum + reactor.parked, 0);
  const retrying = reactors.filter((reactor) => reactor.failures > 0).length;
  return {
    state: parked > 0 || retrying > 0 ? 'warn' : 'ok',
    parked,
    retrying,
    reactors: reactors.map(({ name, running, position, failures, lastError, parked: parkedEvents }) => ({
      name,
      running,
      position,
      failures,
      lastError,
      parked: parkedEvents,
    })),
  };
}
