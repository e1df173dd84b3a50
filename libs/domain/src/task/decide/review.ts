import { conflict, forbidden } from '../../shared/domain-error';
import { MAX_REASON_LENGTH } from '../../shared/limits';
import { validate } from '../../contract/validation';
import type { ApproveTaskSubmission, AutoApproveTaskSubmissions, RejectTaskSubmission } from '../commands';
import type { TaskClosed, TaskSubmissionApproved, TaskSubmissionRejected } from '../events';
import { evolveTask } from '../evolve';
import { requirePendingSubmission, requireTask, requireTaskClient } from '../guards';
import { rejectionCapOf, taskSubmissionPayout, TASK_REJECTION_CAP_POLICY } from '../policy';
import { approvedCountOf, rejectedCountOf, type SubmissionState, type TaskState } from '../state';

/** The approval of one pending submission, paid at once from the task's escrow. */
const approval = (state: TaskState, submission: SubmissionState, approvedBy: 'client' | 'automatic', at: string): TaskSubmissionApproved => ({
  type: 'TaskSubmissionApproved',
  data: {
    taskId: state.taskId,
    clientId: state.clientId,
    submissionId: submission.submissionId,
    workerId: submission.workerId,
    approvedBy,
    payout: taskSubmissionPayout(state.unitPrice, state.taxRate, { gross: state.paidOutGross, fee: state.fees }),
    approvedAt: at,
  },
});

export function decideApproveTaskSubmission(command: ApproveTaskSubmission, state: TaskState): TaskSubmissionApproved[] {
  requireTask(state);
  requireTaskClient(state, command.actor);
  validate().id(command.submissionId, 'submissionId').done();
  const submission = requirePendingSubmission(state, command.submissionId);
  return [approval(state, submission, 'client', command.at)];
}

/**
 * The client rejects (非承認) a pending submission, within the task's rejection cap and before the automatic approval;
 * while the task is open its slot takes a new submission.
 */
export function decideRejectTaskSubmission(command: RejectTaskSubmission, state: TaskState): TaskSubmissionRejected[] {
  requireTask(state);
  requireTaskClient(state, command.actor);
  validate().id(command.submissionId, 'submissionId').text(command.reason, 'reason', 'INVALID_REASON', MAX_REASON_LENGTH).done();
  const submission = requirePendingSubmission(state, command.submissionId);
  if (Date.parse(command.at) >= Date.parse(state.autoApprovalAt)) {
    throw conflict('TASK_REVIEW_PERIOD_OVER', `pending submissions were due for automatic approval at ${state.autoApprovalAt}`, { autoApprovalAt: state.autoApprovalAt });
  }
  const policy = state.rejectionCap ?? TASK_REJECTION_CAP_POLICY;
  const completed = approvedCountOf(state);
  const rejections = rejectedCountOf(state);
  const cap = rejectionCapOf(policy, completed);
  if (rejections + 1 > cap) {
    throw conflict(
      'TASK_REJECTION_CAP_REACHED',
      `a client may reject at most max(${policy.minimum}, floor(${policy.shareOfCompleted} × completed submissions)) = ${cap} submissions of this task; ${rejections} are rejected`,
      { rule: 'rejectionCap', policy: policy.id, minimum: policy.minimum, shareOfCompleted: policy.shareOfCompleted, completed, rejections, cap },
    );
  }
  return [
    {
      type: 'TaskSubmissionRejected',
      data: {
        taskId: state.taskId,
        clientId: state.clientId,
        submissionId: submission.submissionId,
        workerId: submission.workerId,
        reason: command.reason,
        rejectionsAfter: rejections + 1,
        completed,
        cap,
        rejectedAt: command.at,
      },
    },
  ];
}

/**
 * Two weeks after the application deadline the service approves every submission still pending, in the order they
 * were made, and closes the task if its client has not.
 */
export function decideAutoApproveTaskSubmissions(command: AutoApproveTaskSubmissions, state: TaskState): (TaskSubmissionApproved | TaskClosed)[] {
  requireTask(state);
  if (command.actor.role !== 'system') throw forbidden('ROLE_NOT_ALLOWED', 'only the service itself approves submissions automatically', { role: command.actor.role });
  if (Date.parse(command.at) < Date.parse(state.autoApprovalAt)) {
    throw conflict('TASK_REVIEW_PERIOD_NOT_OVER', `pending submissions are approved automatically at ${state.autoApprovalAt}`, { autoApprovalAt: state.autoApprovalAt });
  }
  if (state.status === 'settled') throw conflict('TASK_ALREADY_SETTLED', 'the task is settled: nothing is pending', { status: state.status });
  const events: (TaskSubmissionApproved | TaskClosed)[] = [];
  let current = state;
  for (const submission of state.submissions.filter((each) => each.status === 'pending')) {
    const approved = approval(current, submission, 'automatic', command.at);
    events.push(approved);
    current = evolveTask(current, approved);
  }
  if (state.status === 'open') {
    events.push({ type: 'TaskClosed', data: { taskId: state.taskId, clientId: state.clientId, closedBy: 'review_period_end', closedAt: command.at } });
  }
  return events;
}
