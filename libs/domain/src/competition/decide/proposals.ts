import { conflict, forbidden } from '../../shared/domain-error';
import { MAX_TITLE_LENGTH } from '../../shared/limits';
import { validate } from '../../contract/validation';
import type { SubmitProposal } from '../commands';
import type { CompetitionProposalSubmitted } from '../events';
import { requireBeforeDeadline, requireCompetition, requireOpenAccount, requireStatus, requireUser } from '../guards';
import { MAX_PROPOSAL_DESCRIPTION_LENGTH, MAX_PROPOSALS, MAX_PROPOSALS_PER_WORKER } from '../limits';
import type { CompetitionState } from '../state';

/** A worker enters a proposal with the work itself, while the competition is open and before its deadline. */
export const decideSubmitProposal = (command: SubmitProposal, state: CompetitionState): CompetitionProposalSubmitted[] => {
  requireCompetition(state);
  requireUser(command.actor);
  if (command.actor.id === state.clientId) throw forbidden('CLIENT_MAY_NOT_PROPOSE', 'the client may not enter its own competition');
  const check = validate()
    .id(command.proposalId, 'proposalId')
    .text(command.title, 'title', 'INVALID_TITLE', MAX_TITLE_LENGTH)
    .optionalText(command.description, 'description', 'INVALID_PROPOSAL_DESCRIPTION', MAX_PROPOSAL_DESCRIPTION_LENGTH)
    .deliverables(command.deliverables, 'deliverables');
  check.check(!Array.isArray(command.deliverables) || command.deliverables.length > 0, 'deliverables', 'INVALID_DELIVERABLES', 'deliverables must name the work proposed (at least one)');
  check.done();
  requireStatus(state, 'open');
  requireBeforeDeadline(state, command.at, 'PROPOSAL_DEADLINE_PASSED');
  requireOpenAccount(command.actor.id, command.closedAccounts, 'WORKER_ACCOUNT_CLOSED');
  if (state.proposals.some((proposal) => proposal.proposalId === command.proposalId)) {
    throw conflict('PROPOSAL_ALREADY_EXISTS', `proposal ${command.proposalId} exists already`, { proposalId: command.proposalId });
  }
  const own = state.proposals.filter((proposal) => proposal.workerId === command.actor.id).length;
  if (own >= MAX_PROPOSALS_PER_WORKER) {
    throw conflict('PROPOSAL_LIMIT_REACHED', `a worker may submit at most ${MAX_PROPOSALS_PER_WORKER} proposals to one competition`, { limit: MAX_PROPOSALS_PER_WORKER });
  }
  if (state.proposals.length >= MAX_PROPOSALS) {
    throw conflict('PROPOSAL_LIMIT_REACHED', `a competition takes at most ${MAX_PROPOSALS} proposals`, { limit: MAX_PROPOSALS });
  }
  return [
    {
      type: 'CompetitionProposalSubmitted',
      data: {
        competitionId: state.competitionId,
        clientId: state.clientId,
        proposalId: command.proposalId,
        workerId: command.actor.id,
        title: command.title,
        ...(command.description !== undefined ? { description: command.description } : {}),
        deliverables: command.deliverables.map((deliverable) => ({
          uri: deliverable.uri,
          ...(deliverable.sha256 !== undefined ? { sha256: deliverable.sha256.toLowerCase() } : {}),
        })),
        submittedAt: command.at,
      },
    },
  ];
};
