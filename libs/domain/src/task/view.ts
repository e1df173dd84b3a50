import { addYen, subtractYen } from '../wallet/yen-arithmetic';
import type { Deliverable } from '../contract/commands';
import { readsEverything } from '../shared/access';
import type { Actor } from '../shared/actor';
import type { PayoutFigures } from '../escrow/movement';
import { rejectionCapOf, TASK_REJECTION_CAP_POLICY, type TaskRejectionCapPolicy } from './policy';
import { approvedCountOf, openSlotsOf, pendingCountOf, rejectedCountOf, type SubmissionStatus, type TaskState, type TaskStatus } from './state';

export interface TaskSubmissionView {
  submissionId: string;
  workerId: string;
  status: SubmissionStatus;
  content: string;
  deliverables: Deliverable[];
  submittedAt: string;
  approvedBy: 'client' | 'automatic' | null;
  payout: PayoutFigures | null;
  rejectionReason: string | null;
  decidedAt: string | null;
}

/** The task as its routes and its history answer it. */
export interface TaskView {
  taskId: string;
  clientId: string;
  title: string;
  status: Exclude<TaskStatus, 'none'>;
  /** Tax-inclusive yen per approved submission. */
  unitPrice: number;
  slots: number;
  openSlots: number;
  pending: number;
  approved: number;
  rejected: number;
  applicationDeadline: string;
  autoApprovalAt: string;
  taxRate: string;
  feeScheduleId: string;
  rejectionCap: TaskRejectionCapPolicy & { cap: number };
  /** Escrow: prepaid, released to workers (gross), the fee within it, refunded, and held now. */
  funded: number;
  paidOut: number;
  fees: number;
  refunded: number;
  inEscrow: number;
  submissions: TaskSubmissionView[];
  postedAt: string;
  closedBy: 'client' | 'review_period_end' | null;
  closedAt: string | null;
  settledAt: string | null;
}

export function taskView(state: TaskState): TaskView | null {
  if (state.status === 'none') return null;
  const policy = state.rejectionCap ?? TASK_REJECTION_CAP_POLICY;
  const approved = approvedCountOf(state);
  return {
    taskId: state.taskId,
    clientId: state.clientId,
    title: state.title,
    status: state.status,
    unitPrice: state.unitPrice,
    slots: state.slots,
    openSlots: state.status === 'open' ? openSlotsOf(state) : 0,
    pending: pendingCountOf(state),
    approved,
    rejected: rejectedCountOf(state),
    applicationDeadline: state.applicationDeadline,
    autoApprovalAt: state.autoApprovalAt,
    taxRate: state.taxRate,
    feeScheduleId: state.feeScheduleId,
    rejectionCap: { ...policy, cap: rejectionCapOf(policy, approved) },
    funded: state.funded,
    paidOut: state.paidOutGross,
    fees: state.fees,
    refunded: state.refunded,
    inEscrow: subtractYen(state.funded, addYen(state.paidOutGross, state.refunded)),
    submissions: state.submissions.map(({ submissionId, workerId, status, content, deliverables, submittedAt, approvedBy, payout, rejectionReason, decidedAt }) => ({
      submissionId,
      workerId,
      status,
      content,
      deliverables,
      submittedAt,
      approvedBy,
      payout,
      rejectionReason,
      decidedAt,
    })),
    postedAt: state.postedAt ?? '',
    closedBy: state.closedBy,
    closedAt: state.closedAt,
    settledAt: state.settledAt,
  };
}

/**
 * The task as its reader may see it: whole for its client and staff; a worker sees only their own submissions, so that
 * no worker reads (and copies) another's work or learns another's payouts by submitting once.
 */
export function taskViewFor(state: TaskState, reader: Actor): TaskView | null {
  const view = taskView(state);
  if (view === null || mayReadTaskHistory(reader, state)) return view;
  return { ...view, submissions: view.submissions.filter((submission) => submission.workerId === reader.id) };
}

/** The history holds every submission whole: its client and staff read it, no worker. */
export const mayReadTaskHistory = (actor: Actor, state: Pick<TaskState, 'clientId'>): boolean =>
  readsEverything(actor) || (actor.role === 'user' && actor.id === state.clientId);
