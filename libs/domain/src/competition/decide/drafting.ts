import { consumptionTaxRateAt, defaultFeeScheduleAt, getFeeSchedule, grossOf } from '../../money';
import { conflict } from '../../shared/domain-error';
import { MAX_GATEWAY_REFERENCE_LENGTH, MAX_TITLE_LENGTH } from '../../shared/limits';
import { validate, type Validation } from '../../contract/validation';
import type { DraftCompetition, PrepayPrize, PrizePrepayment, PublishCompetition } from '../commands';
import type { CompetitionDrafted, CompetitionPrizePrepaid, CompetitionPublished } from '../events';
import {
  requireBeforeDeadline,
  requireCompetition,
  requireCompetitionClient,
  requireOpenAccount,
  requireStatus,
  requireUnusedPaymentReference,
  requireUser,
} from '../guards';
import { MAX_BRIEF_LENGTH } from '../limits';
import { type CompetitionState, escrowOf, nextPrizeId } from '../state';

export const decideDraftCompetition = (command: DraftCompetition, state: CompetitionState): CompetitionDrafted[] => {
  requireUser(command.actor);
  const check = validate()
    .id(command.competitionId, 'competitionId')
    .text(command.title, 'title', 'INVALID_TITLE', MAX_TITLE_LENGTH)
    .text(command.brief, 'brief', 'INVALID_BRIEF', MAX_BRIEF_LENGTH)
    .milestoneAmount(command.prize, 'prize')
    .instant(command.deadline, 'deadline');
  if (command.feeScheduleId !== undefined) {
    check.check(typeof command.feeScheduleId === 'string' && getFeeSchedule(command.feeScheduleId) !== undefined, 'feeScheduleId', 'UNKNOWN_FEE_SCHEDULE', 'feeScheduleId names no known fee schedule');
  }
  check.done();
  if (state.status !== 'none') throw conflict('COMPETITION_ALREADY_EXISTS', `competition ${command.competitionId} exists already`);
  if (Date.parse(command.deadline) <= Date.parse(command.at)) {
    throw conflict('COMPETITION_DEADLINE_NOT_IN_FUTURE', 'the deadline must be after the competition is drafted', { deadline: command.deadline });
  }
  requireOpenAccount(command.actor.id, command.closedAccounts, 'CLIENT_ACCOUNT_CLOSED');
  // The tax rate and the fee schedule are fixed when drafted: the prepayment, made before publishing, pays this gross.
  const taxRate = consumptionTaxRateAt(command.at);
  const schedule = command.feeScheduleId !== undefined ? getFeeSchedule(command.feeScheduleId)! : defaultFeeScheduleAt(command.at);
  return [
    {
      type: 'CompetitionDrafted',
      data: {
        competitionId: command.competitionId,
        clientId: command.actor.id,
        title: command.title,
        brief: command.brief,
        prize: command.prize,
        prizeGross: grossOf(command.prize, taxRate),
        taxRate,
        feeScheduleId: schedule.id,
        deadline: command.deadline,
        draftedAt: command.at,
      },
    },
  ];
};

/** Checks a prepayment's fields under `field` (empty for the command's own). */
export const checkPrepayment = (check: Validation, prepayment: Partial<PrizePrepayment>, prefix = ''): Validation => {
  check
    .text(prepayment.paymentReference, `${prefix}paymentReference`, 'INVALID_PAYMENT_REFERENCE', MAX_GATEWAY_REFERENCE_LENGTH)
    .paymentMethod(prepayment.method, `${prefix}method`);
  if (prepayment.amount !== undefined) check.positiveYen(prepayment.amount, `${prefix}amount`);
  return check;
};

/** The prepayment of the next prize, exactly its gross, from a payment not used before. */
export const prizePrepaid = (state: CompetitionState, prepayment: PrizePrepayment): CompetitionPrizePrepaid => {
  if (prepayment.amount !== undefined && prepayment.amount !== state.prizeGross) {
    throw conflict('PRIZE_AMOUNT_MISMATCH', `a prize must be prepaid exactly ¥${state.prizeGross}`, { expected: state.prizeGross, received: prepayment.amount });
  }
  requireUnusedPaymentReference(state, prepayment.paymentReference);
  return {
    type: 'CompetitionPrizePrepaid',
    data: {
      competitionId: state.competitionId,
      clientId: state.clientId,
      prizeId: nextPrizeId(state),
      amount: state.prizeGross,
      paymentReference: prepayment.paymentReference,
      method: prepayment.method,
      escrowAfter: escrowOf(state) + state.prizeGross,
    },
  };
};

/** The first prize is prepaid (仮払い) before publishing; further prizes come with the adoptions they pay. */
export const decidePrepayPrize = (command: PrepayPrize, state: CompetitionState): CompetitionPrizePrepaid[] => {
  requireCompetition(state);
  requireCompetitionClient(state, command.actor);
  checkPrepayment(validate(), command).done();
  requireStatus(state, 'draft');
  requireOpenAccount(state.clientId, command.closedAccounts, 'CLIENT_ACCOUNT_CLOSED');
  if (state.prizes.length > 0) throw conflict('PRIZE_ALREADY_PREPAID', 'the prize is prepaid already');
  return [prizePrepaid(state, command)];
};

export const decidePublishCompetition = (command: PublishCompetition, state: CompetitionState): CompetitionPublished[] => {
  requireCompetition(state);
  requireCompetitionClient(state, command.actor);
  requireStatus(state, 'draft');
  if (state.prizes.length === 0) throw conflict('PRIZE_NOT_PREPAID', 'the prize must be prepaid before the competition is published');
  requireBeforeDeadline(state, command.at, 'COMPETITION_DEADLINE_PASSED');
  return [{ type: 'CompetitionPublished', data: { competitionId: state.competitionId, clientId: state.clientId, publishedAt: command.at } }];
};
