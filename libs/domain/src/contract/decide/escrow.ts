import { conflict } from '../../shared/domain-error';
import type { AutoInspectMilestone, DeliverMilestone, FundMilestone, InspectMilestone, RequestRevision, SupportInspectMilestone } from '../commands';
import type { EscrowFunded, MilestoneDelivered, MilestoneInspected, MilestoneInspectedData, RevisionRequested } from '../events';
import {
  requireActive,
  requireClient,
  requireContract,
  requireMilestone,
  requireOpenAccounts,
  requireOpenMilestone,
  requireRole,
  requireWorker,
} from '../guards';
import { type ContractState, type MilestoneState, escrowBalanceOf, fundingDueOf } from '../state';
import { MAX_GATEWAY_REFERENCE_LENGTH, MAX_MESSAGE_LENGTH } from '../../shared/limits';
import { validate } from '../validation';

/** Support may inspect for a silent client once this long has passed since the latest delivery. */
export const SUPPORT_INSPECTION_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

export const decideFundMilestone = (command: FundMilestone, state: ContractState): EscrowFunded[] => {
  requireContract(state);
  requireClient(state, command.actor);
  const check = validate()
    .id(command.milestoneId, 'milestoneId')
    .text(command.paymentReference, 'paymentReference', 'INVALID_PAYMENT_REFERENCE', MAX_GATEWAY_REFERENCE_LENGTH)
    .paymentMethod(command.method, 'method');
  if (command.amount !== undefined) check.positiveYen(command.amount, 'amount');
  check.done();
  requireActive(state);
  requireOpenAccounts(state, command.closedAccounts);
  const milestone = requireMilestone(state, command.milestoneId);
  requireOpenMilestone(milestone);

  const due = fundingDueOf(milestone);
  if (due === 0) {
    throw conflict('MILESTONE_ALREADY_FUNDED', `milestone ${milestone.milestoneId} is fully funded`, {
      milestoneId: milestone.milestoneId,
    });
  }
  if (command.amount !== undefined && command.amount !== due) {
    throw conflict('FUNDING_AMOUNT_MISMATCH', `milestone ${milestone.milestoneId} must be prepaid exactly ¥${due}`, {
      milestoneId: milestone.milestoneId,
      expected: due,
      received: command.amount,
    });
  }
  if (state.paymentReferences.includes(command.paymentReference)) {
    throw conflict('PAYMENT_REFERENCE_ALREADY_USED', `payment ${command.paymentReference} was already recorded`, {
      paymentReference: command.paymentReference,
    });
  }

  return [
    {
      type: 'EscrowFunded',
      data: {
        contractId: state.contractId,
        milestoneId: milestone.milestoneId,
        clientId: state.clientId,
        workerId: state.workerId,
        amount: due,
        paymentReference: command.paymentReference,
        method: command.method,
        escrowAfter: escrowBalanceOf(milestone) + due,
      },
    },
  ];
};

export const decideDeliverMilestone = (command: DeliverMilestone, state: ContractState): MilestoneDelivered[] => {
  requireContract(state);
  requireWorker(state, command.actor);
  validate()
    .id(command.milestoneId, 'milestoneId')
    .deliverables(command.deliverables, 'deliverables')
    .optionalText(command.message, 'message', 'INVALID_MESSAGE', MAX_MESSAGE_LENGTH)
    .done();
  requireActive(state);
  const milestone = requireMilestone(state, command.milestoneId);
  requireOpenMilestone(milestone);
  const { milestoneId } = milestone;
  switch (milestone.progress) {
    case 'unfunded':
      throw conflict('MILESTONE_NOT_FUNDED', `milestone ${milestoneId} must be prepaid before delivery`, { milestoneId });
    case 'delivered':
      throw conflict('MILESTONE_ALREADY_DELIVERED', `milestone ${milestoneId} awaits inspection`, { milestoneId });
    case 'inspected':
      throw conflict('MILESTONE_ALREADY_INSPECTED', `milestone ${milestoneId} has been inspected`, { milestoneId });
    default:
      break;
  }
  requireFullyFunded(milestone);

  return [
    {
      type: 'MilestoneDelivered',
      data: {
        contractId: state.contractId,
        milestoneId,
        clientId: state.clientId,
        workerId: state.workerId,
        deliverables: command.deliverables.map((deliverable) => ({
          uri: deliverable.uri,
          ...(deliverable.sha256 !== undefined ? { sha256: deliverable.sha256.toLowerCase() } : {}),
        })),
        ...(command.message !== undefined ? { message: command.message } : {}),
        deliveryNumber: milestone.deliveries + 1,
        deliveredAt: command.at,
      },
    },
  ];
};

