import type { ReactorState } from '../projections/projection-runtime';
import { processorLag, ProcessorPosition, processorsHealth } from './processors-health';

const reactor = (overrides: Partial<ReactorState> = {}): ReactorState => ({
  name: 'wallet-credits',
  position: 120,
  failures: 0,
  lastError: null,
  parked: 0,
  updatedAt: '2026-11-30T00:00:00.000Z',
  running: true,
  ...overrides,
});

describe('processorsHealth', () => {
  it('is ok while nothing is parked and nothing is retried', () => {
    expect(processorsHealth([reactor()])).toEqual({
      state: 'ok',
      parked: 0,
      retrying: 0,
      reactors: [{ name: 'wallet-credits', running: true, position: 120, failures: 0, lastError: null, parked: 0 }],
    });
    expect(processorsHealth([]).state).toBe('ok');
  });

  it('warns with the parked count of every reactor together', () => {
    const health = processorsHealth([reactor({ parked: 2 }), reactor({ name: 'mailer', parked: 1, running: false })]);
    expect(health).toMatchObject({ state: 'warn', parked: 3, retrying: 0 });
  });

  it('warns about a reactor stuck on a passing failure, with its failures in a row and last error', () => {
    const health = processorsHealth([reactor({ failures: 7, lastError: 'The SQLite event store cannot write right now (SQLITE_FULL)' })]);
    expect(health).toMatchObject({ state: 'warn', parked: 0, retrying: 1 });
    expect(health.reactors[0]).toMatchObject({ failures: 7, lastError: 'The SQLite event store cannot write right now (SQLITE_FULL)' });
  });
});

describe('processorLag', () => {
  const processors: ProcessorPosition[] = [
    { name: 'ledger', kind: 'projection', position: 90 },
    { name: 'wallet-credits', kind: 'reactor', position: 100 },
  ];

  it('is up while every processor is within the allowed lag, the limit included', () => {
    expect(processorLag(100, processors, 10)).toEqual({ state: 'up', maxLagEvents: 10, headPosition: 100, behind: [], ahead: [] });
  });

  it('is down naming each processor beyond the allowed lag, with its lag', () => {
    expect(processorLag(101, processors, 10)).toMatchObject({ state: 'down', behind: [{ name: 'ledger', kind: 'projection', lag: 11 }] });
    expect(processorLag(100, processors, 0).behind.map((processor) => processor.name)).toEqual(['ledger']);
  });

  it('names the processors beyond the head of the log apart from the lag', () => {
    expect(processorLag(95, processors, 10)).toMatchObject({ state: 'up', ahead: [{ name: 'wallet-credits', kind: 'reactor', position: 100 }] });
  });
});
