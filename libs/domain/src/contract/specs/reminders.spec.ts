import type { ContactReminderRequested, ContractEvent } from '../events';
import { contractView } from '../view';
import {
  CLIENT,
  CONTRACT_ID,
  LATER,
  STRANGER,
  SUPPORT,
  SYSTEM,
  WORKER,
  accepted,
  activeContract,
  command,
  given,
  offered,
} from '../testing/fixtures';

const requestedByClient: ContactReminderRequested = {
  type: 'ContactReminderRequested',
  data: {
    contractId: CONTRACT_ID,
    reminderId: 'reminder-1',
    requestedBy: { id: CLIENT.id, party: 'client' },
    counterparty: { id: WORKER.id, party: 'worker' },
    message: 'No reply for a week',
    requestedAt: LATER,
  },
};

describe('contact reminders (連絡催促申請)', () => {
  it('a party asks support to prompt the other', () => {
    given(activeContract)
      .when(command('RequestContactReminder', { reminderId: 'reminder-1', message: 'No reply for a week' }))
      .then([requestedByClient]);
    given(activeContract)
      .when(command('RequestContactReminder', { reminderId: 'reminder-2', actor: WORKER }))
      .thenAssert(([event]) =>
        expect(event.data).toMatchObject({ requestedBy: { party: 'worker' }, counterparty: { id: CLIENT.id, party: 'client' } }),
      );
  });

  it('not before acceptance', () => {
    given([offered])
      .when(command('RequestContactReminder', { reminderId: 'r' }))
      .thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
  });

  it('only by the parties', () => {
    given(activeContract)
      .when(command('RequestContactReminder', { reminderId: 'r', actor: STRANGER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_PARTY');
    given(activeContract)
      .when(command('RequestContactReminder', { reminderId: 'r', actor: SUPPORT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('one open request per party, and ids are not reused', () => {
    const pending = [...activeContract, requestedByClient];
    given(pending)
      .when(command('RequestContactReminder', { reminderId: 'reminder-2' }))
      .thenThrows('conflict', 'CONTACT_REMINDER_PENDING');
    given(pending)
      .when(command('RequestContactReminder', { reminderId: 'reminder-1', actor: WORKER }))
      .thenThrows('conflict', 'CONTACT_REMINDER_ALREADY_EXISTS');
    given(pending)
      .when(command('RequestContactReminder', { reminderId: 'reminder-2', actor: WORKER }))
      .thenAssert(([event]) => expect(event.type).toBe('ContactReminderRequested'));
  });

  it('support approves', () => {
    given([...activeContract, requestedByClient])
      .when(command('ApproveContactReminder', { reminderId: 'reminder-1', reason: 'Worker silent since 1 April' }))
      .thenAssert((events, state) => {
        expect(events).toEqual([
          {
            type: 'ContactReminderApproved',
            data: {
              contractId: CONTRACT_ID,
              reminderId: 'reminder-1',
              supportId: SUPPORT.id,
              reason: 'Worker silent since 1 April',
              decidedAt: LATER,
            },
          },
        ]);
        expect(contractView(state).contactReminders).toEqual([
          {
            reminderId: 'reminder-1',
            requestedBy: { id: CLIENT.id, party: 'client' },
            requestedAt: LATER,
            message: 'No reply for a week',
            status: 'approved',
            decidedBy: SUPPORT.id,
            decidedAt: LATER,
            reason: 'Worker silent since 1 April',
          },
        ]);
      });
  });

  it('support denies with a reason', () => {
    given([...activeContract, requestedByClient])
      .when(command('DenyContactReminder', { reminderId: 'reminder-1', reason: 'Worker replied yesterday' }))
      .then([
        {
          type: 'ContactReminderDenied',
          data: {
            contractId: CONTRACT_ID,
            reminderId: 'reminder-1',
            supportId: SUPPORT.id,
            reason: 'Worker replied yesterday',
            decidedAt: LATER,
          },
        },
      ]);
    given([...activeContract, requestedByClient])
      .when(command('DenyContactReminder', { reminderId: 'reminder-1', reason: '' }))
      .thenThrows('invalid', 'INVALID_REASON');
  });

  it('only support decides, once, on a known request', () => {
    const pending = [...activeContract, requestedByClient];
    given(pending)
      .when(command('ApproveContactReminder', { reminderId: 'reminder-1', actor: WORKER }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(pending)
      .when(command('DenyContactReminder', { reminderId: 'reminder-1', reason: 'x', actor: SYSTEM }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(pending)
      .when(command('ApproveContactReminder', { reminderId: 'nope' }))
      .thenThrows('not_found', 'CONTACT_REMINDER_NOT_FOUND');
    const approved: ContractEvent[] = [
      ...pending,
      {
        type: 'ContactReminderApproved',
        data: { contractId: CONTRACT_ID, reminderId: 'reminder-1', supportId: SUPPORT.id, decidedAt: LATER },
      },
    ];
    given(approved)
      .when(command('DenyContactReminder', { reminderId: 'reminder-1', reason: 'x' }))
      .thenThrows('conflict', 'CONTACT_REMINDER_ALREADY_DECIDED');
  });

  it('after the contract ends a pending request can be denied but not approved', () => {
    const ended: ContractEvent[] = [
      offered,
      accepted,
      requestedByClient,
      ...['m1', 'm2', 'm3'].map((milestoneId): ContractEvent => ({
        type: 'MilestoneCancelled',
        data: { contractId: CONTRACT_ID, milestoneId, reason: 'Ended' },
      })),
      {
        type: 'ContractTerminated',
        data: {
          contractId: CONTRACT_ID,
          clientId: CLIENT.id,
          workerId: WORKER.id,
          terminatedBy: 'agreement',
          requestedBy: { id: WORKER.id, party: 'worker' },
          reason: 'Ended',
          cancelledMilestoneIds: ['m1', 'm2', 'm3'],
          refundedTotal: 0,
          paidOutGross: 0,
          acceptedAt: accepted.data.acceptedAt,
          terminatedAt: LATER,
        },
      },
    ];
    given(ended)
      .when(command('ApproveContactReminder', { reminderId: 'reminder-1' }))
      .thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
    given(ended)
      .when(command('DenyContactReminder', { reminderId: 'reminder-1', reason: 'Contract ended' }))
      .thenAssert(([event]) => expect(event.type).toBe('ContactReminderDenied'));
  });
});
