import type { PrizeRefundCause } from '../events';
import { AFTER_DEADLINE, CLIENT, COMPETITION_ID, DRAFTED_AT, SUBMITTED_AT, SUPPORT, WORKER, adopted, command, drafted, given, open, prepaid, submitted } from '../testing/fixtures';

const base = { competitionId: COMPETITION_ID, clientId: CLIENT.id };
const close = (at = AFTER_DEADLINE) => command('CloseCompetition', CLIENT, at, {});
const supportCloses = (at = AFTER_DEADLINE, reason = 'No proposal is a round logo in two colours') => command('CloseWithoutAdoption', SUPPORT, at, { reason });
const closedBy = (by: 'client' | 'support', adoptions: number, at = AFTER_DEADLINE, reason?: string) => ({
  type: 'CompetitionClosed' as const,
  data: { ...base, closedBy: by, ...(reason !== undefined ? { reason } : {}), adoptions, closedAt: at },
});
const refunded = (cause: PrizeRefundCause, reason?: string) => ({
  type: 'CompetitionPrizeRefunded' as const,
  data: { ...base, prizeId: 'prize-1', amount: 50_000, cause, ...(reason !== undefined ? { reason } : {}), escrowAfter: 0 },
});

describe('closing a competition', () => {
  it('closes with nothing to refund once a proposal was adopted, even before the deadline', () => {
    given([...open, submitted('p1'), adopted('p1', 'prize-1')]).when(close()).then([closedBy('client', 1)]);
    given([...open, submitted('p1'), adopted('p1', 'prize-1', WORKER, SUBMITTED_AT)]).when(close(SUBMITTED_AT)).then([closedBy('client', 1, SUBMITTED_AT)]);
  });

  it('refunds the prize of a competition that received no proposal, after its deadline', () => {
    given(open).when(close()).then([closedBy('client', 0), refunded('no_proposals')]);
    given(open).when(close(SUBMITTED_AT)).thenThrows('conflict', 'COMPETITION_DEADLINE_NOT_PASSED');
  });

  it('refunds the prize of a draft never published', () => {
    given([drafted, prepaid()]).when(close(DRAFTED_AT)).then([closedBy('client', 0, DRAFTED_AT), refunded('not_published')]);
    given([drafted]).when(close(DRAFTED_AT)).then([closedBy('client', 0, DRAFTED_AT)]);
  });

  it('does not let the client take the prize back from workers who entered: it must adopt', () => {
    given([...open, submitted('p1')]).when(close()).thenThrows('conflict', 'ADOPTION_REQUIRED');
  });

  it('refunds the prize when support finds, after the deadline, that no proposal met the brief', () => {
    const reason = 'No proposal is a round logo in two colours';
    given([...open, submitted('p1')]).when(supportCloses()).then([closedBy('support', 0, AFTER_DEADLINE, reason), refunded('no_proposal_met_brief', reason)]);
    given([...open, submitted('p1')]).when(supportCloses(SUBMITTED_AT)).thenThrows('conflict', 'COMPETITION_DEADLINE_NOT_PASSED');
    given([...open, submitted('p1')]).when(supportCloses(AFTER_DEADLINE, ' ')).thenThrows('invalid', 'INVALID_REASON');
    given([...open, submitted('p1'), adopted('p1', 'prize-1')]).when(supportCloses()).thenThrows('conflict', 'PROPOSAL_ALREADY_ADOPTED');
    given([...open, submitted('p1')]).when({ ...supportCloses(), actor: CLIENT }).thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('refunds once: a closed competition takes no further command', () => {
    const closedOnce = [...open, closedBy('client', 0), refunded('no_proposals')];
    given(closedOnce).when(close()).thenThrows('conflict', 'COMPETITION_CLOSED');
    given(closedOnce).when(supportCloses()).thenThrows('conflict', 'COMPETITION_CLOSED');
    given(closedOnce).when(command('AdoptProposal', CLIENT, AFTER_DEADLINE, { proposalId: 'p1' })).thenThrows('conflict', 'COMPETITION_CLOSED');
    expect(given(closedOnce).state()).toMatchObject({ status: 'closed', prizes: [{ prizeId: 'prize-1', status: 'refunded', refundCause: 'no_proposals' }] });
  });
});
