import { decideContract } from '../decide';
import type { ContractEvent } from '../events';
import { CLIENT, CONTRACT_ID, SUPPORT, WORKER, activeContract, command, delivered, funded, given, inspected } from '../testing/fixtures';

const FOURTEEN_DAYS_MS = 14 * 86_400_000;
const DELIVERED_AT = '2025-04-10T03:00:00.000Z';
const PERIOD_OVER = '2025-04-24T03:00:00.000Z';
const deliveredM1: ContractEvent[] = [...activeContract, funded('m1'), delivered('m1', DELIVERED_AT)];
const autoInspect = (at: string, fields: Partial<Parameters<typeof command<'AutoInspectMilestone'>>[1]> = {}) =>
  command('AutoInspectMilestone', { milestoneId: 'm1', afterMs: FOURTEEN_DAYS_MS, at, ...fields });
const revisionRequested: ContractEvent = { type: 'RevisionRequested', data: { contractId: CONTRACT_ID, milestoneId: 'm1', reason: 'Fix the header' } };

describe('the automatic inspection of a silent client’s delivery', () => {
  it('inspects once the period after the delivery is over, naming itself and the period', () => {
    given(deliveredM1)
      .when(autoInspect(PERIOD_OVER))
      .then([
        {
          type: 'MilestoneInspected',
          data: { contractId: CONTRACT_ID, milestoneId: 'm1', clientId: CLIENT.id, workerId: WORKER.id, inspectedBy: 'automatic', inspectedAfterMs: FOURTEEN_DAYS_MS },
        },
      ]);
  });

  it('is refused a millisecond before the period is over, naming when it may run', () => {
    given(deliveredM1).when(autoInspect('2025-04-24T02:59:59.999Z')).thenThrows('conflict', 'AUTO_INSPECTION_PERIOD_OPEN');
    // The same wall-clock time in Tokyo is nine hours earlier.
    given(deliveredM1).when(autoInspect('2025-04-24T03:00:00.000+09:00')).thenThrows('conflict', 'AUTO_INSPECTION_PERIOD_OPEN');
    expect(() => decideContract(autoInspect('2025-04-24T02:59:59.999Z'), given(deliveredM1).state())).toThrow(
      expect.objectContaining({ details: { milestoneId: 'm1', deliveredAt: DELIVERED_AT, eligibleAt: PERIOD_OVER } }),
    );
  });

  it('counts from the latest delivery, after a revision request', () => {
    const redelivered = [...deliveredM1, revisionRequested, delivered('m1', '2025-04-20T00:00:00.000Z', 2)];
    given(redelivered).when(autoInspect(PERIOD_OVER)).thenThrows('conflict', 'AUTO_INSPECTION_PERIOD_OPEN');
    given(redelivered)
      .when(autoInspect('2025-05-04T00:00:00.000Z'))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ inspectedBy: 'automatic' }));
  });

  it('is refused when no delivery awaits inspection: inspected first, a revision asked for, not delivered, cancelled', () => {
    given([...deliveredM1, inspected('m1')]).when(autoInspect(PERIOD_OVER)).thenThrows('conflict', 'MILESTONE_ALREADY_INSPECTED');
    given([...deliveredM1, revisionRequested]).when(autoInspect(PERIOD_OVER)).thenThrows('conflict', 'MILESTONE_NOT_DELIVERED');
    given([...activeContract, funded('m1')]).when(autoInspect(PERIOD_OVER)).thenThrows('conflict', 'MILESTONE_NOT_DELIVERED');
    given([...deliveredM1, { type: 'MilestoneCancelled', data: { contractId: CONTRACT_ID, milestoneId: 'm1', reason: 'terms' } } as ContractEvent])
      .when(autoInspect(PERIOD_OVER))
      .thenThrows('conflict', 'MILESTONE_CLOSED');
  });

  it('is the service’s own command, with a positive period', () => {
    given(deliveredM1).when(autoInspect(PERIOD_OVER, { actor: SUPPORT })).thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(deliveredM1).when(autoInspect(PERIOD_OVER, { actor: CLIENT })).thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(deliveredM1).when(autoInspect(PERIOD_OVER, { afterMs: 0 })).thenThrows('invalid', 'INVALID_DURATION');
    given(deliveredM1).when(autoInspect(PERIOD_OVER, { afterMs: 1.5 })).thenThrows('invalid', 'INVALID_DURATION');
  });
});
