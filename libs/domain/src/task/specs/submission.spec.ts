import { deciderSpec } from '../../testing/given-when-then';
import { taskDecider } from '../decider';
import { approve, BEFORE_DEADLINE, CLIENT, close, DEADLINE, OTHER_WORKER, posted, reject, run, submissions, submit, TASK_ID, WORKER } from './fixtures';

const { given } = deciderSpec(taskDecider);

describe('submitting work into a task', () => {
  it('takes one open slot per submission, with no proposal', () => {
    given(posted()).when(submit('s1')).then([
      {
        type: 'TaskWorkSubmitted',
        data: {
          taskId: TASK_ID,
          clientId: CLIENT.id,
          submissionId: 's1',
          workerId: WORKER.id,
          content: 'Answers of s1',
          deliverables: [],
          submittedAt: BEFORE_DEADLINE,
          openSlotsAfter: 9,
        },
      },
    ]);
  });

  it('refuses a submission when every slot is approved or awaiting a decision', () => {
    given(run(posted(2), submissions(2))).when(submit('s3')).thenThrows('conflict', 'TASK_NO_OPEN_SLOT');
  });

  it('reopens a rejected slot while the task is open', () => {
    given(run(posted(2), [...submissions(2), reject('s1')])).when(submit('s3', OTHER_WORKER)).thenAssert(([submitted]) => {
      expect(submitted.data).toMatchObject({ submissionId: 's3', openSlotsAfter: 0 });
    });
  });

  it('refuses a submission after the application deadline, or to a closed task', () => {
    given(posted()).when(submit('s1', WORKER, '2027-04-15T00:00:00.001Z')).thenThrows('conflict', 'TASK_APPLICATION_CLOSED');
    given(posted()).when(submit('s1', WORKER, DEADLINE)).thenAssert(([submitted]) => expect(submitted.type).toBe('TaskWorkSubmitted'));
    given(run(posted(), [submit('s1'), close()])).when(submit('s2')).thenThrows('conflict', 'TASK_NOT_OPEN');
  });

  it('refuses a submission id used before, the client submitting to their own task, and a closed account', () => {
    given(run(posted(), [submit('s1'), approve('s1')])).when(submit('s1')).thenThrows('conflict', 'SUBMISSION_ALREADY_EXISTS');
    given(posted()).when(submit('s1', CLIENT)).thenThrows('forbidden', 'TASK_CLIENT_MAY_NOT_SUBMIT');
    given(posted()).when({ ...submit('s1'), closedAccounts: [WORKER.id] }).thenThrows('conflict', 'WORKER_ACCOUNT_CLOSED');
  });

  it('refuses blank content, bad deliverables and a task that was never posted', () => {
    given(posted()).when({ ...submit('s1'), content: '' }).thenThrows('invalid', 'INVALID_CONTENT');
    given(posted()).when({ ...submit('s1'), deliverables: [{ uri: 'javascript:alert(1)' }] }).thenThrows('invalid', 'INVALID_DELIVERABLE_URI');
    given([]).when(submit('s1')).thenThrows('not_found', 'TASK_NOT_FOUND');
  });
});
