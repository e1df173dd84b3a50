import { grossOf } from '../../money';
import { conflict, forbidden } from '../../shared/domain-error';
import type { AcceptTermsChange, ProposeTermsChange, RejectTermsChange } from '../commands';
import type {
  AppliedMilestoneChange,
  EscrowRefunded,
  TermsChangeAccepted,
  TermsChangeProposed,
  TermsChangeRejected,
} from '../events';
import { notFound, requireActive, requireContract, requireMilestone, requireOpenMilestone, requireParty } from '../guards';
import { type ContractState, type PendingTermsChange, escrowBalanceOf, findMilestone } from '../state';
import type { PartyRef } from '../view-types';
import { MAX_MILESTONES } from '../../shared/limits';
import { validate } from '../validation';
import { termsOf, withGross } from './offer';
import { refundEvent } from './settlement';

export const decideProposeTermsChange = (command: ProposeTermsChange, state: ContractState): TermsChangeProposed[] => {
  requireContract(state);
  const proposedBy = requireParty(state, command.actor);
  const newMilestones = command.newMilestones ?? [];
  const check = validate().id(command.changeId, 'changeId').optionalText(command.reason, 'reason', 'INVALID_REASON');
  if (!Array.isArray(command.changes) || !Array.isArray(newMilestones)) {
    check.add('changes', 'INVALID_TERMS_CHANGE', 'changes and newMilestones must be lists').done();
  }
  check.check(
    command.changes.length + newMilestones.length > 0,
    'changes',
    'EMPTY_TERMS_CHANGE',
    'a change of terms must change a milestone or add one',
  );
  command.changes.forEach((change, index) => {
    const field = `changes[${index}]`;
    check.id(change?.milestoneId, `${field}.milestoneId`);
    check.check(
      change?.amount !== undefined || change?.dueDate !== undefined,
      field,
      'EMPTY_MILESTONE_CHANGE',
      `${field} must change the amount or the due date`,
    );
    if (change?.amount !== undefined) check.milestoneAmount(change.amount, `${field}.amount`);
    if (change?.dueDate !== undefined) check.date(change.dueDate, `${field}.dueDate`);
  });
  check.distinctIds(command.changes, 'changes');
  newMilestones.forEach((terms, index) => check.milestoneTerms(terms, `newMilestones[${index}]`));
  check.distinctIds(newMilestones, 'newMilestones');
  check.done();

  requireActive(state);
  if (state.pendingTermsChange) {
    throw conflict('TERMS_CHANGE_PENDING', `change ${state.pendingTermsChange.changeId} awaits an answer`, {
      changeId: state.pendingTermsChange.changeId,
    });
  }
  if (state.proposedChangeIds.includes(command.changeId)) {
    throw conflict('TERMS_CHANGE_ID_ALREADY_USED', `change id ${command.changeId} was used before`, {
      changeId: command.changeId,
    });
  }
  command.changes.forEach((change) => requireOpenMilestone(requireMilestone(state, change.milestoneId)));
  newMilestones.forEach((terms) => {
    if (findMilestone(state, terms.milestoneId)) {
      throw conflict('MILESTONE_ALREADY_EXISTS', `milestone ${terms.milestoneId} already exists`, {
        milestoneId: terms.milestoneId,
      });
    }
  });
  if (state.milestones.length + newMilestones.length > MAX_MILESTONES) {
    throw conflict('TOO_MANY_MILESTONES', `a contract has at most ${MAX_MILESTONES} milestones`, {
      current: state.milestones.length,
      added: newMilestones.length,
    });
  }

  return [
    {
      type: 'TermsChangeProposed',
      data: {
        contractId: state.contractId,
        changeId: command.changeId,
        proposedBy,
        changes: command.changes.map((change) => ({
          milestoneId: change.milestoneId,
          ...(change.amount !== undefined ? { amount: change.amount } : {}),
          ...(change.dueDate !== undefined ? { dueDate: change.dueDate } : {}),
        })),
        newMilestones: newMilestones.map(termsOf),
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
        proposedAt: command.at,
      },
    },
  ];
};

/** The open proposal named by the command, answerable only by the party that did not make it. */
const requireAnswerableChange = (state: ContractState, changeId: string, answeredBy: PartyRef): PendingTermsChange => {
  const pending = state.pendingTermsChange;
  if (!pending || pending.changeId !== changeId) {
    throw notFound('TERMS_CHANGE_NOT_FOUND', `no open change of terms ${changeId}`, { changeId });
  }
  if (pending.proposedBy.party === answeredBy.party) {
    throw forbidden('CANNOT_ANSWER_OWN_PROPOSAL', 'the change of terms must be answered by the other party', { changeId });
  }
  return pending;
};

/**
 * Applies the proposal. A funded milestone reduced below what it holds refunds the difference in the
 * same decision; a raised one keeps its escrow and owes the difference as a further prepayment.
 */
export const decideAcceptTermsChange = (command: AcceptTermsChange, state: ContractState): (TermsChangeAccepted | EscrowRefunded)[] => {
  requireContract(state);
  const acceptedBy = requireParty(state, command.actor);
  validate().id(command.changeId, 'changeId').done();
  requireActive(state);
  const pending = requireAnswerableChange(state, command.changeId, acceptedBy);
  const taxRate = state.taxRate as string;

  const refunds: EscrowRefunded[] = [];
  const changes: AppliedMilestoneChange[] = pending.changes.map((change) => {
    const milestone = requireMilestone(state, change.milestoneId);
    requireOpenMilestone(milestone);
    const amount = change.amount ?? milestone.amount;
    const gross = change.amount === undefined ? (milestone.gross as number) : grossOf(amount, taxRate);
    const escrow = escrowBalanceOf(milestone);
    const payableAfter = Math.max(0, gross - milestone.discretionaryRefunds);
    const excess = escrow - payableAfter;
    if (excess > 0) {
      refunds.push(refundEvent(state, milestone, excess, escrow, `change of terms ${pending.changeId}`, 'terms_change'));
    }
    return {
      milestoneId: milestone.milestoneId,
      previousAmount: milestone.amount,
      amount,
      previousGross: milestone.gross as number,
      gross,
      previousDueDate: milestone.dueDate,
      dueDate: change.dueDate ?? milestone.dueDate,
    };
  });
  const newMilestones = pending.newMilestones.map((terms) => withGross(terms, taxRate));

  return [
    {
      type: 'TermsChangeAccepted',
      data: {
        contractId: state.contractId,
        changeId: pending.changeId,
        clientId: state.clientId,
        workerId: state.workerId,
        acceptedBy,
        changes,
        newMilestones,
      },
    },
    ...refunds,
  ];
};

export const decideRejectTermsChange = (command: RejectTermsChange, state: ContractState): TermsChangeRejected[] => {
  requireContract(state);
  const rejectedBy = requireParty(state, command.actor);
  validate().id(command.changeId, 'changeId').optionalText(command.reason, 'reason', 'INVALID_REASON').done();
  requireActive(state);
  const pending = requireAnswerableChange(state, command.changeId, rejectedBy);
  return [
    {
      type: 'TermsChangeRejected',
      data: {
        contractId: state.contractId,
        changeId: pending.changeId,
        rejectedBy,
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
      },
    },
  ];
};
