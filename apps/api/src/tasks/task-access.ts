import { isTaskParty, type TaskState, taskStreamId } from '@escrow/domain/task';
import type { WorkAccess } from '../formats/work-access';
import { taskAggregate } from './task-commands';

/** A task is read by its client and by every worker who submitted to it (staff read everything). */
export const TASK_WORK_ACCESS: WorkAccess = {
  read: async (executor, id) => (await executor.read(taskAggregate, taskStreamId(id)))?.state,
  mayRead: (actor, state) => actor.role === 'user' && isTaskParty(state as TaskState, actor.id),
};
