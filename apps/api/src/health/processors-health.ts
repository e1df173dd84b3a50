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

/** A processor running in this process, with the last position of the log it has handled. */
export interface ProcessorPosition {
  name: string;
  kind: 'projection' | 'reactor';
  position: number;
}

export interface ProcessorLag {
  /** `down` when a processor is more than `maxLagEvents` behind the head: its reads or reactions are late. */
  state: 'up' | 'down';
  maxLagEvents: number;
  headPosition: number;
  /** The processors beyond the allowed lag, with their lag. */
  behind: { name: string; kind: ProcessorPosition['kind']; lag: number }[];
  /** Processors that claim positions the log does not have: the log was replaced or rolled back under them. */
  ahead: { name: string; kind: ProcessorPosition['kind']; position: number }[];
}

/**
 * How far the processors running here trail the log's head. A processor beyond the head is an integrity
 * failure, not a lag: the read models describe events this log does not hold.
 */
export function processorLag(headPosition: number, processors: readonly ProcessorPosition[], maxLagEvents: number): ProcessorLag {
  const behind = processors
    .filter((processor) => headPosition - processor.position > maxLagEvents)
    .map(({ name, kind, position }) => ({ name, kind, lag: headPosition - position }));
  const ahead = processors.filter((processor) => processor.position > headPosition).map(({ name, kind, position }) => ({ name, kind, position }));
  return { state: behind.length > 0 ? 'down' : 'up', maxLagEvents, headPosition, behind, ahead };
}