/** After a raise by change of terms the difference must be prepaid before work goes on. */
export const requireFullyFunded = (milestone: MilestoneState): void => {
  const due = fundingDueOf(milestone);
  if (due > 0) {
    throw conflict('ADDITIONAL_FUNDING_REQUIRED', `milestone ${milestone.milestoneId} needs a further prepayment of ¥${due}`, {
      milestoneId: milestone.milestoneId,
      fundingDue: due,
    });
  }
};

/** The milestone a revision request or an inspection answers: on an active contract, delivered and not yet inspected. */
const requireDeliveredMilestone = (state: ContractState, milestoneId: string): MilestoneState => {
  requireActive(state);
  const milestone = requireMilestone(state, milestoneId);
  requireOpenMilestone(milestone);
  if (milestone.progress === 'inspected') {
    throw conflict('MILESTONE_ALREADY_INSPECTED', `milestone ${milestoneId} has been inspected`, { milestoneId });
  }
  if (milestone.progress !== 'delivered') {
    throw conflict('MILESTONE_NOT_DELIVERED', `milestone ${milestoneId} has no delivery awaiting inspection`, {
      milestoneId,
      status: milestone.progress,
    });
  }
  return milestone;
};

const inspected = (
  state: ContractState,
  milestone: MilestoneState,
  inspection: Pick<MilestoneInspectedData, 'inspectedBy' | 'supportId' | 'reason' | 'inspectedAfterMs'>,
): MilestoneInspected[] => [
  {
    type: 'MilestoneInspected',
    data: { contractId: state.contractId, milestoneId: milestone.milestoneId, clientId: state.clientId, workerId: state.workerId, ...inspection },
  },
];

export const decideRequestRevision = (command: RequestRevision, state: ContractState): RevisionRequested[] => {
  requireContract(state);
  requireClient(state, command.actor);
  validate().id(command.milestoneId, 'milestoneId').text(command.reason, 'reason', 'INVALID_REASON').done();
  const milestone = requireDeliveredMilestone(state, command.milestoneId);
  return [
    {
      type: 'RevisionRequested',
      data: { contractId: state.contractId, milestoneId: milestone.milestoneId, reason: command.reason },
    },
  ];
};

export const decideInspectMilestone = (command: InspectMilestone, state: ContractState): MilestoneInspected[] => {
  requireContract(state);
  requireClient(state, command.actor);
  validate().id(command.milestoneId, 'milestoneId').done();
  return inspected(state, requireDeliveredMilestone(state, command.milestoneId), { inspectedBy: 'client' });
};

export const decideSupportInspectMilestone = (command: SupportInspectMilestone, state: ContractState): MilestoneInspected[] => {
  requireContract(state);
  requireRole(command.actor, ['support']);
  validate().id(command.milestoneId, 'milestoneId').text(command.reason, 'reason', 'INVALID_REASON').done();
  const milestone = requireDeliveredMilestone(state, command.milestoneId);

  const deliveredAt = milestone.lastDeliveredAt ?? command.at;
  const elapsed = Date.parse(command.at) - Date.parse(deliveredAt);
  if (elapsed < SUPPORT_INSPECTION_GRACE_MS) {
    const eligibleAt = new Date(Date.parse(deliveredAt) + SUPPORT_INSPECTION_GRACE_MS).toISOString();
    throw conflict(
      'INSPECTION_GRACE_NOT_ELAPSED',
      `support may inspect milestone ${milestone.milestoneId} only from ${eligibleAt}, 7 days after its delivery`,
      { milestoneId: milestone.milestoneId, deliveredAt, eligibleAt },
    );
  }

  return inspected(state, milestone, { inspectedBy: 'support', supportId: command.actor.id, reason: command.reason });
};

/**
 * The service inspects for a client who left the latest delivery unanswered for the deployment's period; then the
 * milestone is settled as after any inspection. A client who inspected or asked for a revision first wins.
 */
export const decideAutoInspectMilestone = (command: AutoInspectMilestone, state: ContractState): MilestoneInspected[] => {
  requireContract(state);
  requireRole(command.actor, ['system']);
  validate()
    .id(command.milestoneId, 'milestoneId')
    .check(Number.isSafeInteger(command.afterMs) && command.afterMs > 0, 'afterMs', 'INVALID_DURATION', 'afterMs must be a whole number of milliseconds > 0')
    .done();
  const milestone = requireDeliveredMilestone(state, command.milestoneId);

  const deliveredAt = milestone.lastDeliveredAt ?? command.at;
  const eligibleAt = new Date(Date.parse(deliveredAt) + command.afterMs).toISOString();
  if (Date.parse(command.at) < Date.parse(eligibleAt)) {
    throw conflict(
      'AUTO_INSPECTION_PERIOD_OPEN',
      `milestone ${milestone.milestoneId} may be inspected automatically only from ${eligibleAt}, after its latest delivery`,
      { milestoneId: milestone.milestoneId, deliveredAt, eligibleAt },
    );
  }

  return inspected(state, milestone, { inspectedBy: 'automatic', inspectedAfterMs: command.afterMs });
};
