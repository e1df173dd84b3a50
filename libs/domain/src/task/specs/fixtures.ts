import type { Actor } from '../../shared/actor';
import type { ApproveTaskSubmission, AutoApproveTaskSubmissions, CloseTask, PostTask, RejectTaskSubmission, SubmitTaskWork, TaskCommand } from '../commands';
import { taskDecider } from '../decider';
import type { TaskEvent } from '../events';
import { autoApprovalAtOf, TASK_REJECTION_CAP_POLICY } from '../policy';

export const CLIENT: Actor = { id: 'client-1', role: 'user' };
export const WORKER: Actor = { id: 'worker-1', role: 'user' };
export const OTHER_WORKER: Actor = { id: 'worker-2', role: 'user' };
export const SYSTEM: Actor = { id: 'task-auto-approval', role: 'system' };
export const TASK_ID = 'task-1';
export const POSTED_AT = '2027-04-01T00:00:00.000Z';
export const DEADLINE = '2027-04-15T00:00:00.000Z';
export const AUTO_APPROVAL_AT = autoApprovalAtOf(DEADLINE);
export const BEFORE_DEADLINE = '2027-04-10T00:00:00.000Z';
export const UNIT_PRICE = 1_000;

export const post = (overrides: Partial<PostTask> = {}): PostTask => ({
  type: 'PostTask',
  taskId: TASK_ID,
  actor: CLIENT,
  at: POSTED_AT,
  title: 'Label 10 photos',
  unitPrice: UNIT_PRICE,
  slots: 10,
  applicationDeadline: DEADLINE,
  paymentReference: 'pay-1',
  method: 'card',
  ...overrides,
});

export const posted = (slots = 10, unitPrice = UNIT_PRICE): TaskEvent[] => [
  {
    type: 'TaskPosted',
    data: {
      taskId: TASK_ID,
      clientId: CLIENT.id,
      title: 'Label 10 photos',
      unitPrice,
      slots,
      applicationDeadline: DEADLINE,
      autoApprovalAt: AUTO_APPROVAL_AT,
      taxRate: '0.10',
      feeScheduleId: 'task-flat-20',
      rejectionCap: { ...TASK_REJECTION_CAP_POLICY },
      postedAt: POSTED_AT,
    },
  },
  { type: 'TaskFunded', data: { taskId: TASK_ID, clientId: CLIENT.id, amount: unitPrice * slots, paymentReference: 'pay-1', method: 'card', fundedAt: POSTED_AT } },
];

export const submit = (submissionId: string, actor: Actor = WORKER, at = BEFORE_DEADLINE): SubmitTaskWork => ({
  type: 'SubmitTaskWork',
  taskId: TASK_ID,
  actor,
  at,
  submissionId,
  content: `Answers of ${submissionId}`,
});
export const approve = (submissionId: string, at = BEFORE_DEADLINE): ApproveTaskSubmission => ({ type: 'ApproveTaskSubmission', taskId: TASK_ID, actor: CLIENT, at, submissionId });
export const reject = (submissionId: string, at = BEFORE_DEADLINE): RejectTaskSubmission => ({
  type: 'RejectTaskSubmission',
  taskId: TASK_ID,
  actor: CLIENT,
  at,
  submissionId,
  reason: 'The labels are wrong',
});
export const close = (at = BEFORE_DEADLINE): CloseTask => ({ type: 'CloseTask', taskId: TASK_ID, actor: CLIENT, at });
export const autoApprove = (at = AUTO_APPROVAL_AT): AutoApproveTaskSubmissions => ({ type: 'AutoApproveTaskSubmissions', taskId: TASK_ID, actor: SYSTEM, at });

/** The events of running the commands one after another on the given history (each must succeed). */
export function run(history: readonly TaskEvent[], commands: readonly TaskCommand[]): TaskEvent[] {
  const events = [...history];
  let state = events.reduce(taskDecider.evolve, taskDecider.initialState());
  for (const command of commands) {
    const produced = taskDecider.decide(command, state);
    events.push(...produced);
    state = produced.reduce(taskDecider.evolve, state);
  }
  return events;
}

/** n submissions by alternating workers, with ids s1…sn. */
export const submissions = (count: number, from = 1): TaskCommand[] =>
  Array.from({ length: count }, (_, index) => submit(`s${from + index}`, index % 2 === 0 ? WORKER : OTHER_WORKER));
