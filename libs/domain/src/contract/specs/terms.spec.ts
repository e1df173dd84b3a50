import type { ContractEvent, TermsChangeProposed } from '../events';
import { contractView } from '../view';
import {
  CLIENT,
  CONTRACT_ID,
  LATER,
  STRANGER,
  SUPPORT,
  WORKER,
  activeContract,
  command,
  delivered,
  funded,
  given,
  inspected,
  offered,
  readyForPayout,
} from '../testing/fixtures';

const propose = (fields: Partial<Parameters<typeof command<'ProposeTermsChange'>>[1]> = {}) =>
  command('ProposeTermsChange', {
    changeId: 'change-1',
    changes: [{ milestoneId: 'm1', amount: 27_273, dueDate: '2025-05-15' }],
    reason: 'Scope reduced',
    ...fields,
  });

const proposed = (
  changes: TermsChangeProposed['data']['changes'],
  extra: Partial<TermsChangeProposed['data']> = {},
): TermsChangeProposed => ({
  type: 'TermsChangeProposed',
  data: {
    contractId: CONTRACT_ID,
    changeId: 'change-1',
    proposedBy: { id: CLIENT.id, party: 'client' },
    changes,
    newMilestones: [],
    proposedAt: LATER,
    ...extra,
  },
});

const reductionOfM1 = proposed([{ milestoneId: 'm1', amount: 27_273, dueDate: '2025-05-15' }], { reason: 'Scope reduced' });
const raiseOfM1 = proposed([{ milestoneId: 'm1', amount: 55_455 }]);

