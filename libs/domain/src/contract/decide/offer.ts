import { consumptionTaxRateAt, defaultFeeScheduleAt, getFeeSchedule, grossOf, toJapanCalendarDate } from '../../money';
import { conflict, forbidden } from '../../shared/domain-error';
import type { AcceptOffer, AmendOffer, DeclineOffer, MilestoneTerms, OfferContract, WithdrawOffer } from '../commands';
import type { ContractAccepted, ContractOffered, MilestoneWithGross, OfferAmended, OfferDeclined, OfferWithdrawn } from '../events';
import { requireClient, requireContract, requireOfferOpen, requireOpenAccounts, requireWorker } from '../guards';
import type { ContractState } from '../state';
import { MAX_REASON_LENGTH, MAX_TITLE_LENGTH } from '../../shared/limits';
import { type Validation, validate } from '../validation';

export const termsOf = (terms: MilestoneTerms): MilestoneTerms => ({
  milestoneId: terms.milestoneId,
  title: terms.title,
  amount: terms.amount,
  dueDate: terms.dueDate,
});

/** A milestone's gross is computed from its own amount, at the tax rate the contract fixed at acceptance. */
export const withGross = (terms: MilestoneTerms, taxRate: string): MilestoneWithGross => ({
  ...termsOf(terms),
  gross: grossOf(terms.amount, taxRate),
});

const knownFeeSchedule = (check: Validation, feeScheduleId: unknown, field: string): Validation =>
  check.check(
    typeof feeScheduleId === 'string' && getFeeSchedule(feeScheduleId) !== undefined,
    field,
    'UNKNOWN_FEE_SCHEDULE',
    `${field} names no known fee schedule`,
  );

export const decideOffer = (command: OfferContract, state: ContractState): ContractOffered[] => {
  if (state.status !== 'none') {
    throw conflict('CONTRACT_ALREADY_EXISTS', `contract ${command.contractId} already exists`, { status: state.status });
  }
  if (command.actor.role !== 'user') {
    throw forbidden('ROLE_NOT_ALLOWED', 'only a client user may offer a contract', { role: command.actor.role });
  }
  if (command.actor.id !== command.clientId) {
    throw forbidden('NOT_CONTRACT_CLIENT', 'a contract can only be offered by its client');
  }
  const check = validate()
    .id(command.contractId, 'contractId')
    .accountId(command.clientId, 'clientId')
    .accountId(command.workerId, 'workerId')
    .check(command.clientId !== command.workerId, 'workerId', 'SAME_CLIENT_AND_WORKER', 'a client cannot hire itself')
    .text(command.title, 'title', 'INVALID_TITLE', MAX_TITLE_LENGTH)
    .milestoneList(command.milestones, 'milestones');
  if (command.feeScheduleId !== undefined) knownFeeSchedule(check, command.feeScheduleId, 'feeScheduleId');
  check.done();
  requireOpenAccounts(command, command.closedAccounts);

  return [
    {
      type: 'ContractOffered',
      data: {
        contractId: command.contractId,
        clientId: command.clientId,
        workerId: command.workerId,
        title: command.title,
        milestones: command.milestones.map(termsOf),
        feeScheduleId: command.feeScheduleId ?? null,
        offeredAt: command.at,
      },
    },
  ];
};

export const decideAmendOffer = (command: AmendOffer, state: ContractState): OfferAmended[] => {
  requireContract(state);
  requireClient(state, command.actor);
  const check = validate().check(
    command.title !== undefined || command.milestones !== undefined || command.feeScheduleId !== undefined,
    'command',
    'EMPTY_AMENDMENT',
    'an amendment must change the title, the milestones or the fee schedule',
  );
  if (command.title !== undefined) check.text(command.title, 'title', 'INVALID_TITLE', MAX_TITLE_LENGTH);
  if (command.milestones !== undefined) check.milestoneList(command.milestones, 'milestones');
  if (command.feeScheduleId !== undefined && command.feeScheduleId !== null) {
    knownFeeSchedule(check, command.feeScheduleId, 'feeScheduleId');
  }
  check.done();
  requireOfferOpen(state);

  return [
    {
      type: 'OfferAmended',
      data: {
        contractId: state.contractId,
        clientId: state.clientId,
        workerId: state.workerId,
        title: command.title ?? state.title,
        milestones: command.milestones ? command.milestones.map(termsOf) : state.milestones.map((milestone) => termsOf(milestone)),
        feeScheduleId: command.feeScheduleId === undefined ? state.offeredFeeScheduleId : command.feeScheduleId,
      },
    },
  ];
};

export const decideWithdrawOffer = (command: WithdrawOffer, state: ContractState): OfferWithdrawn[] => {
  requireContract(state);
  requireClient(state, command.actor);
  validate().optionalText(command.reason, 'reason', 'INVALID_REASON', MAX_REASON_LENGTH).done();
  requireOfferOpen(state);
  return [{ type: 'OfferWithdrawn', data: closedOffer(state, command.reason) }];
};

export const decideDeclineOffer = (command: DeclineOffer, state: ContractState): OfferDeclined[] => {
  requireContract(state);
  requireWorker(state, command.actor);
  validate().optionalText(command.reason, 'reason', 'INVALID_REASON', MAX_REASON_LENGTH).done();
  requireOfferOpen(state);
  return [{ type: 'OfferDeclined', data: closedOffer(state, command.reason) }];
};

const closedOffer = (state: ContractState, reason: string | undefined) => ({
  contractId: state.contractId,
  clientId: state.clientId,
  workerId: state.workerId,
  ...(reason !== undefined ? { reason } : {}),
});

const defaultScheduleOn = (date: string) => {
  try {
    return defaultFeeScheduleAt(date);
  } catch {
    throw conflict('FEE_SCHEDULE_NOT_IN_FORCE', `no default fee schedule is in force on ${date}`, { date });
  }
};

/** Fixes the fee schedule and the tax rate in force now, and with them every milestone's gross. */
export const decideAcceptOffer = (command: AcceptOffer, state: ContractState): ContractAccepted[] => {
  requireContract(state);
  requireWorker(state, command.actor);
  requireOfferOpen(state);
  // An offer made just before a party's closure was decided can still be open: it never becomes a contract.
  requireOpenAccounts(state, command.closedAccounts);

  const acceptanceDate = toJapanCalendarDate(command.at);
  const schedule = state.offeredFeeScheduleId === null ? defaultScheduleOn(acceptanceDate) : getFeeSchedule(state.offeredFeeScheduleId);
  if (!schedule) {
    throw conflict('FEE_SCHEDULE_NOT_FOUND', `fee schedule ${state.offeredFeeScheduleId} no longer exists`);
  }
  if (schedule.effectiveFrom > acceptanceDate) {
    throw conflict('FEE_SCHEDULE_NOT_IN_FORCE', `fee schedule ${schedule.id} applies from ${schedule.effectiveFrom}`, {
      feeScheduleId: schedule.id,
      effectiveFrom: schedule.effectiveFrom,
    });
  }
  const taxRate = consumptionTaxRateAt(acceptanceDate);
  const milestones = state.milestones.map((milestone) => withGross(milestone, taxRate));

  return [
    {
      type: 'ContractAccepted',
      data: {
        contractId: state.contractId,
        clientId: state.clientId,
        workerId: state.workerId,
        title: state.title,
        feeScheduleId: schedule.id,
        taxRate,
        milestones,
        totalGross: milestones.reduce((sum, milestone) => sum + milestone.gross, 0),
        acceptedAt: command.at,
      },
    },
  ];
};
