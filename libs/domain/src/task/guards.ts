import type { Actor } from '../shared/actor';
import { DomainError, conflict, forbidden } from '../shared/domain-error';
import { findSubmission, type SubmissionState, type TaskState } from './state';

/** Refusals shared by the task's use cases. Each throws; none returns a partial result. */

const notFound = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('not_found', code, message, details);

export const requireTask = (state: TaskState): void => {
  if (state.status === 'none') throw notFound('TASK_NOT_FOUND', 'no task was posted under this id');
};

export const requireUser = (actor: Actor): void => {
  if (actor.role !== 'user') throw forbidden('ROLE_NOT_ALLOWED', `a ${actor.role} actor may not issue this command`, { role: actor.role });
};

export const requireTaskClient = (state: TaskState, actor: Actor): void => {
  requireUser(actor);
  if (actor.id !== state.clientId) throw forbidden('NOT_TASK_CLIENT', 'only the client who posted the task may do this');
};

export const requireOpenTask = (state: TaskState): void => {
  if (state.status !== 'open') throw conflict('TASK_NOT_OPEN', `the task is ${state.status}, not open`, { status: state.status });
};

export const requirePendingSubmission = (state: TaskState, submissionId: string): SubmissionState => {
  const submission = findSubmission(state, submissionId);
  if (!submission) throw notFound('SUBMISSION_NOT_FOUND', `submission ${submissionId} is not part of this task`, { submissionId });
  if (submission.status !== 'pending') {
    throw conflict('SUBMISSION_NOT_PENDING', `submission ${submissionId} is already ${submission.status}`, { submissionId, status: submission.status });
  }
  return submission;
};

/** A closed account (退会済み) takes part in no new task, funding or submission. */
export const requireOpenAccount = (accountId: string, closedAccounts: readonly string[] | undefined, code: 'CLIENT_ACCOUNT_CLOSED' | 'WORKER_ACCOUNT_CLOSED'): void => {
  if (Array.isArray(closedAccounts) && closedAccounts.includes(accountId)) {
    throw conflict(code, `the account ${accountId} is closed`, { accountId });
  }
};
