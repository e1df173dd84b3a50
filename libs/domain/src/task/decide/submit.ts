import { conflict, forbidden } from '../../shared/domain-error';
import { validate } from '../../contract/validation';
import type { SubmitTaskWork } from '../commands';
import type { TaskWorkSubmitted } from '../events';
import { requireOpenAccount, requireOpenTask, requireTask, requireUser } from '../guards';
import { MAX_TASK_CONTENT_LENGTH } from '../policy';
import { findSubmission, openSlotsOf, type TaskState } from '../state';

/** A worker submits work into one open slot, before the application deadline. */
export function decideSubmitTaskWork(command: SubmitTaskWork, state: TaskState): TaskWorkSubmitted[] {
  requireTask(state);
  requireUser(command.actor);
  if (command.actor.id === state.clientId) throw forbidden('TASK_CLIENT_MAY_NOT_SUBMIT', 'the client of a task may not submit work to it');
  const check = validate().id(command.submissionId, 'submissionId').text(command.content, 'content', 'INVALID_CONTENT', MAX_TASK_CONTENT_LENGTH);
  if (command.deliverables !== undefined) check.deliverables(command.deliverables, 'deliverables');
  check.done();
  requireOpenAccount(command.actor.id, command.closedAccounts, 'WORKER_ACCOUNT_CLOSED');
  requireOpenTask(state);
  if (Date.parse(command.at) > Date.parse(state.applicationDeadline)) {
    throw conflict('TASK_APPLICATION_CLOSED', `the task took submissions until ${state.applicationDeadline}`, { applicationDeadline: state.applicationDeadline });
  }
  if (findSubmission(state, command.submissionId)) {
    throw conflict('SUBMISSION_ALREADY_EXISTS', `submission ${command.submissionId} was already made`, { submissionId: command.submissionId });
  }
  const openSlots = openSlotsOf(state);
  if (openSlots === 0) throw conflict('TASK_NO_OPEN_SLOT', 'every slot of the task is approved or awaiting a decision', { slots: state.slots });

  return [
    {
      type: 'TaskWorkSubmitted',
      data: {
        taskId: state.taskId,
        clientId: state.clientId,
        submissionId: command.submissionId,
        workerId: command.actor.id,
        content: command.content,
        deliverables: (command.deliverables ?? []).map((deliverable) => ({
          uri: deliverable.uri,
          ...(deliverable.sha256 !== undefined ? { sha256: deliverable.sha256.toLowerCase() } : {}),
        })),
        submittedAt: command.at,
        openSlotsAfter: openSlots - 1,
      },
    },
  ];
}