describe('proposing a change of terms (条件変更)', () => {
  it('either party proposes; nothing changes until the other accepts', () => {
    given(activeContract).when(propose()).then([reductionOfM1]);
    given(activeContract)
      .when(propose({ actor: WORKER }))
      .thenAssert(([event], state) => {
        expect(event.data).toMatchObject({ proposedBy: { id: WORKER.id, party: 'worker' } });
        expect(state.milestones[0]).toMatchObject({ amount: 45_455, gross: 50_000 });
        expect(contractView(state).pendingTermsChange).toMatchObject({ changeId: 'change-1' });
      });
  });

  it('one open proposal at a time', () => {
    given([...activeContract, reductionOfM1])
      .when(propose({ changeId: 'change-2', actor: WORKER }))
      .thenThrows('conflict', 'TERMS_CHANGE_PENDING');
  });

  it('a change id names one proposal only', () => {
    const rejected: ContractEvent = {
      type: 'TermsChangeRejected',
      data: { contractId: CONTRACT_ID, changeId: 'change-1', rejectedBy: { id: WORKER.id, party: 'worker' } },
    };
    given([...activeContract, reductionOfM1, rejected])
      .when(propose())
      .thenThrows('conflict', 'TERMS_CHANGE_ID_ALREADY_USED');
    given([...activeContract, reductionOfM1, rejected])
      .when(propose({ changeId: 'change-2' }))
      .thenAssert(([event]) => expect(event.type).toBe('TermsChangeProposed'));
  });

  it('is for the parties of an active contract', () => {
    given(activeContract)
      .when(propose({ actor: STRANGER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_PARTY');
    given(activeContract)
      .when(propose({ actor: SUPPORT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given([offered]).when(propose()).thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
  });

  it('must change something valid', () => {
    given(activeContract)
      .when(propose({ changes: [] }))
      .thenThrows('invalid', 'EMPTY_TERMS_CHANGE');
    given(activeContract)
      .when(propose({ changes: [{ milestoneId: 'm1' }] }))
      .thenThrows('invalid', 'EMPTY_MILESTONE_CHANGE');
    given(activeContract)
      .when(propose({ changes: [{ milestoneId: 'm1', amount: 0 }] }))
      .thenThrows('invalid', 'INVALID_AMOUNT');
    given(activeContract)
      .when(propose({ changes: [{ milestoneId: 'm1', dueDate: '2025-13-01' }] }))
      .thenThrows('invalid', 'INVALID_DUE_DATE');
    given(activeContract)
      .when(
        propose({
          changes: [
            { milestoneId: 'm1', amount: 1 },
            { milestoneId: 'm1', amount: 2 },
          ],
        }),
      )
      .thenThrows('invalid', 'DUPLICATE_MILESTONE_ID');
  });

  it('only touches open milestones that exist', () => {
    given(activeContract)
      .when(propose({ changes: [{ milestoneId: 'm9', amount: 1 }] }))
      .thenThrows('not_found', 'MILESTONE_NOT_FOUND');
    const paid: ContractEvent[] = [
      ...activeContract,
      ...readyForPayout('m1'),
      {
        type: 'MilestonePaidOut',
        data: {
          contractId: CONTRACT_ID,
          milestoneId: 'm1',
          clientId: CLIENT.id,
          workerId: WORKER.id,
          gross: 50_000,
          feeExTax: 10_000,
          feeTax: 1_000,
          fee: 11_000,
          net: 39_000,
          tiers: [],
          cumulativeGrossBefore: 0,
          cumulativeGrossAfter: 50_000,
          cumulativeFeeAfter: 11_000,
          scheduleId: 'crowdworks-2019-10',
          taxRate: '0.10',
          cause: 'settlement',
        },
      },
    ];
    given(paid).when(propose()).thenThrows('conflict', 'MILESTONE_ALREADY_PAID_OUT');
  });

  it('adds milestones up to 20 in all, under new ids', () => {
    const extra = (index: number) => ({ milestoneId: `x${index}`, title: `Extra ${index}`, amount: 1_000, dueDate: '2025-09-01' });
    given(activeContract)
      .when(propose({ changes: [], newMilestones: Array.from({ length: 17 }, (_, index) => extra(index)) }))
      .thenAssert(([event]) => expect(event.type).toBe('TermsChangeProposed'));
    given(activeContract)
      .when(propose({ changes: [], newMilestones: Array.from({ length: 18 }, (_, index) => extra(index)) }))
      .thenThrows('conflict', 'TOO_MANY_MILESTONES');
    given(activeContract)
      .when(propose({ changes: [], newMilestones: [{ ...extra(1), milestoneId: 'm2' }] }))
      .thenThrows('conflict', 'MILESTONE_ALREADY_EXISTS');
  });
});

describe('answering a change of terms', () => {
  it('reducing a funded milestone refunds the difference in the same decision', () => {
    given([...activeContract, funded('m1'), reductionOfM1])
      .when(command('AcceptTermsChange', { changeId: 'change-1' }))
      .then([
        {
          type: 'TermsChangeAccepted',
          data: {
            contractId: CONTRACT_ID,
            changeId: 'change-1',
            clientId: CLIENT.id,
            workerId: WORKER.id,
            acceptedBy: { id: WORKER.id, party: 'worker' },
            changes: [
              {
                milestoneId: 'm1',
                previousAmount: 45_455,
                amount: 27_273,
                previousGross: 50_000,
                gross: 30_000,
                previousDueDate: '2025-05-01',
                dueDate: '2025-05-15',
              },
            ],
            newMilestones: [],
          },
        },
        {
          type: 'EscrowRefunded',
          data: {
            contractId: CONTRACT_ID,
            milestoneId: 'm1',
            clientId: CLIENT.id,
            workerId: WORKER.id,
            amount: 20_000,
            reason: 'change of terms change-1',
            cause: 'terms_change',
            escrowAfter: 30_000,
          },
        },
      ]);
  });

  it('reducing an unfunded milestone refunds nothing', () => {
    given([...activeContract, reductionOfM1])
      .when(command('AcceptTermsChange', { changeId: 'change-1' }))
      .thenAssert((events, state) => {
        expect(events.map((event) => event.type)).toEqual(['TermsChangeAccepted']);
        expect(contractView(state).milestones[0]).toMatchObject({ amount: 27_273, gross: 30_000, status: 'unfunded' });
      });
  });

  it('reducing a delivered milestone keeps the delivery and refunds the difference', () => {
    const reducedAfterDelivery: ContractEvent[] = [...activeContract, funded('m1'), delivered('m1'), reductionOfM1];
    given(reducedAfterDelivery)
      .when(command('AcceptTermsChange', { changeId: 'change-1' }))
      .thenAssert((events, state) => {
        expect(events[1].data).toMatchObject({ amount: 20_000, cause: 'terms_change' });
        expect(contractView(state).milestones[0]).toMatchObject({ status: 'delivered', escrowBalance: 30_000 });
      });
  });

  it('raising a funded milestone needs the difference prepaid before delivery', () => {
    const raised: ContractEvent[] = [
      ...activeContract,
      funded('m1'),
      raiseOfM1,
      {
        type: 'TermsChangeAccepted',
        data: {
          contractId: CONTRACT_ID,
          changeId: 'change-1',
          clientId: CLIENT.id,
          workerId: WORKER.id,
          acceptedBy: { id: WORKER.id, party: 'worker' },
          changes: [
            {
              milestoneId: 'm1',
              previousAmount: 45_455,
              amount: 55_455,
              previousGross: 50_000,
              gross: 61_000,
              previousDueDate: '2025-05-01',
              dueDate: '2025-05-01',
            },
          ],
          newMilestones: [],
        },
      },
    ];
    given([...activeContract, funded('m1'), raiseOfM1])
      .when(command('AcceptTermsChange', { changeId: 'change-1' }))
      .thenAssert((events) => {
        expect(events).toEqual([raised[4]]);
      });
    given(raised)
      .when(command('DeliverMilestone', { milestoneId: 'm1', deliverables: [] }))
      .thenThrows('conflict', 'ADDITIONAL_FUNDING_REQUIRED');
    given(raised)
      .when(command('FundMilestone', { milestoneId: 'm1', paymentReference: 'top-up', method: 'card', amount: 61_000 }))
      .thenThrows('conflict', 'FUNDING_AMOUNT_MISMATCH');
    given(raised)
      .when(command('FundMilestone', { milestoneId: 'm1', paymentReference: 'top-up', method: 'card', amount: 11_000 }))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ amount: 11_000, escrowAfter: 61_000 }));
    given([...raised, funded('m1', 11_000, 61_000)])
      .when(command('DeliverMilestone', { milestoneId: 'm1', deliverables: [] }))
      .thenAssert(([event]) => expect(event.type).toBe('MilestoneDelivered'));
  });

  it('raising an inspected milestone holds its payout until the difference is prepaid', () => {
    const raisedAfterInspection: ContractEvent[] = [
      ...activeContract,
      ...readyForPayout('m1'),
      raiseOfM1,
      {
        type: 'TermsChangeAccepted',
        data: {
          contractId: CONTRACT_ID,
          changeId: 'change-1',
          clientId: CLIENT.id,
          workerId: WORKER.id,
          acceptedBy: { id: WORKER.id, party: 'worker' },
          changes: [
            {
              milestoneId: 'm1',
              previousAmount: 45_455,
              amount: 55_455,
              previousGross: 50_000,
              gross: 61_000,
              previousDueDate: '2025-05-01',
              dueDate: '2025-05-01',
            },
          ],
          newMilestones: [],
        },
      },
    ];
    given(raisedAfterInspection)
      .when(command('PayOutMilestone', { milestoneId: 'm1' }))
      .thenThrows('conflict', 'ADDITIONAL_FUNDING_REQUIRED');
    given([...raisedAfterInspection, funded('m1', 11_000, 61_000)])
      .when(command('PayOutMilestone', { milestoneId: 'm1' }))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ gross: 61_000 }));
  });

  it('adds new milestones with their gross at the contract’s tax rate', () => {
    const addition = proposed([], { newMilestones: [{ milestoneId: 'm4', title: 'Extra page', amount: 9_091, dueDate: '2025-08-01' }] });
    given([...activeContract, addition])
      .when(command('AcceptTermsChange', { changeId: 'change-1' }))
      .thenAssert(([event], state) => {
        expect(event.data).toMatchObject({ newMilestones: [{ milestoneId: 'm4', amount: 9_091, gross: 10_000 }] });
        expect(contractView(state).milestones.map((milestone) => milestone.milestoneId)).toEqual(['m1', 'm2', 'm3', 'm4']);
        expect(contractView(state).totals.gross).toBe(140_000);
      });
  });

  it('the counterparty rejects, and the proposal is closed', () => {
    given([...activeContract, reductionOfM1])
      .when(command('RejectTermsChange', { changeId: 'change-1', reason: 'No' }))
      .thenAssert((events, state) => {
        expect(events).toEqual([
          {
            type: 'TermsChangeRejected',
            data: { contractId: CONTRACT_ID, changeId: 'change-1', rejectedBy: { id: WORKER.id, party: 'worker' }, reason: 'No' },
          },
        ]);
        expect(state.pendingTermsChange).toBeNull();
        expect(state.milestones[0].amount).toBe(45_455);
      });
  });

  it('only the other party answers', () => {
    const pending = [...activeContract, reductionOfM1];
    given(pending)
      .when(command('AcceptTermsChange', { changeId: 'change-1', actor: CLIENT }))
      .thenThrows('forbidden', 'CANNOT_ANSWER_OWN_PROPOSAL');
    given(pending)
      .when(command('RejectTermsChange', { changeId: 'change-1', actor: CLIENT }))
      .thenThrows('forbidden', 'CANNOT_ANSWER_OWN_PROPOSAL');
    given(pending)
      .when(command('AcceptTermsChange', { changeId: 'change-1', actor: STRANGER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_PARTY');
    given(pending)
      .when(command('AcceptTermsChange', { changeId: 'change-1', actor: SUPPORT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('answers only the open proposal', () => {
    given([...activeContract, reductionOfM1])
      .when(command('AcceptTermsChange', { changeId: 'change-9' }))
      .thenThrows('not_found', 'TERMS_CHANGE_NOT_FOUND');
    given(activeContract)
      .when(command('RejectTermsChange', { changeId: 'change-1' }))
      .thenThrows('not_found', 'TERMS_CHANGE_NOT_FOUND');
  });

  it('a proposal overtaken by a payout can no longer be accepted', () => {
    given([
      ...activeContract,
      ...readyForPayout('m1'),
      reductionOfM1,
      {
        type: 'MilestonePaidOut',
        data: {
          contractId: CONTRACT_ID,
          milestoneId: 'm1',
          clientId: CLIENT.id,
          workerId: WORKER.id,
          gross: 50_000,
          feeExTax: 10_000,
          feeTax: 1_000,
          fee: 11_000,
          net: 39_000,
          tiers: [],
          cumulativeGrossBefore: 0,
          cumulativeGrossAfter: 50_000,
          cumulativeFeeAfter: 11_000,
          scheduleId: 'crowdworks-2019-10',
          taxRate: '0.10',
          cause: 'settlement',
        },
      },
    ])
      .when(command('AcceptTermsChange', { changeId: 'change-1' }))
      .thenThrows('conflict', 'MILESTONE_ALREADY_PAID_OUT');
  });
});

describe('partial payment by reduction', () => {
  it('pays out the reduced gross with its own fee', () => {
    const reduced: ContractEvent[] = [
      ...activeContract,
      funded('m1'),
      delivered('m1'),
      reductionOfM1,
      {
        type: 'TermsChangeAccepted',
        data: {
          contractId: CONTRACT_ID,
          changeId: 'change-1',
          clientId: CLIENT.id,
          workerId: WORKER.id,
          acceptedBy: { id: WORKER.id, party: 'worker' },
          changes: [
            {
              milestoneId: 'm1',
              previousAmount: 45_455,
              amount: 27_273,
              previousGross: 50_000,
              gross: 30_000,
              previousDueDate: '2025-05-01',
              dueDate: '2025-05-15',
            },
          ],
          newMilestones: [],
        },
      },
      {
        type: 'EscrowRefunded',
        data: {
          contractId: CONTRACT_ID,
          milestoneId: 'm1',
          clientId: CLIENT.id,
          workerId: WORKER.id,
          amount: 20_000,
          reason: 'change of terms change-1',
          cause: 'terms_change',
          escrowAfter: 30_000,
        },
      },
      inspected('m1'),
    ];
    given(reduced)
      .when(command('PayOutMilestone', { milestoneId: 'm1' }))
      .thenAssert(([payout], state) => {
        expect(payout.data).toMatchObject({ gross: 30_000, feeExTax: 6_000, feeTax: 600, fee: 6_600, net: 23_400 });
        expect(contractView(state).milestones[0]).toMatchObject({
          status: 'paid_out',
          fundedGross: 50_000,
          refundedTotal: 20_000,
          escrowBalance: 0,
        });
      });
  });
});
