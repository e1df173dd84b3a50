import type { SubmissionStatus } from '@escrow/domain/task';
import type { TaskSubmissionView } from '@escrow/domain/task';
import type { Deliverable } from '@escrow/domain/contract';
import { CountField, EnumField, FreeFormField, IdField, InstantField, NestedField, PositionField, TextField, YenField, everyValueOf } from '../http/openapi/response-fields';
import type { TaskResponse } from './task-commands';

const TASK_STATUSES = everyValueOf<TaskResponse['status']>()(['open', 'closed', 'settled']);
const SUBMISSION_STATUSES = everyValueOf<SubmissionStatus>()(['pending', 'approved', 'rejected']);

export class TaskDeliverableSchema implements Deliverable {
  @TextField() uri!: string;
  @TextField({ optional: true, description: 'Lower-case hex SHA-256' }) sha256?: string;
}

export class TaskSubmissionSchema implements TaskSubmissionView {
  @IdField() submissionId!: string;
  @IdField() workerId!: string;
  @EnumField(SUBMISSION_STATUSES) status!: SubmissionStatus;
  @TextField() content!: string;
  @NestedField(() => TaskDeliverableSchema, { list: true }) deliverables!: TaskDeliverableSchema[];
  @InstantField() submittedAt!: string;
  @EnumField(['client', 'automatic'], { nullable: true }) approvedBy!: 'client' | 'automatic' | null;
  @FreeFormField({ nullable: true, description: 'The payout of an approved submission: gross (the unit price), feeExTax, feeTax, fee, net, tiers, cumulative figures, scheduleId, taxRate' })
  payout!: TaskSubmissionView['payout'];
  @TextField({ nullable: true }) rejectionReason!: string | null;
  @InstantField({ nullable: true }) decidedAt!: string | null;
}

export class TaskRejectionCapSchema {
  @TextField({ description: 'The policy in force when the task was posted' }) id!: string;
  @CountField() minimum!: number;
  @TextField({ description: 'Share of the completed (approved) submissions, a decimal string' }) shareOfCompleted!: string;
  @CountField({ description: 'max(minimum, floor(shareOfCompleted × approved)): the rejections allowed now' }) cap!: number;
}

/** A task (タスク形式): its slots, submissions and escrow. */
export class TaskResponseSchema implements TaskResponse {
  @IdField() taskId!: string;
  @IdField() clientId!: string;
  @TextField() title!: string;
  @EnumField(TASK_STATUSES) status!: TaskResponse['status'];
  @YenField({ description: 'Tax-inclusive yen per approved submission' }) unitPrice!: number;
  @CountField() slots!: number;
  @CountField({ description: 'Slots taking a submission now; 0 once closed' }) openSlots!: number;
  @CountField() pending!: number;
  @CountField() approved!: number;
  @CountField() rejected!: number;
  @InstantField() applicationDeadline!: string;
  @InstantField({ description: 'applicationDeadline + 14 days: pending submissions are approved automatically then' }) autoApprovalAt!: string;
  @TextField() taxRate!: string;
  @TextField() feeScheduleId!: string;
  @NestedField(() => TaskRejectionCapSchema) rejectionCap!: TaskRejectionCapSchema;
  @YenField({ description: 'Prepaid: unitPrice × slots' }) funded!: number;
  @YenField({ description: 'Gross released to workers' }) paidOut!: number;
  @YenField({ description: 'The fees within paidOut' }) fees!: number;
  @YenField({ description: 'Unused slots returned to the client' }) refunded!: number;
  @YenField({ description: 'funded − paidOut − refunded' }) inEscrow!: number;
  @NestedField(() => TaskSubmissionSchema, { list: true }) submissions!: TaskSubmissionSchema[];
  @InstantField() postedAt!: string;
  @EnumField(['client', 'review_period_end'], { nullable: true }) closedBy!: 'client' | 'review_period_end' | null;
  @InstantField({ nullable: true }) closedAt!: string | null;
  @InstantField({ nullable: true }) settledAt!: string | null;
  @PositionField({ description: 'Stream revision' }) revision!: number;
  @PositionField({ description: 'Global position of the last event' }) position!: number;
}
