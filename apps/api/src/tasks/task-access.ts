import { isTaskParty, type TaskState, taskStreamId } from '@escrow/domain/task';
import type { WorkAccess } from '../formats/work-access';
import { taskAggregate } from './task-commands';

/**
 * A task is read by its client and by every worker who submitted to it (staff read everything); its money as a whole
 * (escrow account, fee report) by its client only, since it names every worker's pay.
 */
export const TASK_WORK_ACCESS: WorkAccess = {
  read: async (executor, id) => (await executor.read(taskAggregate, taskStreamId(id)))?.state,
  mayRead: (actor, state) => actor.role === 'user' && isTaskParty(state as TaskState, actor.id),
  mayReadMoney: (actor, state) => actor.role === 'user' && (state as TaskState).clientId === actor.id,
};
