import { addYen } from '../wallet/yen-arithmetic';
import { invalid, unknownCommand } from '../shared/domain-error';
import { type Decider, fold } from '../shared/decider';
import { isInstant } from '../contract/validation';
import type { TaskCommand } from './commands';
import { decideCloseTask } from './decide/close';
import { decidePostTask } from './decide/post';
import { decideApproveTaskSubmission, decideAutoApproveTaskSubmissions, decideRejectTaskSubmission } from './decide/review';
import { decideSubmitTaskWork } from './decide/submit';
import type { TaskEvent, TaskSettled, TaskUnusedSlotsRefunded } from './events';
import { evolveTask } from './evolve';
import { slotsValue } from './policy';
import { approvedCountOf, initialTaskState, pendingCountOf, rejectedCountOf, type TaskState } from './state';

/**
 * Decides the events a command produces, or throws a DomainError and produces none. A decision that leaves the task
 * closed with nothing pending also settles it: the slots no approved submission used are refunded, once.
 */
export function decideTask(command: TaskCommand, state: TaskState): TaskEvent[] {
  if (!isInstant(command.at)) {
    throw invalid('INVALID_TIMESTAMP', 'at must be an ISO-8601 instant with offset', {
      errors: [{ field: 'at', code: 'INVALID_TIMESTAMP', message: 'at must be an ISO-8601 instant with offset' }],
    });
  }
  const events = decideStep(command, state);
  return [...events, ...settlement(fold(evolveTask, state, events), command.at)];
}

const decideStep = (command: TaskCommand, state: TaskState): TaskEvent[] => {
  switch (command.type) {
    case 'PostTask':
      return decidePostTask(command, state);
    case 'SubmitTaskWork':
      return decideSubmitTaskWork(command, state);
    case 'ApproveTaskSubmission':
      return decideApproveTaskSubmission(command, state);
    case 'RejectTaskSubmission':
      return decideRejectTaskSubmission(command, state);
    case 'CloseTask':
      return decideCloseTask(command, state);
    case 'AutoApproveTaskSubmissions':
      return decideAutoApproveTaskSubmissions(command, state);
    default:
      throw unknownCommand('task', command);
  }
};

/** Closed with nothing pending: refund unit price × the unused slots (when any) and record the task settled. */
const settlement = (after: TaskState, at: string): (TaskUnusedSlotsRefunded | TaskSettled)[] => {
  if (after.status !== 'closed' || pendingCountOf(after) > 0) return [];
  const approved = approvedCountOf(after);
  const unusedSlots = after.slots - approved;
  const amount = slotsValue(after.unitPrice, unusedSlots);
  const base = { taskId: after.taskId, clientId: after.clientId };
  const refund: TaskUnusedSlotsRefunded[] =
    amount > 0 ? [{ type: 'TaskUnusedSlotsRefunded', data: { ...base, unusedSlots, unitPrice: after.unitPrice, amount, refundedAt: at } }] : [];
  return [
    ...refund,
    {
      type: 'TaskSettled',
      data: { ...base, approved, rejected: rejectedCountOf(after), unusedSlots, paidOut: after.paidOutGross, fees: after.fees, refunded: addYen(after.refunded, amount), settledAt: at },
    },
  ];
};

export const taskDecider: Decider<TaskCommand, TaskState, TaskEvent> = {
  decide: decideTask,
  evolve: evolveTask,
  initialState: initialTaskState,
};
