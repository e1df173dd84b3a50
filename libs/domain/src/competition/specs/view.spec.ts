import { competitionViewFor, mayReadCompetition, mayReadCompetitionHistory } from '../view';
import { CLIENT, OTHER_WORKER, SUPPORT, WORKER, given, open, submitted } from '../testing/fixtures';

describe('who reads a competition', () => {
  const state = given([...open, submitted('p1'), submitted('p2', OTHER_WORKER)]).state();
  const stranger = { id: 'someone-else', role: 'user' as const };

  it('is its client, every worker who entered it and staff', () => {
    expect([CLIENT, WORKER, OTHER_WORKER, SUPPORT].every((actor) => mayReadCompetition(actor, state))).toBe(true);
    expect(mayReadCompetition(stranger, state)).toBe(false);
  });

  it('shows a worker only their own proposals, the client and staff every one', () => {
    expect(competitionViewFor(state, WORKER)?.proposals.map((proposal) => proposal.proposalId)).toEqual(['p1']);
    expect(competitionViewFor(state, CLIENT)?.proposals.map((proposal) => proposal.proposalId)).toEqual(['p1', 'p2']);
    expect(competitionViewFor(state, SUPPORT)?.proposals.map((proposal) => proposal.proposalId)).toEqual(['p1', 'p2']);
  });

  it('keeps the history, which holds every proposal, to the client and staff', () => {
    expect(mayReadCompetitionHistory(CLIENT, state)).toBe(true);
    expect(mayReadCompetitionHistory(SUPPORT, state)).toBe(true);
    expect(mayReadCompetitionHistory(WORKER, state)).toBe(false);
  });
});
