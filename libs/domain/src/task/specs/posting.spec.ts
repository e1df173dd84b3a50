import { deciderSpec } from '../../testing/given-when-then';
import { taskDecider } from '../decider';
import { MAX_TASK_SLOTS, MAX_TASK_UNIT_PRICE } from '../policy';
import { AUTO_APPROVAL_AT, CLIENT, DEADLINE, post, posted, SYSTEM } from './fixtures';

const { given } = deciderSpec(taskDecider);

describe('posting a task', () => {
  it('records the task and its prepayment of unit price × slots, with the fee schedule, tax rate and rejection cap in force', () => {
    given([]).when(post()).then(posted());
  });

  it('states the automatic approval two weeks after the application deadline', () => {
    given([]).when(post()).thenAssert((_, state) => {
      expect(state.applicationDeadline).toBe(DEADLINE);
      expect(AUTO_APPROVAL_AT).toBe('2027-04-29T00:00:00.000Z');
      expect(state.autoApprovalAt).toBe(AUTO_APPROVAL_AT);
      expect(state.funded).toBe(10_000);
    });
  });

  it('takes a unit price of ¥5, the smallest, and refuses ¥4', () => {
    given([]).when(post({ unitPrice: 5 })).thenAssert(([, funded]) => expect(funded.data).toMatchObject({ amount: 50 }));
    given([]).when(post({ unitPrice: 4 })).thenThrows('invalid', 'INVALID_UNIT_PRICE');
  });

  it('refuses a unit price or a number of slots beyond the bounds, or not a whole number', () => {
    given([]).when(post({ unitPrice: MAX_TASK_UNIT_PRICE + 1 })).thenThrows('invalid', 'INVALID_UNIT_PRICE');
    given([]).when(post({ unitPrice: 10.5 })).thenThrows('invalid', 'INVALID_UNIT_PRICE');
    given([]).when(post({ slots: 0 })).thenThrows('invalid', 'INVALID_SLOTS');
    given([]).when(post({ slots: MAX_TASK_SLOTS + 1 })).thenThrows('invalid', 'INVALID_SLOTS');
  });

  it('refuses a deadline not after the posting or more than 90 days after it', () => {
    given([]).when(post({ applicationDeadline: '2027-03-31T00:00:00Z' })).thenThrows('invalid', 'INVALID_APPLICATION_DEADLINE');
    given([]).when(post({ applicationDeadline: '2027-07-01T00:00:00Z' })).thenThrows('invalid', 'INVALID_APPLICATION_DEADLINE');
    given([]).when(post({ applicationDeadline: 'next week' })).thenThrows('invalid', 'INVALID_TIMESTAMP');
  });

  it('refuses a blank title or payment reference and an unknown payment method', () => {
    given([]).when(post({ title: ' ' })).thenThrows('invalid', 'INVALID_TITLE');
    given([]).when(post({ paymentReference: '' })).thenThrows('invalid', 'INVALID_PAYMENT_REFERENCE');
    given([]).when(post({ method: 'cash' as never })).thenThrows('invalid', 'INVALID_PAYMENT_METHOD');
  });

  it('refuses a task posted twice, by a closed account, or by staff', () => {
    given(posted()).when(post()).thenThrows('conflict', 'TASK_ALREADY_POSTED');
    given([]).when(post({ closedAccounts: [CLIENT.id] })).thenThrows('conflict', 'CLIENT_ACCOUNT_CLOSED');
    given([]).when(post({ actor: SYSTEM })).thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });
});
