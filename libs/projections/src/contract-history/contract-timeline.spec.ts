import type { Actor } from '@escrow/domain/shared/actor';
import { contractStreamId } from '@escrow/domain/contract';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import type { RecordedEvent } from '@escrow/event-store/port';
import { postingsFor } from '../ledger/postings';
import { ContractDriver } from '../testing/contract-driver';
import { contractTimeline } from './contract-timeline';

const client: Actor = { id: 'client-1', role: 'user' };
const worker: Actor = { id: 'worker-1', role: 'user' };
const support: Actor = { id: 'support-1', role: 'support' };
const system: Actor = { id: 'settlement', role: 'system' };

// Grosses of ¥50,000, ¥30,000 and ¥50,000 at 10% consumption tax.
const milestone = (milestoneId: string, amount: number) => ({ milestoneId, title: milestoneId, amount, dueDate: '2026-12-31' });

describe('the timeline of a contract', () => {
  let store: InMemoryEventStore;
  let events: RecordedEvent[];

  /** Three milestones paid out across the fee tiers, the last after a partial refund by support. */
  beforeAll(async () => {
    store = new InMemoryEventStore();
    const driver = new ContractDriver(store);
    const run = (actor: Actor, command: Parameters<ContractDriver['run']>[2]) => driver.run('c1', actor, command);
    await run(client, { type: 'OfferContract', clientId: client.id, workerId: worker.id, title: 'Website', milestones: [milestone('m1', 45_455), milestone('m2', 27_273), milestone('m3', 45_455)] });
    await run(worker, { type: 'AcceptOffer' });
    for (const id of ['m1', 'm2', 'm3']) await run(client, { type: 'FundMilestone', milestoneId: id, paymentReference: `pay-${id}`, method: 'card' });
    for (const id of ['m1', 'm2']) {
      await run(worker, { type: 'DeliverMilestone', milestoneId: id, deliverables: [] });
      await run(client, { type: 'InspectMilestone', milestoneId: id });
      await run(system, { type: 'PayOutMilestone', milestoneId: id });
    }
    await run(support, { type: 'RefundMilestone', milestoneId: 'm3', amount: 20_000, reason: 'Scope reduced by agreement' });
    await run(worker, { type: 'DeliverMilestone', milestoneId: 'm3', deliverables: [] });
    await run(client, { type: 'InspectMilestone', milestoneId: 'm3' });
    await run(system, { type: 'PayOutMilestone', milestoneId: 'm3' });
    events = await store.readStream(contractStreamId('c1'));
  });

  afterAll(() => store.close());

  const stepAfter = (type: string, occurrence = 0) => contractTimeline(events).filter((step) => step.event.type === type)[occurrence];

  it('gives one step per event, in stream order, ending at the completed contract', () => {
    const steps = contractTimeline(events);
    expect(steps.map((step) => step.event.revision)).toEqual(events.map((event) => event.revision));
    expect(steps.at(-1)!.state.status).toBe('completed');
    expect(steps.at(-1)!.event.type).toBe('ContractCompleted');
  });

  it('shows the money per milestone after each event: funded, in escrow, paid out with fee and net, refunded', () => {
    expect(stepAfter('ContractAccepted').money.totals).toMatchObject({ gross: 130_000, funded: 0, inEscrow: 0 });
    expect(stepAfter('EscrowFunded', 2).money.totals).toMatchObject({ funded: 130_000, inEscrow: 130_000, paidOut: 0 });

    const first = stepAfter('MilestonePaidOut', 0).money;
    expect(first.milestones[0]).toMatchObject({ milestoneId: 'm1', status: 'paid_out', funded: 50_000, inEscrow: 0, paidOut: 50_000, feeExTax: 10_000, feeTax: 1_000, fee: 11_000, net: 39_000 });
    expect(first.totals).toMatchObject({ inEscrow: 80_000, paidOut: 50_000, fee: 11_000, net: 39_000 });

    // The second payout stays in the 20% tier: cumulative gross ¥80,000.
    const second = stepAfter('MilestonePaidOut', 1).money;
    expect(second.milestones[1]).toMatchObject({ milestoneId: 'm2', paidOut: 30_000, feeExTax: 6_000, feeTax: 600, fee: 6_600, net: 23_400 });

    const refunded = stepAfter('EscrowRefunded').money;
    expect(refunded.milestones[2]).toMatchObject({ milestoneId: 'm3', status: 'funded', funded: 50_000, inEscrow: 30_000, refunded: 20_000 });
    expect(refunded.totals).toMatchObject({ funded: 130_000, inEscrow: 30_000, refunded: 20_000 });

    // The third crosses ¥100,000: ¥20,000 at 20% and ¥10,000 at 10%, plus tax.
    const third = stepAfter('MilestonePaidOut', 2).money;
    expect(third.milestones[2]).toMatchObject({ paidOut: 30_000, feeExTax: 5_000, feeTax: 500, fee: 5_500, net: 24_500, refunded: 20_000, inEscrow: 0 });
    expect(third.totals).toMatchObject({ funded: 130_000, inEscrow: 0, paidOut: 110_000, fee: 23_100, net: 86_900, refunded: 20_000, cancelled: 0 });
  });

  it('gives each event the postings the ledger books for it, and none for an event that moves no money', () => {
    for (const step of contractTimeline(events)) expect(step.postings).toEqual(postingsFor(step.event));
    expect(stepAfter('MilestoneDelivered').postings).toEqual([]);
    expect(stepAfter('MilestonePaidOut', 2).postings).toEqual([
      { account: 'escrow:c1', debit: 30_000, credit: 0 },
      { account: 'payable-to-wallets', debit: 0, credit: 24_500 },
      { account: 'fee-revenue', debit: 0, credit: 5_000 },
      { account: 'fee-tax-payable', debit: 0, credit: 500 },
    ]);
    expect(stepAfter('EscrowRefunded').postings).toEqual([
      { account: 'escrow:c1', debit: 20_000, credit: 0 },
      { account: 'payable-to-wallets', debit: 0, credit: 20_000 },
    ]);
  });

  it('names what each event changed', () => {
    expect(contractTimeline(events)[0].changes.status).toEqual({ before: null, after: 'offered' });
    const payout = stepAfter('MilestonePaidOut', 0).changes;
    expect(payout.status).toBeNull();
    expect(payout.milestones).toEqual([
      expect.objectContaining({ milestoneId: 'm1', change: 'changed', status: { before: 'inspected', after: 'paid_out' } }),
    ]);
    expect(payout.money).toEqual(
      expect.arrayContaining([
        { field: 'inEscrow', before: 130_000, after: 80_000, delta: -50_000 },
        { field: 'fee', before: 0, after: 11_000, delta: 11_000 },
      ]),
    );
    expect(stepAfter('ContractCompleted').changes).toEqual({ status: { before: 'active', after: 'completed' }, money: [], milestones: [], terms: [] });
  });
});
