import { deciderSpec } from '../../testing/given-when-then';
import { taskDecider } from '../decider';
import { rejectionCapOf, TASK_REJECTION_CAP_POLICY } from '../policy';
import { approve, AUTO_APPROVAL_AT, BEFORE_DEADLINE, CLIENT, OTHER_WORKER, posted, reject, run, submissions, submit, TASK_ID, WORKER } from './fixtures';

const { given } = deciderSpec(taskDecider);

describe('approving a submission', () => {
  it('pays it at once: the unit price minus a flat 20 % fee and tax on the fee', () => {
    given(run(posted(), [submit('s1')])).when(approve('s1')).then([
      {
        type: 'TaskSubmissionApproved',
        data: {
          taskId: TASK_ID,
          clientId: CLIENT.id,
          submissionId: 's1',
          workerId: WORKER.id,
          approvedBy: 'client',
          payout: {
            gross: 1_000,
            feeExTax: 200,
            feeTax: 20,
            fee: 220,
            net: 780,
            tiers: [{ rate: '0.20', from: 0, upTo: null, grossInTier: 1_000 }],
            cumulativeGrossBefore: 0,
            cumulativeGrossAfter: 1_000,
            cumulativeFeeAfter: 220,
            scheduleId: 'task-flat-20',
            taxRate: '0.10',
          },
          approvedAt: BEFORE_DEADLINE,
        },
      },
    ]);
  });

  it('counts the task\'s totals in the cumulative figures of the next payout', () => {
    given(run(posted(), [submit('s1'), submit('s2', OTHER_WORKER), approve('s1')])).when(approve('s2')).thenAssert(([approved]) => {
      expect(approved.type === 'TaskSubmissionApproved' && approved.data.payout).toMatchObject({ fee: 220, cumulativeGrossBefore: 1_000, cumulativeGrossAfter: 2_000, cumulativeFeeAfter: 440 });
    });
  });

  it('is the client\'s only, of a pending submission', () => {
    given(run(posted(), [submit('s1')])).when({ ...approve('s1'), actor: WORKER }).thenThrows('forbidden', 'NOT_TASK_CLIENT');
    given(run(posted(), [submit('s1')])).when({ ...approve('s1'), actor: { id: 'support-1', role: 'support' } }).thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(run(posted(), [submit('s1'), approve('s1')])).when(approve('s1')).thenThrows('conflict', 'SUBMISSION_NOT_PENDING');
    given(run(posted(), [submit('s1'), reject('s1')])).when(approve('s1')).thenThrows('conflict', 'SUBMISSION_NOT_PENDING');
    given(posted()).when(approve('s9')).thenThrows('not_found', 'SUBMISSION_NOT_FOUND');
  });
});

describe('rejecting a submission', () => {
  it('records the reason, the rejections so far, the completed submissions and the cap they allow', () => {
    given(run(posted(), [submit('s1')])).when(reject('s1')).then([
      {
        type: 'TaskSubmissionRejected',
        data: {
          taskId: TASK_ID,
          clientId: CLIENT.id,
          submissionId: 's1',
          workerId: WORKER.id,
          reason: 'The labels are wrong',
          rejectionsAfter: 1,
          completed: 0,
          cap: 3,
          rejectedAt: BEFORE_DEADLINE,
        },
      },
    ]);
  });

  it('needs a reason, and is refused once the automatic approval is due', () => {
    given(run(posted(), [submit('s1')])).when({ ...reject('s1'), reason: '' }).thenThrows('invalid', 'INVALID_REASON');
    given(run(posted(), [submit('s1')])).when(reject('s1', AUTO_APPROVAL_AT)).thenThrows('conflict', 'TASK_REVIEW_PERIOD_OVER');
  });
});

describe('the rejection cap: max(3, floor(30 % of completed submissions))', () => {
  it('is the larger of 3 and 30 % of the approved submissions, rounded down', () => {
    expect([0, 1, 10, 13, 14, 16, 17, 20, 100].map((completed) => rejectionCapOf(TASK_REJECTION_CAP_POLICY, completed))).toEqual([3, 3, 3, 3, 4, 4, 5, 6, 30]);
  });

  // With few completions the minimum of 3 applies: the second and third rejections pass, the fourth is refused.
  it('allows a second and a third rejection with no completions', () => {
    given(run(posted(), [...submissions(3), reject('s1')])).when(reject('s2')).thenAssert(([rejected]) => expect(rejected.data).toMatchObject({ rejectionsAfter: 2, cap: 3 }));
    given(run(posted(), [...submissions(3), reject('s1'), reject('s2')])).when(reject('s3')).thenAssert(([rejected]) => expect(rejected.data).toMatchObject({ rejectionsAfter: 3, cap: 3 }));
  });

  it('refuses a fourth rejection with few completions, naming the rule', () => {
    const history = run(posted(), [...submissions(6), approve('s5'), approve('s6'), reject('s1'), reject('s2'), reject('s3')]);
    given(history).when(reject('s4')).thenThrows('conflict', 'TASK_REJECTION_CAP_REACHED');
    expect(() => taskDecider.decide(reject('s4'), history.reduce(taskDecider.evolve, taskDecider.initialState()))).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ rule: 'rejectionCap', completed: 2, rejections: 3, cap: 3 }) }),
    );
  });

  const withCompleted = (completed: number, rejections: number) => {
    const total = completed + rejections + 1;
    const ids = Array.from({ length: total }, (_, index) => `s${index + 1}`);
    return run(posted(40), [
      ...submissions(total),
      ...ids.slice(0, completed).map((id) => approve(id)),
      ...ids.slice(completed, completed + rejections).map((id) => reject(id)),
    ]);
  };
  const next = (completed: number, rejections: number) => reject(`s${completed + rejections + 1}`);

  it('at the 30 % boundary: 13 completed allow 3 rejections, 14 completed allow a fourth but not a fifth', () => {
    given(withCompleted(13, 3)).when(next(13, 3)).thenThrows('conflict', 'TASK_REJECTION_CAP_REACHED');
    given(withCompleted(14, 3)).when(next(14, 3)).thenAssert(([rejected]) => expect(rejected.data).toMatchObject({ rejectionsAfter: 4, completed: 14, cap: 4 }));
    given(withCompleted(14, 4)).when(next(14, 4)).thenThrows('conflict', 'TASK_REJECTION_CAP_REACHED');
  });

  it('with many completions: 20 completed allow 6 rejections, and the seventh is refused', () => {
    given(withCompleted(20, 5)).when(next(20, 5)).thenAssert(([rejected]) => expect(rejected.data).toMatchObject({ rejectionsAfter: 6, cap: 6 }));
    given(withCompleted(20, 6)).when(next(20, 6)).thenThrows('conflict', 'TASK_REJECTION_CAP_REACHED');
  });
});
