import { addYen } from '../wallet/yen-arithmetic';
import type { TaskEvent } from './events';
import type { SubmissionState, TaskState } from './state';

const withSubmission = (state: TaskState, submissionId: string, change: Partial<SubmissionState>): SubmissionState[] =>
  state.submissions.map((submission) => (submission.submissionId === submissionId ? { ...submission, ...change } : submission));

/** Folds one event into the task's state. Pure: the state given is not changed. */
export function evolveTask(state: TaskState, event: TaskEvent): TaskState {
  switch (event.type) {
    case 'TaskPosted': {
      const { taskId, clientId, title, unitPrice, slots, applicationDeadline, autoApprovalAt, taxRate, feeScheduleId, rejectionCap, postedAt } = event.data;
      return { ...state, status: 'open', taskId, clientId, title, unitPrice, slots, applicationDeadline, autoApprovalAt, taxRate, feeScheduleId, rejectionCap, postedAt };
    }
    case 'TaskFunded':
      return { ...state, funded: addYen(state.funded, event.data.amount), paymentReference: event.data.paymentReference };
    case 'TaskWorkSubmitted': {
      const { submissionId, workerId, content, deliverables, submittedAt } = event.data;
      const submission: SubmissionState = {
        submissionId,
        workerId,
        content,
        deliverables,
        submittedAt,
        status: 'pending',
        approvedBy: null,
        payout: null,
        rejectionReason: null,
        decidedAt: null,
      };
      return { ...state, submissions: [...state.submissions, submission] };
    }
    case 'TaskSubmissionApproved': {
      const { submissionId, approvedBy, payout, approvedAt } = event.data;
      return {
        ...state,
        submissions: withSubmission(state, submissionId, { status: 'approved', approvedBy, payout, decidedAt: approvedAt }),
        paidOutGross: addYen(state.paidOutGross, payout.gross),
        fees: addYen(state.fees, payout.fee),
      };
    }
    case 'TaskSubmissionRejected':
      return { ...state, submissions: withSubmission(state, event.data.submissionId, { status: 'rejected', rejectionReason: event.data.reason, decidedAt: event.data.rejectedAt }) };
    case 'TaskClosed':
      return { ...state, status: 'closed', closedBy: event.data.closedBy, closedAt: event.data.closedAt };
    case 'TaskUnusedSlotsRefunded':
      return { ...state, refunded: addYen(state.refunded, event.data.amount) };
    case 'TaskSettled':
      return { ...state, status: 'settled', settledAt: event.data.settledAt };
    default:
      return state;
  }
}
