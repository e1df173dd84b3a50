import { deciderSpec } from '../../testing/given-when-then';
import { taskDecider } from '../decider';
import { approve, AUTO_APPROVAL_AT, autoApprove, BEFORE_DEADLINE, CLIENT, close, posted, reject, run, submissions, submit, TASK_ID, WORKER } from './fixtures';

const { given } = deciderSpec(taskDecider);
const base = { taskId: TASK_ID, clientId: CLIENT.id };

describe('closing a task and refunding its unused slots', () => {
  it('closes at the client\'s word and, with nothing pending, refunds the unused slots once and settles', () => {
    given(run(posted(), [submit('s1'), approve('s1')])).when(close()).then([
      { type: 'TaskClosed', data: { ...base, closedBy: 'client', closedAt: BEFORE_DEADLINE } },
      { type: 'TaskUnusedSlotsRefunded', data: { ...base, unusedSlots: 9, unitPrice: 1_000, amount: 9_000, refundedAt: BEFORE_DEADLINE } },
      { type: 'TaskSettled', data: { ...base, approved: 1, rejected: 0, unusedSlots: 9, paidOut: 1_000, fees: 220, refunded: 9_000, settledAt: BEFORE_DEADLINE } },
    ]);
  });

  it('waits for pending submissions: the last decision settles, and a slot rejected after closing is refunded too', () => {
    const closedWithPending = run(posted(), [submit('s1'), submit('s2'), close()]);
    expect(closedWithPending.map((event) => event.type)).not.toContain('TaskUnusedSlotsRefunded');
    given(run(closedWithPending, [approve('s1')])).when(reject('s2')).thenAssert((events, state) => {
      expect(events.map((event) => event.type)).toEqual(['TaskSubmissionRejected', 'TaskUnusedSlotsRefunded', 'TaskSettled']);
      expect(events[1].data).toMatchObject({ unusedSlots: 9, amount: 9_000 });
      expect(state.funded - state.paidOutGross - state.refunded).toBe(0);
    });
  });

  it('refunds nothing when every slot was approved, and still settles', () => {
    given(run(posted(2), [...submissions(2), approve('s1')])).when(approve('s2')).thenAssert((events) => {
      expect(events.map((event) => event.type)).toEqual(['TaskSubmissionApproved']);
    });
    given(run(posted(2), [...submissions(2), approve('s1'), approve('s2')])).when(close()).thenAssert((events) => {
      expect(events.map((event) => event.type)).toEqual(['TaskClosed', 'TaskSettled']);
    });
  });

  it('refuses a second closing and a closing by anyone but the client', () => {
    given(run(posted(), [close()])).when(close()).thenThrows('conflict', 'TASK_NOT_OPEN');
    given(posted()).when({ ...close(), actor: WORKER }).thenThrows('forbidden', 'NOT_TASK_CLIENT');
  });
});

describe('automatic approval two weeks after the application deadline', () => {
  it('approves every pending submission as the service, closes the task and refunds the unused slots', () => {
    given(run(posted(), [...submissions(3), approve('s1'), reject('s2')])).when(autoApprove()).thenAssert((events, state) => {
      expect(events.map((event) => event.type)).toEqual(['TaskSubmissionApproved', 'TaskClosed', 'TaskUnusedSlotsRefunded', 'TaskSettled']);
      expect(events[0].data).toMatchObject({ submissionId: 's3', approvedBy: 'automatic', approvedAt: AUTO_APPROVAL_AT, payout: { gross: 1_000, fee: 220, cumulativeGrossBefore: 1_000 } });
      expect(events[1].data).toMatchObject({ closedBy: 'review_period_end' });
      expect(events[2].data).toMatchObject({ unusedSlots: 8, amount: 8_000 });
      expect(state.status).toBe('settled');
    });
  });

  it('settles a task its client closed with submissions still pending', () => {
    given(run(posted(), [submit('s1'), close()])).when(autoApprove()).thenAssert((events) => {
      expect(events.map((event) => event.type)).toEqual(['TaskSubmissionApproved', 'TaskUnusedSlotsRefunded', 'TaskSettled']);
    });
  });

  it('is refused before it is due, once the task is settled, and from anyone but the service', () => {
    given(run(posted(), [submit('s1')])).when(autoApprove('2027-04-28T23:59:59.999Z')).thenThrows('conflict', 'TASK_REVIEW_PERIOD_NOT_OVER');
    given(run(posted(), [close()])).when(autoApprove()).thenThrows('conflict', 'TASK_ALREADY_SETTLED');
    given(run(posted(), [submit('s1')])).when({ ...autoApprove(), actor: CLIENT }).thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('refuses a command at an instant that is not one', () => {
    given(posted()).when({ ...close(), at: 'yesterday' }).thenThrows('invalid', 'INVALID_TIMESTAMP');
  });
});
