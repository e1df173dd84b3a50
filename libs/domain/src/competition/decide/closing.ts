import { conflict } from '../../shared/domain-error';
import { validate } from '../../contract/validation';
import type { CloseCompetition, CloseWithoutAdoption } from '../commands';
import type { CompetitionClosed, CompetitionPrizeRefunded, PrizeRefundCause } from '../events';
import { requireCompetition, requireCompetitionClient, requireStatus, requireSupport } from '../guards';
import { adoptionsOf, type CompetitionState, escrowOf, unadoptedPrizesOf } from '../state';

type ClosingEvent = CompetitionClosed | CompetitionPrizeRefunded;

/** Closes the competition and refunds every prize still prepaid and unadopted, once: a closed competition takes no command. */
const closed = (state: CompetitionState, at: string, by: 'client' | 'support', cause: PrizeRefundCause | null, reason?: string): ClosingEvent[] => {
  const base = { competitionId: state.competitionId, clientId: state.clientId };
  const events: ClosingEvent[] = [
    { type: 'CompetitionClosed', data: { ...base, closedBy: by, ...(reason !== undefined ? { reason } : {}), adoptions: adoptionsOf(state), closedAt: at } },
  ];
  if (cause === null) return events;
  let escrow = escrowOf(state);
  for (const prize of unadoptedPrizesOf(state)) {
    escrow -= prize.amount;
    events.push({
      type: 'CompetitionPrizeRefunded',
      data: { ...base, prizeId: prize.prizeId, amount: prize.amount, cause, ...(reason !== undefined ? { reason } : {}), escrowAfter: escrow },
    });
  }
  return events;
};

const requireDeadlinePassed = (state: CompetitionState, at: string): void => {
  if (Date.parse(at) < Date.parse(state.deadline)) {
    throw conflict('COMPETITION_DEADLINE_NOT_PASSED', `without an adoption the competition stays open to proposals until ${state.deadline}`, { deadline: state.deadline });
  }
};

/**
 * The client closes. A draft is abandoned and its prepaid prize refunded (no worker saw it). A published competition
 * closes at any time once a proposal has been adopted (every prize prepaid has then been paid out). Without an
 * adoption it closes only after the deadline, and refunds the prize only when no proposal was submitted: workers who
 * entered did so on the prepaid prize, so the client must adopt one, or support must find that none met the brief.
 */
export const decideCloseCompetition = (command: CloseCompetition, state: CompetitionState): ClosingEvent[] => {
  requireCompetition(state);
  requireCompetitionClient(state, command.actor);
  if (state.status === 'draft') return closed(state, command.at, 'client', 'not_published');
  requireStatus(state, 'open');
  if (adoptionsOf(state) > 0) return closed(state, command.at, 'client', null);
  requireDeadlinePassed(state, command.at);
  if (state.proposals.length > 0) {
    throw conflict('ADOPTION_REQUIRED', 'proposals were submitted on the prepaid prize: adopt one, or ask support to find that none met the brief', {
      proposals: state.proposals.length,
    });
  }
  return closed(state, command.at, 'client', 'no_proposals');
};

/** Support, after the deadline, finds that no proposal met the brief: the competition closes and its prize is refunded. */
export const decideCloseWithoutAdoption = (command: CloseWithoutAdoption, state: CompetitionState): ClosingEvent[] => {
  requireCompetition(state);
  requireSupport(command.actor);
  validate().text(command.reason, 'reason', 'INVALID_REASON').done();
  requireStatus(state, 'open');
  if (adoptionsOf(state) > 0) throw conflict('PROPOSAL_ALREADY_ADOPTED', 'a proposal of this competition has been adopted; its client closes it');
  requireDeadlinePassed(state, command.at);
  return closed(state, command.at, 'support', state.proposals.length === 0 ? 'no_proposals' : 'no_proposal_met_brief', command.reason);
};
