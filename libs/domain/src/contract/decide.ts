import { invalid, unknownCommand } from '../shared/domain-error';
import { fold } from '../shared/decider';
import type { ContractCommand } from './commands';
import { decideAcceptOffer, decideAmendOffer, decideDeclineOffer, decideOffer, decideWithdrawOffer } from './decide/offer';
import {
  decideAutoInspectMilestone,
  decideDeliverMilestone,
  decideFundMilestone,
  decideInspectMilestone,
  decideRequestRevision,
  decideSupportInspectMilestone,
} from './decide/escrow';
import { decideApproveContactReminder, decideDenyContactReminder, decideRequestContactReminder } from './decide/reminders';
import { decidePayOutMilestone, decideRefundMilestone } from './decide/settlement';
import { decideAcceptTermsChange, decideProposeTermsChange, decideRejectTermsChange } from './decide/terms';
import { decideAcceptTermination, decideCompleteUnansweredTermination, decideRejectTermination, decideRequestTermination, decideSupportTerminate } from './decide/termination';
import type { ContractCompleted, ContractEvent } from './events';
import { evolveContract } from './evolve';
import type { ContractState } from './state';
import { isInstant } from './validation';

/**
 * Decides the events a command produces, or throws a DomainError and produces none. A decision that
 * settles the last open milestone with at least one payout also completes the contract.
 */
export const decideContract = (command: ContractCommand, state: ContractState): ContractEvent[] => {
  if (!isInstant(command.at)) {
    throw invalid('INVALID_TIMESTAMP', 'at must be an ISO-8601 instant with offset', {
      errors: [{ field: 'at', code: 'INVALID_TIMESTAMP', message: 'at must be an ISO-8601 instant with offset' }],
    });
  }
  const events = decideStep(command, state);
  return [...events, ...completion(fold(evolveContract, state, events), command.at)];
};

const decideStep = (command: ContractCommand, state: ContractState): ContractEvent[] => {
  switch (command.type) {
    case 'OfferContract':
      return decideOffer(command, state);
    case 'AmendOffer':
      return decideAmendOffer(command, state);
    case 'WithdrawOffer':
      return decideWithdrawOffer(command, state);
    case 'DeclineOffer':
      return decideDeclineOffer(command, state);
    case 'AcceptOffer':
      return decideAcceptOffer(command, state);
    case 'FundMilestone':
      return decideFundMilestone(command, state);
    case 'DeliverMilestone':
      return decideDeliverMilestone(command, state);
    case 'RequestRevision':
      return decideRequestRevision(command, state);
    case 'InspectMilestone':
      return decideInspectMilestone(command, state);
    case 'SupportInspectMilestone':
      return decideSupportInspectMilestone(command, state);
    case 'AutoInspectMilestone':
      return decideAutoInspectMilestone(command, state);
    case 'PayOutMilestone':
      return decidePayOutMilestone(command, state);
    case 'RefundMilestone':
      return decideRefundMilestone(command, state);
    case 'ProposeTermsChange':
      return decideProposeTermsChange(command, state);
    case 'AcceptTermsChange':
      return decideAcceptTermsChange(command, state);
    case 'RejectTermsChange':
      return decideRejectTermsChange(command, state);
    case 'RequestTermination':
      return decideRequestTermination(command, state);
    case 'AcceptTermination':
      return decideAcceptTermination(command, state);
    case 'RejectTermination':
      return decideRejectTermination(command, state);
    case 'CompleteUnansweredTermination':
      return decideCompleteUnansweredTermination(command, state);
    case 'SupportTerminate':
      return decideSupportTerminate(command, state);
    case 'RequestContactReminder':
      return decideRequestContactReminder(command, state);
    case 'ApproveContactReminder':
      return decideApproveContactReminder(command, state);
    case 'DenyContactReminder':
      return decideDenyContactReminder(command, state);
    default:
      throw unknownCommand('contract', command);
  }
};

/** Completed: every milestone settled (paid out, refunded or cancelled) and at least one paid out. */
const completion = (after: ContractState, at: string): ContractCompleted[] => {
  const settled = after.milestones.every((milestone) => milestone.closure !== null);
  const paidOut = after.milestones.filter((milestone) => milestone.payout !== null);
  if (after.status !== 'active' || !settled || paidOut.length === 0) return [];
  const sum = (pick: (value: (typeof after.milestones)[number]) => number) =>
    after.milestones.reduce((total, milestone) => total + pick(milestone), 0);
  return [
    {
      type: 'ContractCompleted',
      data: {
        contractId: after.contractId,
        clientId: after.clientId,
        workerId: after.workerId,
        paidOutGross: sum((milestone) => milestone.paidOutGross),
        fees: sum((milestone) => milestone.payout?.fee ?? 0),
        net: sum((milestone) => milestone.payout?.net ?? 0),
        refunded: sum((milestone) => milestone.refundedTotal),
        acceptedAt: after.acceptedAt as string,
        completedAt: at,
      },
    },
  ];
};
