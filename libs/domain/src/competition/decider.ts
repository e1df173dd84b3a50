import { invalid, unknownCommand } from '../shared/domain-error';
import type { Decider } from '../shared/decider';
import { isInstant } from '../contract/validation';
import type { CompetitionCommand } from './commands';
import { decideAdoptProposal } from './decide/adoption';
import { decideCloseCompetition, decideCloseWithoutAdoption } from './decide/closing';
import { decideDraftCompetition, decidePrepayPrize, decidePublishCompetition } from './decide/drafting';
import { decideSubmitProposal } from './decide/proposals';
import type { CompetitionEvent } from './events';
import { evolveCompetition } from './evolve';
import { type CompetitionState, initialCompetitionState } from './state';

/** Decides the events a competition command produces, or throws a DomainError and produces none. */
export const decideCompetition = (command: CompetitionCommand, state: CompetitionState): CompetitionEvent[] => {
  if (!isInstant(command.at)) {
    const message = 'at must be an ISO-8601 instant with offset';
    throw invalid('INVALID_TIMESTAMP', message, { errors: [{ field: 'at', code: 'INVALID_TIMESTAMP', message }] });
  }
  switch (command.type) {
    case 'DraftCompetition':
      return decideDraftCompetition(command, state);
    case 'PrepayPrize':
      return decidePrepayPrize(command, state);
    case 'PublishCompetition':
      return decidePublishCompetition(command, state);
    case 'SubmitProposal':
      return decideSubmitProposal(command, state);
    case 'AdoptProposal':
      return decideAdoptProposal(command, state);
    case 'CloseCompetition':
      return decideCloseCompetition(command, state);
    case 'CloseWithoutAdoption':
      return decideCloseWithoutAdoption(command, state);
    default:
      throw unknownCommand('competition', command);
  }
};

export const competitionDecider: Decider<CompetitionCommand, CompetitionState, CompetitionEvent> = {
  decide: decideCompetition,
  evolve: evolveCompetition,
  initialState: initialCompetitionState,
};
