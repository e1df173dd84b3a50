import { evolveHourly } from '../evolve';
import { hourlyStanding, initialHourlyState } from '../state';
import { accepted, CLIENT, offered, PARTIES, WORKER } from '../testing';

const stateAfter = (events: Parameters<typeof evolveHourly>[1][]) => events.reduce(evolveHourly, initialHourlyState());

describe('where an account stands in an hourly contract, for its closure', () => {
  it('holds both parties while the contract is active, and no one else', () => {
    const state = stateAfter([offered, accepted]);
    expect(hourlyStanding(state, CLIENT.id)).toEqual({ openAsClient: true, openAsWorker: false });
    expect(hourlyStanding(state, WORKER.id)).toEqual({ openAsClient: false, openAsWorker: true });
    expect(hourlyStanding(state, 'someone-else')).toEqual({ openAsClient: false, openAsWorker: false });
  });

  it('holds no one back for an offer not yet accepted, which cannot be declined and a closed account cannot accept', () => {
    const state = stateAfter([offered]);
    expect(hourlyStanding(state, CLIENT.id)).toEqual({ openAsClient: false, openAsWorker: false });
    expect(hourlyStanding(state, WORKER.id)).toEqual({ openAsClient: false, openAsWorker: false });
  });

  it('holds no one once the contract has ended', () => {
    const ended = stateAfter([offered, accepted, { type: 'HourlyContractEnded', data: { ...PARTIES, endedAt: '2026-12-01T00:00:00Z' } } as never]);
    expect(ended.status).toBe('ended');
    expect(hourlyStanding(ended, CLIENT.id)).toEqual({ openAsClient: false, openAsWorker: false });
    expect(hourlyStanding(ended, WORKER.id)).toEqual({ openAsClient: false, openAsWorker: false });
  });
});
