import { type TaskState, taskStreamId, taskStanding } from '@escrow/domain/task';
import type { WorkClosure } from '../formats/work-closure';
import { taskAggregate } from './task-commands';

/** How closure reads a task: open for its client until settled, for a worker while a submission of theirs is pending. */
export const TASK_WORK_CLOSURE: WorkClosure<TaskState> = {
  aggregate: taskAggregate as WorkClosure<TaskState>['aggregate'],
  streamId: taskStreamId,
  clientOf: (state) => state.clientId,
  standing: taskStanding,
};
