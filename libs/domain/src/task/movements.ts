import { escrowIdOf, type EscrowMovementReaders } from '../escrow/movement';
import type { TaskFunded, TaskSubmissionApproved, TaskUnusedSlotsRefunded } from './events';

/** The prepayment and the refund concern every slot at once; a payout its own submission. */
export const TASK_SLOTS_LINE = 'slots';
export const submissionLineOf = (submissionId: string): string => `submission:${submissionId}`;

const base = (data: { taskId: string; clientId: string }) => ({ format: 'task' as const, escrowId: escrowIdOf('task', data.taskId), clientId: data.clientId });

/** How a task's events move its escrow: the ledger, wallet credits, fee reports and history read them from here. */
export const TASK_ESCROW_MOVEMENTS: EscrowMovementReaders = {
  TaskFunded: {
    kind: 'funded',
    read: (data) => {
      const funded = data as TaskFunded['data'];
      return { ...base(funded), kind: 'funded', lineId: TASK_SLOTS_LINE, amount: funded.amount };
    },
  },
  TaskSubmissionApproved: {
    kind: 'paidOut',
    read: (data) => {
      const approved = data as TaskSubmissionApproved['data'];
      return {
        ...base(approved),
        kind: 'paidOut',
        lineId: submissionLineOf(approved.submissionId),
        workerId: approved.workerId,
        cause: approved.approvedBy === 'client' ? 'submission_approved' : 'submission_approved_automatically',
        payout: approved.payout,
      };
    },
  },
  TaskUnusedSlotsRefunded: {
    kind: 'refunded',
    read: (data) => {
      const refunded = data as TaskUnusedSlotsRefunded['data'];
      return { ...base(refunded), kind: 'refunded', lineId: TASK_SLOTS_LINE, amount: refunded.amount, cause: 'unused_slots' };
    },
  },
};
