import type { ContractEvent, TerminationRequested } from '../events';
import { contractView } from '../view';
import {
  ACCEPTED_AT,
  CLIENT,
  CONTRACT_ID,
  LATER,
  STRANGER,
  SUPPORT,
  SYSTEM,
  WORKER,
  activeContract,
  command,
  delivered,
  funded,
  given,
  offered,
} from '../testing/fixtures';

const requested: TerminationRequested = {
  type: 'TerminationRequested',
  data: { contractId: CONTRACT_ID, requestedBy: { id: CLIENT.id, party: 'client' }, reason: 'Budget cut', requestedAt: LATER },
};

describe('requesting termination (契約途中終了)', () => {
  it('either party requests it with a reason', () => {
    given(activeContract)
      .when(command('RequestTermination', { reason: 'Budget cut' }))
      .then([requested]);
    given(activeContract)
      .when(command('RequestTermination', { reason: 'Ill', actor: WORKER }))
      .thenAssert(([event], state) => {
        expect(event.data).toMatchObject({ requestedBy: { id: WORKER.id, party: 'worker' } });
        expect(contractView(state).pendingTermination).toEqual({
          requestedBy: { id: WORKER.id, party: 'worker' },
          requestedAt: LATER,
          reason: 'Ill',
        });
      });
  });

  it('is refused while a request is open, without a reason, or before acceptance', () => {
    given([...activeContract, requested])
      .when(command('RequestTermination', { reason: 'again', actor: WORKER }))
      .thenThrows('conflict', 'TERMINATION_PENDING');
    given(activeContract)
      .when(command('RequestTermination', { reason: '' }))
      .thenThrows('invalid', 'INVALID_REASON');
    given([offered])
      .when(command('RequestTermination', { reason: 'x' }))
      .thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
  });

  it('is for the parties only', () => {
    given(activeContract)
      .when(command('RequestTermination', { reason: 'x', actor: STRANGER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_PARTY');
    given(activeContract)
      .when(command('RequestTermination', { reason: 'x', actor: SUPPORT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });
});

describe('accepting termination', () => {
  const midway: ContractEvent[] = [...activeContract, funded('m1'), delivered('m1'), funded('m2'), requested];

  it('cancels unfunded milestones and refunds all open escrow to the client', () => {
    given(midway)
      .when(command('AcceptTermination', { at: '2025-04-20T00:00:00Z' }))
      .then([
        {
          type: 'EscrowRefunded',
          data: {
            contractId: CONTRACT_ID,
            milestoneId: 'm1',
            clientId: CLIENT.id,
            workerId: WORKER.id,
            amount: 50_000,
            reason: 'Budget cut',
            cause: 'termination',
            escrowAfter: 0,
          },
        },
        {
          type: 'EscrowRefunded',
          data: {
            contractId: CONTRACT_ID,
            milestoneId: 'm2',
            clientId: CLIENT.id,
            workerId: WORKER.id,
            amount: 30_000,
            reason: 'Budget cut',
            cause: 'termination',
            escrowAfter: 0,
          },
        },
        { type: 'MilestoneCancelled', data: { contractId: CONTRACT_ID, milestoneId: 'm3', reason: 'Budget cut' } },
        {
          type: 'ContractTerminated',
          data: {
            contractId: CONTRACT_ID,
            clientId: CLIENT.id,
            workerId: WORKER.id,
            terminatedBy: 'agreement',
            requestedBy: { id: CLIENT.id, party: 'client' },
            reason: 'Budget cut',
            cancelledMilestoneIds: ['m3'],
            refundedTotal: 80_000,
            paidOutGross: 0,
            acceptedAt: ACCEPTED_AT,
            terminatedAt: '2025-04-20T00:00:00Z',
          },
        },
      ]);
  });

  it('leaves a terminated contract with no escrow and refuses further work', () => {
    given(midway)
      .when(command('AcceptTermination', {}))
      .thenAssert((_events, state) => {
        const view = contractView(state);
        expect(view.status).toBe('terminated');
        expect(view.pendingTermination).toBeUndefined();
        expect(view.totals).toMatchObject({ funded: 80_000, refunded: 80_000, escrow: 0, paidOut: 0 });
        expect(view.milestones.map((milestone) => milestone.status)).toEqual(['refunded', 'refunded', 'cancelled']);
      });
  });

  it('only the other party answers', () => {
    given(midway)
      .when(command('AcceptTermination', { actor: CLIENT }))
      .thenThrows('forbidden', 'CANNOT_ANSWER_OWN_REQUEST');
    given(midway)
      .when(command('RejectTermination', { actor: CLIENT }))
      .thenThrows('forbidden', 'CANNOT_ANSWER_OWN_REQUEST');
    given(midway)
      .when(command('AcceptTermination', { actor: STRANGER }))
      .thenThrows('forbidden', 'NOT_CONTRACT_PARTY');
    given(midway)
      .when(command('AcceptTermination', { actor: SYSTEM }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
  });

  it('needs an open request', () => {
    given(activeContract).when(command('AcceptTermination', {})).thenThrows('conflict', 'TERMINATION_NOT_REQUESTED');
    given(activeContract).when(command('RejectTermination', {})).thenThrows('conflict', 'TERMINATION_NOT_REQUESTED');
  });

  it('the other party may reject it, and the contract goes on', () => {
    given(midway)
      .when(command('RejectTermination', { reason: 'Almost done' }))
      .thenAssert((events, state) => {
        expect(events).toEqual([
          {
            type: 'TerminationRejected',
            data: { contractId: CONTRACT_ID, rejectedBy: { id: WORKER.id, party: 'worker' }, reason: 'Almost done' },
          },
        ]);
        expect(state.status).toBe('active');
        expect(state.pendingTermination).toBeNull();
      });
  });
});

describe('support terminating with a split', () => {
  const midway: ContractEvent[] = [...activeContract, funded('m1'), delivered('m1'), funded('m2')];
  const terminate = (fields: Partial<Parameters<typeof command<'SupportTerminate'>>[1]> = {}) =>
    command('SupportTerminate', {
      reason: 'Dispute settled: 60% of m1 done',
      splits: [{ milestoneId: 'm1', payOutGross: 30_000 }],
      ...fields,
    });

  it('pays the agreed part to the worker with its fee and refunds the rest', () => {
    given(midway)
      .when(terminate())
      .thenAssert((events, state) => {
        expect(events.map((event) => event.type)).toEqual([
          'MilestonePaidOut',
          'EscrowRefunded',
          'EscrowRefunded',
          'MilestoneCancelled',
          'ContractTerminated',
        ]);
        expect(events[0].data).toMatchObject({
          milestoneId: 'm1',
          gross: 30_000,
          feeExTax: 6_000,
          feeTax: 600,
          fee: 6_600,
          net: 23_400,
          cumulativeGrossAfter: 30_000,
          cause: 'support_termination',
        });
        expect(events[1].data).toMatchObject({ milestoneId: 'm1', amount: 20_000, cause: 'termination', escrowAfter: 0 });
        expect(events[2].data).toMatchObject({ milestoneId: 'm2', amount: 30_000, cause: 'termination' });
        expect(events[4].data).toMatchObject({
          terminatedBy: 'support',
          supportId: SUPPORT.id,
          refundedTotal: 50_000,
          paidOutGross: 30_000,
          cancelledMilestoneIds: ['m3'],
        });
        const view = contractView(state);
        expect(view.totals).toEqual({
          gross: 80_000,
          funded: 80_000,
          paidOut: 30_000,
          fees: 6_600,
          net: 23_400,
          refunded: 50_000,
          escrow: 0,
        });
        expect(view.milestones[0]).toMatchObject({ status: 'paid_out', refundedTotal: 20_000, escrowBalance: 0 });
      });
  });

  it('a split of the whole escrow refunds nothing for that milestone', () => {
    given(midway)
      .when(terminate({ splits: [{ milestoneId: 'm1', payOutGross: 50_000 }] }))
      .thenAssert((events) => {
        const refunds = events.filter((event) => event.type === 'EscrowRefunded').map((event) => event.data.milestoneId);
        expect(refunds).toEqual(['m2']);
      });
  });

  it('cannot pay out more than the escrow holds', () => {
    given(midway)
      .when(terminate({ splits: [{ milestoneId: 'm1', payOutGross: 50_001 }] }))
      .thenThrows('conflict', 'SPLIT_EXCEEDS_ESCROW');
    given(midway)
      .when(terminate({ splits: [{ milestoneId: 'm3', payOutGross: 1 }] }))
      .thenThrows('conflict', 'SPLIT_EXCEEDS_ESCROW');
    given(midway)
      .when(terminate({ splits: [{ milestoneId: 'm1', payOutGross: -1 }] }))
      .thenThrows('invalid', 'INVALID_AMOUNT');
    given(midway)
      .when(terminate({ splits: [{ milestoneId: 'm8', payOutGross: 1 }] }))
      .thenThrows('not_found', 'MILESTONE_NOT_FOUND');
  });

  it('is support’s alone and needs a reason', () => {
    given(midway)
      .when(terminate({ actor: CLIENT }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(midway)
      .when(terminate({ actor: SYSTEM }))
      .thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(midway)
      .when(terminate({ reason: ' ' }))
      .thenThrows('invalid', 'INVALID_REASON');
  });

  it('a terminated contract takes no further command', () => {
    const terminated: ContractEvent[] = [
      ...activeContract,
      { type: 'MilestoneCancelled', data: { contractId: CONTRACT_ID, milestoneId: 'm1', reason: 'x' } },
      { type: 'MilestoneCancelled', data: { contractId: CONTRACT_ID, milestoneId: 'm2', reason: 'x' } },
      { type: 'MilestoneCancelled', data: { contractId: CONTRACT_ID, milestoneId: 'm3', reason: 'x' } },
      {
        type: 'ContractTerminated',
        data: {
          contractId: CONTRACT_ID,
          clientId: CLIENT.id,
          workerId: WORKER.id,
          terminatedBy: 'support',
          supportId: SUPPORT.id,
          reason: 'x',
          cancelledMilestoneIds: ['m1', 'm2', 'm3'],
          refundedTotal: 0,
          paidOutGross: 0,
          acceptedAt: ACCEPTED_AT,
          terminatedAt: LATER,
        },
      },
    ];
    given(terminated)
      .when(terminate({ splits: [] }))
      .thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
    given(terminated)
      .when(command('FundMilestone', { milestoneId: 'm1', paymentReference: 'p', method: 'card' }))
      .thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
    given(terminated)
      .when(command('RequestContactReminder', { reminderId: 'r1' }))
      .thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
  });
});
