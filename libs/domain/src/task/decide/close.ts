import { validate } from '../../contract/validation';
import type { CloseTask } from '../commands';
import type { TaskClosed } from '../events';
import { requireOpenTask, requireTask, requireTaskClient } from '../guards';
import type { TaskState } from '../state';

/** The client closes the task: it takes no more submissions; those pending are still approved or rejected. */
export function decideCloseTask(command: CloseTask, state: TaskState): TaskClosed[] {
  requireTask(state);
  requireTaskClient(state, command.actor);
  validate().optionalText(command.reason, 'reason', 'INVALID_REASON').done();
  requireOpenTask(state);
  return [
    {
      type: 'TaskClosed',
      data: { taskId: state.taskId, clientId: state.clientId, closedBy: 'client', ...(command.reason !== undefined ? { reason: command.reason } : {}), closedAt: command.at },
    },
  ];
}
