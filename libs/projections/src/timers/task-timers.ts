import type { RecordedEventOf } from '../runtime/declared-projection';
import { insertIfAbsent, update } from '../runtime/row-changes';

/** The due table the timers projection keeps (`timers`); this file adds the rows of tasks to it. */
const TIMERS = 'timers';

/** The automatic approval of one task: one per task, due two weeks after its application deadline. */
export const taskAutoApprovalTimerId = (taskId: string): string => `task-approve:${taskId}`;

/**
 * A task's timer: pending from its posting until it is settled (closed with nothing pending), whoever settled it. Due
 * at the instant the task's own event states (`autoApprovalAt`), a rule of the task rather than a deployment policy.
 */
export const TASK_TIMER_HANDLERS = {
  TaskPosted: ({ data, id, position }: RecordedEventOf<'TaskPosted'>) =>
    insertIfAbsent(TIMERS, {
      timer_id: taskAutoApprovalTimerId(data.taskId),
      kind: 'task_auto_approval',
      subject: JSON.stringify({ taskId: data.taskId, autoApprovalAt: data.autoApprovalAt }),
      due_at: new Date(Date.parse(data.autoApprovalAt)).toISOString(),
      state: 'pending',
      cause_event_id: id,
      created_position: position,
    }),
  TaskSettled: ({ data, position }: RecordedEventOf<'TaskSettled'>) =>
    update(TIMERS, { timer_id: taskAutoApprovalTimerId(data.taskId) }, { state: 'done', closed_position: position }),
};
