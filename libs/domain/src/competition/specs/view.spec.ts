import { competitionStanding, competitionViewFor, mayReadCompetition, mayReadCompetitionHistory } from '../view';
import { AFTER_DEADLINE, CLIENT, COMPETITION_ID, OTHER_WORKER, SUPPORT, WORKER, adopted, given, open, submitted } from '../testing/fixtures';

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

describe('where an account stands in a competition, for its closure', () => {
  it('holds the client while a draft or open, and a worker while one of their proposals may still be adopted', () => {
    const openWithProposals = given([...open, submitted('p1'), submitted('p2', OTHER_WORKER), adopted('p2', 'prize-1', OTHER_WORKER)]).state();
    expect(competitionStanding(openWithProposals, CLIENT.id)).toEqual({ openAsClient: true, openAsWorker: false });
    expect(competitionStanding(openWithProposals, WORKER.id)).toEqual({ openAsClient: false, openAsWorker: true });
    expect(competitionStanding(openWithProposals, OTHER_WORKER.id)).toEqual({ openAsClient: false, openAsWorker: false });
    const closed = given([...open, submitted('p1'), adopted('p1', 'prize-1'), { type: 'CompetitionClosed', data: { competitionId: COMPETITION_ID, clientId: CLIENT.id, closedBy: 'client', adoptions: 1, closedAt: AFTER_DEADLINE } }]).state();
    expect(competitionStanding(closed, CLIENT.id)).toEqual({ openAsClient: false, openAsWorker: false });
  });
});
