import { conflict, forbidden } from '../../shared/domain-error';
import type { AcceptTermination, CompleteUnansweredTermination, RejectTermination, RequestTermination, SupportTerminate } from '../commands';
import type {
  ContractEvent,
  ContractTerminated,
  EscrowRefunded,
  MilestoneCancelled,
  MilestonePaidOut,
  TerminationRejected,
  TerminationRequested,
} from '../events';
import { requireActive, requireContract, requireMilestone, requireOpenMilestone, requireParty, requireRole } from '../guards';
import { type ContractState, type PendingTermination, escrowBalanceOf } from '../state';
import type { PartyRef } from '../view-types';
import { validate } from '../validation';
import { payoutEvent, refundEvent } from './settlement';

export const decideRequestTermination = (command: RequestTermination, state: ContractState): TerminationRequested[] => {
  requireContract(state);
  const requestedBy = requireParty(state, command.actor);
  validate().text(command.reason, 'reason', 'INVALID_REASON').done();
  requireActive(state);
  if (state.pendingTermination) {
    throw conflict('TERMINATION_PENDING', 'a termination request already awaits an answer', {
      requestedBy: state.pendingTermination.requestedBy,
    });
  }
  return [
    {
      type: 'TerminationRequested',
      data: { contractId: state.contractId, requestedBy, reason: command.reason, requestedAt: command.at },
    },
  ];
};

const requireAnswerableTermination = (state: ContractState, answeredBy: PartyRef): PendingTermination => {
  const pending = state.pendingTermination;
  if (!pending) throw conflict('TERMINATION_NOT_REQUESTED', 'no termination request awaits an answer');
  if (pending.requestedBy.party === answeredBy.party) {
    throw forbidden('CANNOT_ANSWER_OWN_REQUEST', 'the termination request must be answered by the other party');
  }
  return pending;
};

/** Unfunded milestones are cancelled and every open escrow goes back to the client in full. */
export const decideAcceptTermination = (command: AcceptTermination, state: ContractState): ContractEvent[] => {
  requireContract(state);
  const acceptedBy = requireParty(state, command.actor);
  requireActive(state);
  const pending = requireAnswerableTermination(state, acceptedBy);
  const settlement = settleOnTermination(state, new Map(), pending.reason);
  const terminated: ContractTerminated = {
    type: 'ContractTerminated',
    data: {
      ...terminationBase(state, command.at, pending.reason, settlement),
      terminatedBy: 'agreement',
      requestedBy: pending.requestedBy,
    },
  };
  return [...settlement.events, terminated];
};

/**
 * A request left unanswered for the answer period completes as if accepted: the requester's terms stand
 * (unfunded milestones cancelled, every open escrow refunded to the client in full).
 */
export const decideCompleteUnansweredTermination = (command: CompleteUnansweredTermination, state: ContractState): ContractEvent[] => {
  requireContract(state);
  requireRole(command.actor, ['system']);
  validate()
    .check(
      Number.isSafeInteger(command.answerWithinMs) && command.answerWithinMs > 0,
      'answerWithinMs',
      'INVALID_DURATION',
      'answerWithinMs must be a whole number of milliseconds > 0',
    )
    .done();
  requireActive(state);
  const pending = state.pendingTermination;
  if (!pending || Date.parse(pending.requestedAt) !== Date.parse(command.requestedAt)) {
    throw conflict('TERMINATION_ANSWERED', 'the termination request was answered or is no longer pending', {
      requestedAt: command.requestedAt,
    });
  }
  const answerBy = new Date(Date.parse(pending.requestedAt) + command.answerWithinMs).toISOString();
  if (Date.parse(command.at) < Date.parse(answerBy)) {
    throw conflict('TERMINATION_ANSWER_PERIOD_OPEN', `the other party may answer the termination request until ${answerBy}`, { answerBy });
  }
  const settlement = settleOnTermination(state, new Map(), pending.reason);
  const terminated: ContractTerminated = {
    type: 'ContractTerminated',
    data: {
      ...terminationBase(state, command.at, pending.reason, settlement),
      terminatedBy: 'unanswered',
      requestedBy: pending.requestedBy,
    },
  };
  return [...settlement.events, terminated];
};

