import { evolveTask } from '../evolve';
import { initialTaskState } from '../state';
import { mayReadTaskHistory, taskViewFor } from '../view';
import { CLIENT, OTHER_WORKER, posted, run, submit, WORKER } from './fixtures';

describe('who sees which submissions of a task', () => {
  const events = run(posted(3), [submit('s1', WORKER), submit('s2', OTHER_WORKER), submit('s3', WORKER)]);
  const state = events.reduce(evolveTask, initialTaskState());
  const workersSeenBy = (reader: typeof CLIENT) => taskViewFor(state, reader)!.submissions.map((submission) => [submission.submissionId, submission.workerId]);

  it('shows the client and staff every submission', () => {
    expect(workersSeenBy(CLIENT)).toEqual([['s1', WORKER.id], ['s2', OTHER_WORKER.id], ['s3', WORKER.id]]);
    expect(workersSeenBy({ id: 'support-1', role: 'support' })).toHaveLength(3);
    expect(workersSeenBy({ id: 'auditor-1', role: 'auditor' })).toHaveLength(3);
  });

  it('shows a worker only their own submissions, with the task\'s counts unchanged', () => {
    expect(workersSeenBy(WORKER)).toEqual([['s1', WORKER.id], ['s3', WORKER.id]]);
    expect(workersSeenBy(OTHER_WORKER)).toEqual([['s2', OTHER_WORKER.id]]);
    expect(taskViewFor(state, OTHER_WORKER)).toMatchObject({ pending: 3, openSlots: 0 });
  });

  it('lets the client and staff read the history, which holds every submission whole, and no worker', () => {
    expect(mayReadTaskHistory(CLIENT, state)).toBe(true);
    expect(mayReadTaskHistory({ id: 'support-1', role: 'support' }, state)).toBe(true);
    expect(mayReadTaskHistory(WORKER, state)).toBe(false);
    expect(mayReadTaskHistory(OTHER_WORKER, state)).toBe(false);
  });
});
