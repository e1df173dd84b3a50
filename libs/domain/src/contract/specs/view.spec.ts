import type { ContractEvent } from '../events';
import { contractDecider, contractStreamId, CONTRACT_EVENT_SCHEMA_VERSIONS, CONTRACT_EVENT_TYPES, isContractEvent } from '../index';
import { contractView } from '../view';
import { CLIENT, CONTRACT_ID, LATER, WORKER, accepted, activeContract, funded, given, offered } from '../testing/fixtures';

describe('contractView', () => {
  it('shows an offer before acceptance, with no gross or tax rate fixed yet', () => {
    expect(contractView(given([offered]).state())).toEqual({
      contractId: CONTRACT_ID,
      status: 'offered',
      clientId: CLIENT.id,
      workerId: WORKER.id,
      title: 'Corporate website',
      feeScheduleId: null,
      taxRate: null,
      milestones: [
        {
          milestoneId: 'm1',
          title: 'Wireframes',
          amount: 45_455,
          gross: null,
          dueDate: '2025-05-01',
          status: 'unfunded',
          fundedGross: 0,
          escrowBalance: 0,
          fundingDue: 0,
          refundedTotal: 0,
          deliveries: 0,
        },
        {
          milestoneId: 'm2',
          title: 'Visual design',
          amount: 27_273,
          gross: null,
          dueDate: '2025-06-01',
          status: 'unfunded',
          fundedGross: 0,
          escrowBalance: 0,
          fundingDue: 0,
          refundedTotal: 0,
          deliveries: 0,
        },
        {
          milestoneId: 'm3',
          title: 'Implementation',
          amount: 45_455,
          gross: null,
          dueDate: '2025-07-01',
          status: 'unfunded',
          fundedGross: 0,
          escrowBalance: 0,
          fundingDue: 0,
          refundedTotal: 0,
          deliveries: 0,
        },
      ],
      totals: { gross: 0, funded: 0, paidOut: 0, fees: 0, net: 0, refunded: 0, escrow: 0 },
      contactReminders: [],
    });
  });

  it('shows the schedule, tax rate and grosses fixed at acceptance, and escrow as it is funded', () => {
    const view = contractView(given([...activeContract, funded('m2')]).state());
    expect(view).toMatchObject({ status: 'active', feeScheduleId: 'crowdworks-2019-10', taxRate: '0.10' });
    expect(view.milestones.map((milestone) => [milestone.gross, milestone.status, milestone.escrowBalance, milestone.fundingDue])).toEqual([
      [50_000, 'unfunded', 0, 50_000],
      [30_000, 'funded', 30_000, 0],
      [50_000, 'unfunded', 0, 50_000],
    ]);
    expect(view.totals).toEqual({ gross: 130_000, funded: 30_000, paidOut: 0, fees: 0, net: 0, refunded: 0, escrow: 30_000 });
  });

  it('shows the declined and withdrawn end states', () => {
    const closed = { contractId: CONTRACT_ID, clientId: CLIENT.id, workerId: WORKER.id };
    expect(contractView(given([offered, { type: 'OfferDeclined', data: closed }]).state()).status).toBe('declined');
    expect(contractView(given([offered, { type: 'OfferWithdrawn', data: closed }]).state()).status).toBe('withdrawn');
  });

  it('has nothing to show for an empty stream', () => {
    expect(() => contractView(contractDecider.initialState())).toThrow();
  });
});

describe('evolve', () => {
  it('ignores facts it cannot place rather than failing a replay', () => {
    const before = given(activeContract).state();
    const strays: ContractEvent[] = [
      {
        type: 'MilestoneDelivered',
        data: { ...funded('m1').data, deliverables: [], deliveryNumber: 1, deliveredAt: LATER, milestoneId: 'nope' },
      },
      { type: 'SomethingFromTheFuture', data: {} } as unknown as ContractEvent,
    ];
    expect(strays.reduce(contractDecider.evolve, before)).toEqual(before);
  });

  it('does not depend on the order of object keys or on object identity (replay from JSON)', () => {
    const events: ContractEvent[] = [offered, accepted, funded('m1')];
    const replayed = (JSON.parse(JSON.stringify(events)) as ContractEvent[]).reduce(contractDecider.evolve, contractDecider.initialState());
    expect(replayed).toEqual(given(events).state());
  });
});

describe('event catalogue', () => {
  it('every event type is at schema version 1 and recognised', () => {
    expect(CONTRACT_EVENT_TYPES).toHaveLength(22);
    CONTRACT_EVENT_TYPES.forEach((type) => {
      expect(CONTRACT_EVENT_SCHEMA_VERSIONS[type]).toBe(1);
      expect(isContractEvent({ type })).toBe(true);
    });
    expect(isContractEvent({ type: 'WalletCredited' })).toBe(false);
    expect(isContractEvent({ type: 'toString' })).toBe(false);
  });

  it('names one stream per contract', () => {
    expect(contractStreamId('abc-123')).toBe('contract-abc-123');
  });
});
