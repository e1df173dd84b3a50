import { payoutFigures } from '../../money/fee';
import { getFeeSchedule, payoutFee } from '../../money';
import { conflict } from '../../shared/domain-error';
import { validate } from '../../contract/validation';
import type { AdoptProposal } from '../commands';
import type { CompetitionPrizePrepaid, CompetitionProposalAdopted } from '../events';
import { evolveCompetition } from '../evolve';
import { requireCompetition, requireCompetitionClient, requireOpenAccount, requireProposal, requireStatus } from '../guards';
import { type CompetitionState, escrowOf, unadoptedPrizesOf } from '../state';
import { checkPrepayment, prizePrepaid } from './drafting';

/**
 * The fee of one adoption: a fixed-price payout of the prize counted from ¥0. Each adoption is its own engagement
 * of the client with one worker (as the marketplace contracts each adopted proposal separately), so tiers never carry
 * over from another adoption, even of the same worker.
 */
export const adoptionPayout = (state: Pick<CompetitionState, 'feeScheduleId' | 'taxRate' | 'prizeGross'>) => {
  const schedule = getFeeSchedule(state.feeScheduleId);
  if (!schedule) throw conflict('FEE_SCHEDULE_NOT_FOUND', `fee schedule ${state.feeScheduleId} of the competition is unknown`);
  return payoutFee(schedule, state.taxRate, 0, state.prizeGross);
};

/**
 * The client adopts a proposal and its worker is paid the prize at once. The first adoption is paid from the prize
 * prepaid before publishing; a further one must bring its own prepayment, recorded first in the same decision, so an
 * adoption is never promised without the money in escrow.
 */
export const decideAdoptProposal = (command: AdoptProposal, state: CompetitionState): (CompetitionPrizePrepaid | CompetitionProposalAdopted)[] => {
  requireCompetition(state);
  requireCompetitionClient(state, command.actor);
  const check = validate().id(command.proposalId, 'proposalId');
  if (command.prepayment !== undefined) {
    if (typeof command.prepayment !== 'object' || command.prepayment === null) check.add('prepayment', 'INVALID_PRIZE_PREPAYMENT', 'prepayment must be an object');
    else checkPrepayment(check, command.prepayment, 'prepayment.');
  }
  check.done();
  requireStatus(state, 'open');
  const proposal = requireProposal(state, command.proposalId);
  if (proposal.adoption !== null) {
    throw conflict('PROPOSAL_ALREADY_ADOPTED', `proposal ${proposal.proposalId} has been adopted`, { proposalId: proposal.proposalId });
  }
  requireOpenAccount(state.clientId, command.closedAccounts, 'CLIENT_ACCOUNT_CLOSED');
  requireOpenAccount(proposal.workerId, command.closedAccounts, 'WORKER_ACCOUNT_CLOSED');

  const waiting = unadoptedPrizesOf(state);
  const events: (CompetitionPrizePrepaid | CompetitionProposalAdopted)[] = [];
  if (waiting.length === 0) {
    if (command.prepayment === undefined) {
      throw conflict('PRIZE_PREPAYMENT_REQUIRED', `a further adoption needs its prize of ¥${state.prizeGross} prepaid with it`, { fundingDue: state.prizeGross });
    }
    events.push(prizePrepaid(state, command.prepayment));
  } else if (command.prepayment !== undefined) {
    throw conflict('PRIZE_PREPAYMENT_NOT_DUE', 'the prize prepaid before publishing pays this adoption; no further prepayment is taken');
  }
  const funded = events.reduce(evolveCompetition, state);
  const prize = unadoptedPrizesOf(funded)[0];
  let fee;
  try {
    fee = adoptionPayout(state);
  } catch (error) {
    throw conflict('PAYOUT_BELOW_FEE', `a prize of ¥${state.prizeGross} would not cover its own fee`, { cause: error instanceof Error ? error.message : String(error) });
  }
  events.push({
    type: 'CompetitionProposalAdopted',
    data: {
      competitionId: state.competitionId,
      clientId: state.clientId,
      proposalId: proposal.proposalId,
      prizeId: prize.prizeId,
      workerId: proposal.workerId,
      ...payoutFigures(fee),
      adoptedAt: command.at,
      escrowAfter: escrowOf(funded) - fee.gross,
    },
  });
  return events;
};
