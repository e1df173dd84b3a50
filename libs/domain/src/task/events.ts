import type { Deliverable, PaymentMethod } from '../contract/commands';
import type { PayoutFigures } from '../escrow/movement';
import { type DomainEvent, eventGuardOf } from '../shared/decider';
import type { TaskRejectionCapPolicy } from './policy';

/** Every event of a task's stream names the task and its client. */
interface TaskFact {
  taskId: string;
  clientId: string;
}

export type TaskPosted = DomainEvent<
  'TaskPosted',
  TaskFact & {
    title: string;
    /** Tax-inclusive yen per approved submission. */
    unitPrice: number;
    slots: number;
    applicationDeadline: string;
    /** applicationDeadline + two weeks: pending submissions are approved then. */
    autoApprovalAt: string;
    /** The consumption tax rate on the fee, in force at posting. */
    taxRate: string;
    feeScheduleId: string;
    rejectionCap: TaskRejectionCapPolicy;
    postedAt: string;
  }
>;

/** The client's prepayment of unit price × slots into the task's escrow. */
export type TaskFunded = DomainEvent<'TaskFunded', TaskFact & { amount: number; paymentReference: string; method: PaymentMethod; fundedAt: string }>;

export type TaskWorkSubmitted = DomainEvent<
  'TaskWorkSubmitted',
  TaskFact & { submissionId: string; workerId: string; content: string; deliverables: Deliverable[]; submittedAt: string; openSlotsAfter: number }
>;

/** Approved by the client or automatically, and paid at once: the unit price minus the flat fee. */
export type TaskSubmissionApproved = DomainEvent<
  'TaskSubmissionApproved',
  TaskFact & { submissionId: string; workerId: string; approvedBy: 'client' | 'automatic'; payout: PayoutFigures; approvedAt: string }
>;

export type TaskSubmissionRejected = DomainEvent<
  'TaskSubmissionRejected',
  TaskFact & {
    submissionId: string;
    workerId: string;
    reason: string;
    /** The client's rejections in this task with this one, the approvals before it, and the cap they allowed. */
    rejectionsAfter: number;
    completed: number;
    cap: number;
    rejectedAt: string;
  }
>;

export type TaskClosed = DomainEvent<'TaskClosed', TaskFact & { closedBy: 'client' | 'review_period_end'; reason?: string; closedAt: string }>;

/** Unit price × the slots no approved submission used, back to the client: once, when the closed task is settled. */
export type TaskUnusedSlotsRefunded = DomainEvent<'TaskUnusedSlotsRefunded', TaskFact & { unusedSlots: number; unitPrice: number; amount: number; refundedAt: string }>;

/** Closed with nothing pending: every slot is paid out or refunded. */
export type TaskSettled = DomainEvent<
  'TaskSettled',
  TaskFact & { approved: number; rejected: number; unusedSlots: number; paidOut: number; fees: number; refunded: number; settledAt: string }
>;

export type TaskEvent = TaskPosted | TaskFunded | TaskWorkSubmitted | TaskSubmissionApproved | TaskSubmissionRejected | TaskClosed | TaskUnusedSlotsRefunded | TaskSettled;

export const TASK_EVENT_SCHEMA_VERSIONS: Readonly<Record<TaskEvent['type'], number>> = {
  TaskPosted: 1,
  TaskFunded: 1,
  TaskWorkSubmitted: 1,
  TaskSubmissionApproved: 1,
  TaskSubmissionRejected: 1,
  TaskClosed: 1,
  TaskUnusedSlotsRefunded: 1,
  TaskSettled: 1,
};

export const isTaskEvent = eventGuardOf<TaskEvent>(TASK_EVENT_SCHEMA_VERSIONS);
