import Database from 'better-sqlite3';
import type { Actor } from '@escrow/domain/shared/actor';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { ProjectionEngine } from '../runtime/projection-engine';
import { ContractDriver } from '../testing/contract-driver';
import { contractSummariesProjection } from './contract-summaries.projection';
import { type ContractSearch, ContractSummaryQueries } from './contract-summaries.queries';

const client: Actor = { id: 'client-1', role: 'user' };
const otherClient: Actor = { id: 'client-2', role: 'user' };
const worker: Actor = { id: 'worker-1', role: 'user' };
const otherWorker: Actor = { id: 'worker-2', role: 'user' };
const system: Actor = { id: 'settlement', role: 'system' };

const milestone = (milestoneId: string, amount: number) => ({ milestoneId, title: milestoneId, amount, dueDate: '2026-12-31' });

describe('the contract summaries projection', () => {
  let store: InMemoryEventStore;
  let db: Database.Database;
  let driver: ContractDriver;
  let queries: ContractSummaryQueries;
  let engine: ProjectionEngine;

  beforeEach(() => {
    store = new InMemoryEventStore();
    db = new Database(':memory:');
    driver = new ContractDriver(store);
    queries = new ContractSummaryQueries(db);
    engine = new ProjectionEngine({ store, db, projections: [contractSummariesProjection], batchSize: 4, catchUpBatchSize: 4, catchUpPageSize: 3 });
  });

  afterEach(async () => {
    await store.close();
    db.close();
  });

  /** c1 goes through amendment, partial payout, a change of terms and termination; c2 completes; c3 is withdrawn; c4 declined. */
  async function fourContracts() {
    await driver.run('c1', client, { type: 'OfferContract', clientId: client.id, workerId: worker.id, title: 'Draft', milestones: [milestone('a', 10_000)] });
    await driver.run('c1', client, { type: 'AmendOffer', title: 'Website', milestones: [milestone('m1', 45_455), milestone('m2', 27_273)] });
    await driver.run('c1', worker, { type: 'AcceptOffer' });
    await driver.run('c1', client, { type: 'FundMilestone', milestoneId: 'm1', paymentReference: 'p1', method: 'card' });
    await driver.run('c1', client, { type: 'FundMilestone', milestoneId: 'm2', paymentReference: 'p2', method: 'card' });
    await driver.run('c1', worker, { type: 'DeliverMilestone', milestoneId: 'm1', deliverables: [] });
    await driver.run('c1', client, { type: 'InspectMilestone', milestoneId: 'm1' });
    await driver.run('c1', system, { type: 'PayOutMilestone', milestoneId: 'm1' });
    await driver.run('c1', client, { type: 'ProposeTermsChange', changeId: 't1', changes: [{ milestoneId: 'm2', amount: 18_182 }], newMilestones: [milestone('m3', 9_091)] });
    await driver.run('c1', worker, { type: 'AcceptTermsChange', changeId: 't1' });
    await driver.run('c1', client, { type: 'RequestTermination', reason: 'Scope gone' });
    await driver.run('c1', worker, { type: 'AcceptTermination' });

    await driver.run('c2', client, { type: 'OfferContract', clientId: client.id, workerId: worker.id, title: 'Logo', milestones: [milestone('m1', 10_000)] });
    await driver.run('c2', worker, { type: 'AcceptOffer' });
    await driver.run('c2', client, { type: 'FundMilestone', milestoneId: 'm1', paymentReference: 'p3', method: 'bank_transfer' });
    await driver.run('c2', worker, { type: 'DeliverMilestone', milestoneId: 'm1', deliverables: [{ uri: 'https://example.com/logo.svg' }] });
    await driver.run('c2', client, { type: 'InspectMilestone', milestoneId: 'm1' });
    await driver.run('c2', system, { type: 'PayOutMilestone', milestoneId: 'm1' });

    await driver.run('c3', client, { type: 'OfferContract', clientId: client.id, workerId: otherWorker.id, title: 'Banner', milestones: [milestone('m1', 5_000)] });
    await driver.run('c3', client, { type: 'WithdrawOffer' });

    await driver.run('c4', otherClient, { type: 'OfferContract', clientId: otherClient.id, workerId: worker.id, title: 'Copy', milestones: [milestone('m1', 8_000)] });
    const last = await driver.run('c4', worker, { type: 'DeclineOffer', reason: 'Busy' });
    await engine.catchUp();
    return last;
  }

  it("agrees with the contract's own view on status and every total, through amendments, changes of terms, refunds and cancellations", async () => {
    await fourContracts();
    for (const contractId of ['c1', 'c2', 'c3', 'c4']) {
      const summary = queries.get(contractId)!;
      const view = driver.view(contractId);
      expect(summary.status).toBe(view.status);
      expect(summary.title).toBe(view.title);
      const { gross, funded, paidOut, fees, net, refunded, escrow } = summary.totals;
      const accepted = view.status === 'active' || view.status === 'completed' || view.status === 'terminated';
      expect({ gross: gross ?? 0, funded, paidOut, fees, net, refunded, escrow }).toEqual({
        gross: accepted ? view.totals.gross : 0,
        funded: view.totals.funded,
        paidOut: view.totals.paidOut,
        fees: view.totals.fees,
        net: view.totals.net,
        refunded: view.totals.refunded,
        escrow: view.totals.escrow,
      });
    }
  });

  it('records who, what and when for a terminated contract, with the position of its last event', async () => {
    await fourContracts();
    const c1 = queries.get('c1')!;
    expect(c1).toMatchObject({
      contractId: 'c1',
      clientId: 'client-1',
      workerId: 'worker-1',
      title: 'Website',
      status: 'terminated',
      feeScheduleId: 'crowdworks-2019-10',
      // m3 was added unfunded and cancelled at termination.
      milestones: 2,
      totals: { amount: 45_455 + 18_182, gross: 50_000 + 20_000, funded: 80_000, paidOut: 50_000, refunded: 30_000, escrow: 0 },
      offeredAt: '2026-04-01T01:00:00.000Z',
      acceptedAt: '2026-04-01T03:00:00.000Z',
      completedAt: null,
      terminatedAt: '2026-04-01T12:00:00.000Z',
      createdPosition: 1,
    });
    const lastOfC1 = (await store.readStream('contract-c1')).at(-1)!;
    expect(c1.updatedPosition).toBe(lastOfC1.position);
    expect(queries.get('c2')).toMatchObject({ status: 'completed', completedAt: '2026-04-01T18:00:00.000Z', totals: { gross: 11_000, fees: 2_420, net: 8_580 } });
    expect(queries.get('c3')).toMatchObject({ status: 'withdrawn', acceptedAt: null, totals: { gross: null, amount: 5_000 } });
  });

  it('moves updatedPosition on events that change no total', async () => {
    await driver.run('c1', client, { type: 'OfferContract', clientId: client.id, workerId: worker.id, title: 'Site', milestones: [milestone('m1', 10_000)] });
    await driver.run('c1', worker, { type: 'AcceptOffer' });
    await driver.run('c1', client, { type: 'FundMilestone', milestoneId: 'm1', paymentReference: 'p1', method: 'card' });
    const delivered = await driver.run('c1', worker, { type: 'DeliverMilestone', milestoneId: 'm1', deliverables: [] });
    await engine.catchUp();
    expect(queries.get('c1')!.updatedPosition).toBe(delivered);
  });

  it('lists the contracts of a client and of a worker, oldest first, page by page and by status', async () => {
    await fourContracts();
    const ids = (list: { contracts: { contractId: string }[] }) => list.contracts.map((c) => c.contractId);

    const firstPage = queries.list('client', 'client-1', { after: 0, limit: 2 });
    expect(ids(firstPage)).toEqual(['c1', 'c2']);
    expect(firstPage.nextAfter).toBe(queries.get('c2')!.createdPosition);
    const secondPage = queries.list('client', 'client-1', { after: firstPage.nextAfter!, limit: 2 });
    expect(ids(secondPage)).toEqual(['c3']);
    expect(secondPage.nextAfter).toBeNull();

    expect(ids(queries.list('worker', 'worker-1', { after: 0, limit: 50 }))).toEqual(['c1', 'c2', 'c4']);
    expect(ids(queries.list('worker', 'worker-1', { after: 0, limit: 50, status: 'completed' }))).toEqual(['c2']);
    expect(ids(queries.list('client', 'nobody', { after: 0, limit: 50 }))).toEqual([]);
  });

  it('searches by party, status, day of the offer in Japan and amount, scoped to a party when asked, and gives the same after a rebuild', async () => {
    await fourContracts();
    const ids = (search: ContractSearch, page = { after: 0, limit: 50 }) => queries.search(search, page).map((c) => c.contractId);
    expect(ids({})).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(ids({ clientId: 'client-1' })).toEqual(['c1', 'c2', 'c3']);
    expect(ids({ workerId: 'worker-1', status: 'completed' })).toEqual(['c2']);
    expect(ids({ partyId: 'worker-2' })).toEqual(['c3']);
    expect(ids({ minAmount: 8_000, maxAmount: 10_000 })).toEqual(['c2', 'c4']);
    // Every offer is on 2026-04-01 UTC, an hour a command: c1 and c2 by 15:00 UTC, the end of that day in Japan; c3 and c4 after.
    expect(ids({ offeredFrom: '2026-04-01', offeredTo: '2026-04-01' })).toEqual(['c1', 'c2']);
    expect(ids({ offeredFrom: '2026-04-02' })).toEqual(['c3', 'c4']);
    expect(ids({ visibleTo: 'worker-1' })).toEqual(['c1', 'c2', 'c4']);
    expect(ids({ visibleTo: 'worker-1', clientId: 'client-2' })).toEqual(['c4']);
    expect(ids({ visibleTo: 'worker-1', workerId: 'worker-2' })).toEqual([]);
    // One more than the limit tells that a next page exists.
    expect(ids({}, { after: queries.get('c1')!.createdPosition, limit: 2 })).toEqual(['c2', 'c3', 'c4']);

    const before = queries.search({}, { after: 0, limit: 50 });
    await engine.rebuild();
    expect(queries.search({}, { after: 0, limit: 50 })).toEqual(before);
  });
});