export const decideRejectTermination = (command: RejectTermination, state: ContractState): TerminationRejected[] => {
  requireContract(state);
  const rejectedBy = requireParty(state, command.actor);
  validate().optionalText(command.reason, 'reason', 'INVALID_REASON').done();
  requireActive(state);
  requireAnswerableTermination(state, rejectedBy);
  return [
    {
      type: 'TerminationRejected',
      data: {
        contractId: state.contractId,
        rejectedBy,
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
      },
    },
  ];
};

/** Support ends a stuck contract: each split pays part of a milestone's escrow out (fee charged), the rest is refunded. */
export const decideSupportTerminate = (command: SupportTerminate, state: ContractState): ContractEvent[] => {
  requireContract(state);
  requireRole(command.actor, ['support']);
  const check = validate().text(command.reason, 'reason', 'INVALID_REASON');
  if (!Array.isArray(command.splits)) check.add('splits', 'INVALID_SPLITS', 'splits must be a list').done();
  command.splits.forEach((split, index) => {
    check.id(split?.milestoneId, `splits[${index}].milestoneId`);
    check.check(
      typeof split?.payOutGross === 'number' && Number.isSafeInteger(split.payOutGross) && split.payOutGross >= 0,
      `splits[${index}].payOutGross`,
      'INVALID_AMOUNT',
      `splits[${index}].payOutGross must be a whole number of yen ≥ 0`,
    );
  });
  check.distinctIds(command.splits, 'splits').done();
  requireActive(state);

  const payOuts = new Map<string, number>();
  command.splits.forEach((split) => {
    const milestone = requireMilestone(state, split.milestoneId);
    requireOpenMilestone(milestone);
    const escrow = escrowBalanceOf(milestone);
    if (split.payOutGross > escrow) {
      throw conflict('SPLIT_EXCEEDS_ESCROW', `milestone ${milestone.milestoneId} holds only ¥${escrow}`, {
        milestoneId: milestone.milestoneId,
        escrow,
        payOutGross: split.payOutGross,
      });
    }
    payOuts.set(split.milestoneId, split.payOutGross);
  });

  const settlement = settleOnTermination(state, payOuts, command.reason);
  const terminated: ContractTerminated = {
    type: 'ContractTerminated',
    data: {
      ...terminationBase(state, command.at, command.reason, settlement),
      terminatedBy: 'support',
      supportId: command.actor.id,
    },
  };
  return [...settlement.events, terminated];
};

interface TerminationSettlement {
  events: (MilestonePaidOut | EscrowRefunded | MilestoneCancelled)[];
  cancelledMilestoneIds: string[];
  refundedTotal: number;
  paidOutGross: number;
}

/** Settles every open milestone: pays out what `payOuts` names, refunds the rest, cancels the unfunded. */
const settleOnTermination = (state: ContractState, payOuts: ReadonlyMap<string, number>, reason: string): TerminationSettlement => {
  const settlement: TerminationSettlement = { events: [], cancelledMilestoneIds: [], refundedTotal: 0, paidOutGross: 0 };
  let cumulativeGross = state.cumulativePaidOutGross;
  state.milestones
    .filter((milestone) => milestone.closure === null)
    .forEach((milestone) => {
      const escrow = escrowBalanceOf(milestone);
      if (escrow === 0) {
        settlement.events.push({
          type: 'MilestoneCancelled',
          data: { contractId: state.contractId, milestoneId: milestone.milestoneId, reason },
        });
        settlement.cancelledMilestoneIds.push(milestone.milestoneId);
        return;
      }
      const payOut = payOuts.get(milestone.milestoneId) ?? 0;
      if (payOut > 0) {
        settlement.events.push(payoutEvent(state, milestone, payOut, cumulativeGross, 'support_termination'));
        cumulativeGross += payOut;
        settlement.paidOutGross += payOut;
      }
      const rest = escrow - payOut;
      if (rest > 0) {
        settlement.events.push(refundEvent(state, milestone, rest, rest, reason, 'termination'));
        settlement.refundedTotal += rest;
      }
    });
  return settlement;
};

const terminationBase = (state: ContractState, at: string, reason: string, settlement: TerminationSettlement) => ({
  contractId: state.contractId,
  clientId: state.clientId,
  workerId: state.workerId,
  reason,
  cancelledMilestoneIds: settlement.cancelledMilestoneIds,
  refundedTotal: settlement.refundedTotal,
  paidOutGross: settlement.paidOutGross,
  acceptedAt: state.acceptedAt as string,
  terminatedAt: at,
});
