import { validate } from '../../contract/validation';
import { conflict, forbidden } from '../../shared/domain-error';
import { MAX_REASON_LENGTH } from '../../shared/limits';
import type { EndHourlyContract, SettleHourlyWeek } from '../commands';
import type { HourlyContractEnded, HourlyContractEnding, HourlyEscrowRefunded, HourlyEvent, HourlyReviewWindowClosed, HourlyWeekPaidOut } from '../events';
import { requireHourlyActive, requireHourlyContract, requireRoleOf } from '../guards';
import { uncommittedEscrowOf, weekPayout } from '../money';
import { findWeek, type HourlyState, hourlyEscrowOf, isWeekOpen, payableMinutesOf } from '../state';
import { isBefore, isMonday, reviewWindowClosesAt, weekStartOf } from '../weeks';

/**
 * The timer at the end of a week's review window closes it and pays the week's undisputed minutes (and disputed ones
 * support already awarded); minutes still disputed stay held. For the last week of an ending contract with no hours,
 * there is nothing to pay, but its close is when the contract can end.
 */
export const decideSettleHourlyWeek = (command: SettleHourlyWeek, state: HourlyState): (HourlyReviewWindowClosed | HourlyWeekPaidOut)[] => {
  requireHourlyContract(state);
  requireRoleOf(command.actor, ['system']);
  validate()
    .date(command.weekStart, 'weekStart')
    .done();
  if (!isMonday(command.weekStart)) validate().add('weekStart', 'NOT_A_MONDAY', 'weekStart must be the Monday a work week starts on').done();
  requireHourlyActive(state);
  if (isBefore(command.at, reviewWindowClosesAt(command.weekStart))) {
    throw conflict('REVIEW_WINDOW_OPEN', `the review window of the week of ${command.weekStart} closes at ${reviewWindowClosesAt(command.weekStart)}`, {
      closesAt: reviewWindowClosesAt(command.weekStart),
    });
  }
  const week = findWeek(state, command.weekStart);
  if (week?.reviewClosed) throw conflict('WEEK_ALREADY_SETTLED', `the week of ${command.weekStart} is settled`, { weekStart: command.weekStart });
  if (!week || week.recordedMinutes === 0) {
    if (state.ending?.endsAfterWeek === command.weekStart) return [];
    throw conflict('NO_HOURS_RECORDED', `no hours were recorded for the week of ${command.weekStart}`, { weekStart: command.weekStart });
  }
  const held = week.awardedMinutes === null ? week.disputedMinutes : 0;
  const closed: HourlyReviewWindowClosed = {
    type: 'HourlyReviewWindowClosed',
    data: {
      contractId: state.contractId,
      clientId: state.clientId,
      workerId: state.workerId,
      weekStart: week.weekStart,
      recordedMinutes: week.recordedMinutes,
      heldMinutes: held,
      paidMinutes: payableMinutesOf(week),
      closedAt: command.at,
    },
  };
  return [closed, ...weekPayout(state, week, payableMinutesOf(week), 'review_window_closed')];
};

/** 契約終了 by either party, or by support: the contract ends after the work week it is asked in is settled. */
export const decideEndHourly = (command: EndHourlyContract, state: HourlyState): HourlyContractEnding[] => {
  requireHourlyContract(state);
  requireRoleOf(command.actor, ['user', 'support']);
  const requestedBy = command.actor.role === 'support' ? 'support' : command.actor.id === state.clientId ? 'client' : command.actor.id === state.workerId ? 'worker' : undefined;
  if (requestedBy === undefined) throw forbidden('NOT_CONTRACT_PARTY', 'only a party to the contract or support may end it');
  validate().optionalText(command.reason, 'reason', 'INVALID_REASON', MAX_REASON_LENGTH).done();
  requireHourlyActive(state);
  if (state.ending) throw conflict('CONTRACT_ENDING', `the contract already ends after the week of ${state.ending.endsAfterWeek}`, { endsAfterWeek: state.ending.endsAfterWeek });
  return [
    {
      type: 'HourlyContractEnding',
      data: {
        contractId: state.contractId,
        clientId: state.clientId,
        workerId: state.workerId,
        requestedBy,
        endsAfterWeek: weekStartOf(command.at),
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
        requestedAt: command.at,
      },
    },
  ];
};

/**
 * An ending contract ends once its last week's review window has closed and no week waits for money any more: what the
 * escrow still holds is refunded to the client and the contract ends. Decided after every command, as a follow-on.
 */
export const contractEnd = (state: HourlyState, at: string): HourlyEvent[] => {
  if (state.status !== 'active' || !state.ending) return [];
  if (isBefore(at, reviewWindowClosesAt(state.ending.endsAfterWeek))) return [];
  if (state.weeks.some(isWeekOpen)) return [];
  const refund = uncommittedEscrowOf(state);
  const refunded: HourlyEscrowRefunded[] =
    refund > 0
      ? [{ type: 'HourlyEscrowRefunded', data: { contractId: state.contractId, clientId: state.clientId, workerId: state.workerId, amount: refund, cause: 'contract_ended', escrowAfter: hourlyEscrowOf(state) - refund } }]
      : [];
  const ended: HourlyContractEnded = {
    type: 'HourlyContractEnded',
    data: {
      contractId: state.contractId,
      clientId: state.clientId,
      workerId: state.workerId,
      outcome: state.paidOut > 0 ? 'completed' : 'terminated',
      endsAfterWeek: state.ending.endsAfterWeek,
      paidOutGross: state.paidOut,
      fees: state.fees,
      net: state.net,
      refunded: state.refunded + refund,
      acceptedAt: state.acceptedAt as string,
      endedAt: at,
    },
  };
  return [...refunded, ended];
};
