import type { Deliverable, PaymentMethod } from '../contract/commands';
import type { Actor } from '../shared/actor';

/**
 * Commands of the task aggregate (one stream per task). Every command names the task, its actor and the instant it
 * is issued at; ids (task, submission) are chosen by the caller so that the decider stays deterministic. Amounts are
 * whole yen; a task's unit price is tax-inclusive (税込), see docs/formats.md.
 */
interface CommandBase<Type extends string> {
  type: Type;
  taskId: string;
  actor: Actor;
  /** ISO-8601 instant. */
  at: string;
}

/** The accounts among the parties that the caller found closed (退会済み) on their account streams. */
interface PartyStanding {
  closedAccounts?: readonly string[];
}

/** The client posts the task and prepays unit price × slots with one gateway payment. */
export interface PostTask extends CommandBase<'PostTask'>, PartyStanding {
  title: string;
  /** Tax-inclusive yen paid per approved submission, at least ¥5. */
  unitPrice: number;
  slots: number;
  /** ISO-8601 instant after which no submission is taken. */
  applicationDeadline: string;
  paymentReference: string;
  method: PaymentMethod;
}

/** A worker submits work into an open slot (no proposal is needed). */
export interface SubmitTaskWork extends CommandBase<'SubmitTaskWork'>, PartyStanding {
  submissionId: string;
  content: string;
  deliverables?: Deliverable[];
}

export interface ApproveTaskSubmission extends CommandBase<'ApproveTaskSubmission'> {
  submissionId: string;
}

export interface RejectTaskSubmission extends CommandBase<'RejectTaskSubmission'> {
  submissionId: string;
  reason: string;
}

/** The client stops taking submissions before the deadline. */
export interface CloseTask extends CommandBase<'CloseTask'> {
  reason?: string;
}

/** The service, two weeks after the application deadline: approves what is pending and closes the task. */
export type AutoApproveTaskSubmissions = CommandBase<'AutoApproveTaskSubmissions'>;

export type TaskCommand = PostTask | SubmitTaskWork | ApproveTaskSubmission | RejectTaskSubmission | CloseTask | AutoApproveTaskSubmissions;
