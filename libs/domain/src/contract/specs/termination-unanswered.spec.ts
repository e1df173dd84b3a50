import type { ContractEvent, TerminationRequested } from '../events';
import { CLIENT, CONTRACT_ID, LATER, SUPPORT, WORKER, activeContract, command, delivered, funded, given } from '../testing/fixtures';

const requested: TerminationRequested = {
  type: 'TerminationRequested',
  data: { contractId: CONTRACT_ID, requestedBy: { id: CLIENT.id, party: 'client' }, reason: 'Budget cut', requestedAt: LATER },
};
const SEVEN_DAYS_MS = 7 * 86_400_000;
const DEADLINE = '2025-04-17T00:00:00.000Z';
const midway: ContractEvent[] = [...activeContract, funded('m1'), delivered('m1'), funded('m2'), requested];
const complete = (at: string, requestedAt = LATER) =>
  command('CompleteUnansweredTermination', { at, requestedAt, answerWithinMs: SEVEN_DAYS_MS });

describe('completing an unanswered termination request', () => {
  it('completes on the requester terms once the answer period is over: unfunded cancelled, open escrow refunded in full', () => {
    given(midway)
      .when(complete(DEADLINE))
      .thenAssert((events, state) => {
        expect(events.map((event) => event.type)).toEqual(['EscrowRefunded', 'EscrowRefunded', 'MilestoneCancelled', 'ContractTerminated']);
        expect(events.slice(0, 2).map((event) => event.data)).toEqual([
          expect.objectContaining({ milestoneId: 'm1', amount: 50_000, cause: 'termination', escrowAfter: 0 }),
          expect.objectContaining({ milestoneId: 'm2', amount: 30_000, cause: 'termination', escrowAfter: 0 }),
        ]);
        expect(events[3].data).toMatchObject({
          terminatedBy: 'unanswered',
          requestedBy: { id: CLIENT.id, party: 'client' },
          reason: 'Budget cut',
          cancelledMilestoneIds: ['m3'],
          refundedTotal: 80_000,
          paidOutGross: 0,
          terminatedAt: DEADLINE,
        });
        expect(state.status).toBe('terminated');
        expect(state.pendingTermination).toBeNull();
      });
  });

  it('is refused before the answer period is over', () => {
    given(midway).when(complete('2025-04-16T23:59:59.999Z')).thenThrows('conflict', 'TERMINATION_ANSWER_PERIOD_OPEN');
  });

  it('is refused when the request was answered: rejected, accepted, or another request made since', () => {
    given([...midway, { type: 'TerminationRejected', data: { contractId: CONTRACT_ID, rejectedBy: { id: WORKER.id, party: 'worker' } } }])
      .when(complete(DEADLINE))
      .thenThrows('conflict', 'TERMINATION_ANSWERED');
    given(midway)
      .when(command('AcceptTermination', { at: '2025-04-12T00:00:00Z' }))
      .thenAssert((events) => {
        given([...midway, ...events]).when(complete(DEADLINE)).thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
      });
    given(midway).when(complete(DEADLINE, '2025-04-01T00:00:00Z')).thenThrows('conflict', 'TERMINATION_ANSWERED');
  });

  it('is the service own command, with a positive answer period', () => {
    given(midway).when(command('CompleteUnansweredTermination', { at: DEADLINE, requestedAt: LATER, answerWithinMs: SEVEN_DAYS_MS, actor: SUPPORT })).thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(midway).when(command('CompleteUnansweredTermination', { at: DEADLINE, requestedAt: LATER, answerWithinMs: 0 })).thenThrows('invalid', 'INVALID_DURATION');
  });
});
