import type { Deliverable } from '../contract/commands';
import type { PayoutFigures } from '../escrow/movement';
import type { TaskRejectionCapPolicy } from './policy';

export type SubmissionStatus = 'pending' | 'approved' | 'rejected';

export interface SubmissionState {
  submissionId: string;
  workerId: string;
  content: string;
  deliverables: Deliverable[];
  submittedAt: string;
  status: SubmissionStatus;
  approvedBy: 'client' | 'automatic' | null;
  payout: PayoutFigures | null;
  rejectionReason: string | null;
  decidedAt: string | null;
}

/** `open`: taking submissions until the deadline; `closed`: taking none, pending ones still decided; `settled`: nothing left. */
export type TaskStatus = 'none' | 'open' | 'closed' | 'settled';

export interface TaskState {
  status: TaskStatus;
  taskId: string;
  clientId: string;
  title: string;
  unitPrice: number;
  slots: number;
  applicationDeadline: string;
  autoApprovalAt: string;
  taxRate: string;
  feeScheduleId: string;
  rejectionCap: TaskRejectionCapPolicy | null;
  postedAt: string | null;
  funded: number;
  paymentReference: string | null;
  submissions: SubmissionState[];
  paidOutGross: number;
  fees: number;
  refunded: number;
  closedBy: 'client' | 'review_period_end' | null;
  closedAt: string | null;
  settledAt: string | null;
}

export const initialTaskState = (): TaskState => ({
  status: 'none',
  taskId: '',
  clientId: '',
  title: '',
  unitPrice: 0,
  slots: 0,
  applicationDeadline: '',
  autoApprovalAt: '',
  taxRate: '',
  feeScheduleId: '',
  rejectionCap: null,
  postedAt: null,
  funded: 0,
  paymentReference: null,
  submissions: [],
  paidOutGross: 0,
  fees: 0,
  refunded: 0,
  closedBy: null,
  closedAt: null,
  settledAt: null,
});

const countOf = (state: TaskState, status: SubmissionStatus): number => state.submissions.filter((submission) => submission.status === status).length;

export const pendingCountOf = (state: TaskState): number => countOf(state, 'pending');
/** Completed submissions: approved ones, by the client or automatically. */
export const approvedCountOf = (state: TaskState): number => countOf(state, 'approved');
export const rejectedCountOf = (state: TaskState): number => countOf(state, 'rejected');

/** Slots neither approved nor awaiting a decision: a rejected submission gives its slot back. */
export const openSlotsOf = (state: TaskState): number => state.slots - approvedCountOf(state) - pendingCountOf(state);

export const findSubmission = (state: TaskState, submissionId: string): SubmissionState | undefined =>
  state.submissions.find((submission) => submission.submissionId === submissionId);

/** Whoever submitted to the task may read it, besides its client. */
export const isTaskParty = (state: TaskState, accountId: string): boolean =>
  state.clientId === accountId || state.submissions.some((submission) => submission.workerId === accountId);

/**
 * Where an account stands in a task: open as its client until the task is settled (escrow may still be paid out or
 * refunded), open as a worker while a submission of theirs awaits a decision (it may still be paid).
 */
export const taskStanding = (state: TaskState, accountId: string): { openAsClient: boolean; openAsWorker: boolean } => ({
  openAsClient: state.status !== 'none' && state.status !== 'settled' && state.clientId === accountId,
  openAsWorker: state.submissions.some((submission) => submission.workerId === accountId && submission.status === 'pending'),
});
