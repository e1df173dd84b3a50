import type { ContractCommand } from '../commands';
import { decideContract } from '../decide';
import { initialContractState } from '../state';
import {
  ACCEPTED_AT,
  CLIENT,
  CONTRACT_ID,
  MILESTONES,
  OFFERED_AT,
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

const offer = (fields: Partial<Parameters<typeof command<'OfferContract'>>[1]> = {}) =>
  command('OfferContract', {
    clientId: CLIENT.id,
    workerId: WORKER.id,
    title: 'Corporate website',
    milestones: MILESTONES,
    at: OFFERED_AT,
    ...fields,
  });

const milestone = (index: number, amount = 10_000) => ({
  milestoneId: `m${index}`,
  title: `Part ${index}`,
  amount,
  dueDate: '2025-05-01',
});

describe('offering a contract', () => {
  it('records the offer with its milestones and no fee schedule of its own', () => {
    given([]).when(offer()).then([offered]);
  });

  it('keeps a named fee schedule for acceptance', () => {
    given([])
      .when(offer({ feeScheduleId: 'lancers-2022-10' }))
      .then([{ ...offered, data: { ...offered.data, feeScheduleId: 'lancers-2022-10' } }]);
  });

  it('accepts 20 milestones but not 21, nor none', () => {
    const twenty = Array.from({ length: 20 }, (_, index) => milestone(index + 1));
    given([])
      .when(offer({ milestones: twenty }))
      .thenAssert((events) => expect(events).toHaveLength(1));
    given([])
      .when(offer({ milestones: [...twenty, milestone(21)] }))
      .thenThrows('invalid', 'INVALID_MILESTONE_COUNT');
    given([])
      .when(offer({ milestones: [] }))
      .thenThrows('invalid', 'INVALID_MILESTONE_COUNT');
  });

  it.each([
    ['zero amount', { ...milestone(1), amount: 0 }, 'INVALID_AMOUNT'],
    ['fractional amount', { ...milestone(1), amount: 1000.5 }, 'INVALID_AMOUNT'],
    ['negative amount', { ...milestone(1), amount: -1 }, 'INVALID_AMOUNT'],
    ['impossible due date', { ...milestone(1), dueDate: '2025-02-30' }, 'INVALID_DUE_DATE'],
    ['due date with time', { ...milestone(1), dueDate: '2025-02-03T00:00:00Z' }, 'INVALID_DUE_DATE'],
    ['blank title', { ...milestone(1), title: '  ' }, 'INVALID_TITLE'],
    ['blank id', { ...milestone(1), milestoneId: '' }, 'INVALID_ID'],
  ])('refuses a milestone with a %s', (_label, bad, code) => {
    given([])
      .when(offer({ milestones: [bad] }))
      .thenThrows('invalid', code);
  });

  it('accepts the smallest amount, ¥1', () => {
    given([])
      .when(offer({ milestones: [milestone(1, 1)] }))
      .thenAssert(([event]) => expect(event.type).toBe('ContractOffered'));
  });

  it('refuses two milestones with the same id', () => {
    given([])
      .when(offer({ milestones: [milestone(1), milestone(1)] }))
      .thenThrows('invalid', 'DUPLICATE_MILESTONE_ID');
  });

  it('refuses an unknown fee schedule', () => {
    given([])
      .when(offer({ feeScheduleId: 'no-such-schedule' }))
      .thenThrows('invalid', 'UNKNOWN_FEE_SCHEDULE');
  });

  it('refuses a client hiring itself', () => {
    given([])
      .when(offer({ workerId: CLIENT.id }))
      .thenThrows('invalid', 'SAME_CLIENT_AND_WORKER');
  });

  it('refuses a time without offset', () => {
    given([])
      .when(offer({ at: '2025-04-01T09:00:00' }))
      .thenThrows('invalid', 'INVALID_TIMESTAMP');
  });

  it('lists every bad field, not just the first', () => {
    const bad = offer({ title: '', milestones: [{ ...milestone(1), amount: 0 }] });
    expect(() => decideContract(bad, initialContractState())).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        code: 'INVALID_TITLE',
        details: {
          errors: [
            expect.objectContaining({ field: 'title', code: 'INVALID_TITLE' }),
            expect.objectContaining({ field: 'milestones[0].amount', code: 'INVALID_AMOUNT' }),
          ],
        },
      }),
    );
  });

  it('is made by the client it names', () => {
    given([])
      .when(offer({ actor: WORKER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
    given([])
      .when(offer({ actor: SUPPORT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given([])
      .when(offer({ actor: { id: CLIENT.id, role: 'system' } }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('cannot reuse an existing contract id', () => {
    given([offered]).when(offer()).thenThrows('conflict', 'CONTRACT_ALREADY_EXISTS');
  });
});

describe('any other command on an empty stream', () => {
  const commands: ContractCommand[] = [
    command('AmendOffer', { title: 'x' }),
    command('WithdrawOffer', {}),
    command('DeclineOffer', {}),
    command('AcceptOffer', {}),
    command('FundMilestone', { milestoneId: 'm1', paymentReference: 'p', method: 'card' }),
    command('DeliverMilestone', { milestoneId: 'm1', deliverables: [] }),
    command('RequestRevision', { milestoneId: 'm1', reason: 'r' }),
    command('InspectMilestone', { milestoneId: 'm1' }),
    command('SupportInspectMilestone', { milestoneId: 'm1', reason: 'r' }),
    command('PayOutMilestone', { milestoneId: 'm1' }),
    command('RefundMilestone', { milestoneId: 'm1', reason: 'r' }),
    command('ProposeTermsChange', { changeId: 'c', changes: [{ milestoneId: 'm1', dueDate: '2025-09-01' }] }),
    command('AcceptTermsChange', { changeId: 'c' }),
    command('RejectTermsChange', { changeId: 'c' }),
    command('RequestTermination', { reason: 'r' }),
    command('AcceptTermination', {}),
    command('RejectTermination', {}),
    command('SupportTerminate', { reason: 'r', splits: [] }),
    command('RequestContactReminder', { reminderId: 'r1' }),
    command('ApproveContactReminder', { reminderId: 'r1' }),
    command('DenyContactReminder', { reminderId: 'r1', reason: 'r' }),
  ];

  it.each(commands.map((each) => [each.type, each] as const))('%s is refused as CONTRACT_NOT_FOUND', (_type, each) => {
    given([]).when(each).thenThrows('not_found', 'CONTRACT_NOT_FOUND');
  });
});

describe('amending an offer', () => {
  const amendedMilestones = [{ milestoneId: 'a1', title: 'Everything', amount: 100_000, dueDate: '2025-08-01' }];

  it('records the whole amended offer', () => {
    given([offered])
      .when(command('AmendOffer', { title: 'Website, one delivery', milestones: amendedMilestones, feeScheduleId: 'coconala-2021-04' }))
      .then([
        {
          type: 'OfferAmended',
          data: {
            contractId: CONTRACT_ID,
            clientId: CLIENT.id,
            workerId: WORKER.id,
            title: 'Website, one delivery',
            milestones: amendedMilestones,
            feeScheduleId: 'coconala-2021-04',
          },
        },
      ]);
  });

  it('keeps what it does not name, and null returns to the default schedule', () => {
    const withSchedule = { ...offered, data: { ...offered.data, feeScheduleId: 'lancers-2022-10' } };
    given([withSchedule])
      .when(command('AmendOffer', { feeScheduleId: null }))
      .then([
        {
          type: 'OfferAmended',
          data: {
            contractId: CONTRACT_ID,
            clientId: CLIENT.id,
            workerId: WORKER.id,
            title: 'Corporate website',
            milestones: MILESTONES,
            feeScheduleId: null,
          },
        },
      ]);
  });

  it('is refused when it changes nothing', () => {
    given([offered]).when(command('AmendOffer', {})).thenThrows('invalid', 'EMPTY_AMENDMENT');
  });

  it('is the client’s alone', () => {
    given([offered])
      .when(command('AmendOffer', { title: 'x', actor: WORKER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
    given([offered])
      .when(command('AmendOffer', { title: 'x', actor: STRANGER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
    given([offered])
      .when(command('AmendOffer', { title: 'x', actor: SUPPORT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('is refused once the offer is accepted', () => {
    given(activeContract)
      .when(command('AmendOffer', { title: 'x' }))
      .thenThrows('conflict', 'OFFER_NOT_OPEN');
  });
});

describe('withdrawing and declining an offer', () => {
  const closed = { contractId: CONTRACT_ID, clientId: CLIENT.id, workerId: WORKER.id };

  it('the client withdraws', () => {
    given([offered])
      .when(command('WithdrawOffer', { reason: 'Project cancelled' }))
      .then([{ type: 'OfferWithdrawn', data: { ...closed, reason: 'Project cancelled' } }]);
  });

  it('the worker declines', () => {
    given([offered])
      .when(command('DeclineOffer', {}))
      .then([{ type: 'OfferDeclined', data: closed }]);
  });

  it('only the client withdraws and only the worker declines', () => {
    given([offered])
      .when(command('WithdrawOffer', { actor: WORKER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
    given([offered])
      .when(command('DeclineOffer', { actor: CLIENT }))
      .thenThrows('forbidden', 'NOT_CONTRACT_WORKER');
    given([offered])
      .when(command('DeclineOffer', { actor: SYSTEM }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('a closed offer can be neither withdrawn, declined, amended nor accepted', () => {
    const withdrawn = [offered, { type: 'OfferWithdrawn' as const, data: closed }];
    given(withdrawn).when(command('WithdrawOffer', {})).thenThrows('conflict', 'OFFER_NOT_OPEN');
    given(withdrawn).when(command('DeclineOffer', {})).thenThrows('conflict', 'OFFER_NOT_OPEN');
    given(withdrawn).when(command('AcceptOffer', {})).thenThrows('conflict', 'OFFER_NOT_OPEN');
    const declined = [offered, { type: 'OfferDeclined' as const, data: closed }];
    given(declined)
      .when(command('AmendOffer', { title: 'again' }))
      .thenThrows('conflict', 'OFFER_NOT_OPEN');
    given(declined)
      .when(command('FundMilestone', { milestoneId: 'm1', paymentReference: 'p', method: 'card' }))
      .thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
  });
});

describe('accepting an offer', () => {
  it('fixes the default schedule, the tax rate and each milestone’s gross', () => {
    given([offered])
      .when(command('AcceptOffer', { at: ACCEPTED_AT }))
      .then([accepted]);
  });

  it('applies the schedule named by the offer', () => {
    const lancers = { ...offered, data: { ...offered.data, feeScheduleId: 'lancers-2022-10' } };
    given([lancers])
      .when(command('AcceptOffer', { at: ACCEPTED_AT }))
      .thenAssert(([event]) => {
        expect(event.type).toBe('ContractAccepted');
        expect(event.data).toMatchObject({ feeScheduleId: 'lancers-2022-10', taxRate: '0.10' });
      });
  });

  it('computes gross as amount + floor(amount × 10%)', () => {
    const odd = { ...offered, data: { ...offered.data, milestones: [{ ...MILESTONES[0], amount: 10_009 }] } };
    given([odd])
      .when(command('AcceptOffer', { at: ACCEPTED_AT }))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ milestones: [{ gross: 11_009 }], totalGross: 11_009 }));
  });

  it('refuses a schedule not yet in force on the acceptance date in Japan', () => {
    const lancers = { ...offered, data: { ...offered.data, feeScheduleId: 'lancers-2022-10' } };
    // 14:59 UTC on 30 September is still 30 September in Japan.
    given([lancers])
      .when(command('AcceptOffer', { at: '2022-09-30T14:59:59Z' }))
      .thenThrows('conflict', 'FEE_SCHEDULE_NOT_IN_FORCE');
    given([lancers])
      .when(command('AcceptOffer', { at: '2022-09-30T15:00:00Z' }))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ feeScheduleId: 'lancers-2022-10' }));
  });

  it('refuses an acceptance before any default schedule is in force', () => {
    given([offered])
      .when(command('AcceptOffer', { at: '2019-09-30T14:59:59Z' }))
      .thenThrows('conflict', 'FEE_SCHEDULE_NOT_IN_FORCE');
  });

  it('is the worker’s alone', () => {
    given([offered])
      .when(command('AcceptOffer', { actor: CLIENT }))
      .thenThrows('forbidden', 'NOT_CONTRACT_WORKER');
    given([offered])
      .when(command('AcceptOffer', { actor: STRANGER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_WORKER');
    given([offered])
      .when(command('AcceptOffer', { actor: SUPPORT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('happens once', () => {
    given([offered, accepted]).when(command('AcceptOffer', {})).thenThrows('conflict', 'OFFER_NOT_OPEN');
  });
});
