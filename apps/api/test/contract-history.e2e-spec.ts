import type { MoneyFigures } from '@escrow/domain/contract/money-sheet';
import { client, offerContract, settlement, support, TestService, worker } from './harness';

type Figures = Omit<MoneyFigures, 'amount' | 'gross'>;
interface Entry {
  revision: number;
  type: string;
  occurredAt: string;
  actor: { id: string; role: string };
  callingService: string | null;
  correlationId: string;
  causationId: string;
  after: { status: string; milestones: { milestoneId: string; status: string }[] };
  money: { milestones: (Figures & { milestoneId: string; status: string })[]; totals: Figures };
  postings: { account: string; debit: number; credit: number }[];
  changes: { status: { before: string | null; after: string | null } | null; money: { field: string; delta: number }[] };
}

/** Grosses of ¥50,000, ¥30,000 and ¥50,000; each phase of the lifecycle on its own day from 2026-03-01. */
describe('the history of a contract with its money', () => {
  let service: TestService;
  let id: string;
  let milestoneIds: string[];
  let entries: Entry[];

  const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}`;

  beforeAll(async () => {
    service = await TestService.start({ clock: `${day(1)}T00:00:00Z` });
    const offered = await offerContract(service);
    id = offered.contractId;
    milestoneIds = offered.milestones.map((milestone) => milestone.milestoneId);
    const [m1, m2, m3] = milestoneIds;
    const milestone = (m: string) => `/v1/contracts/${id}/milestones/${m}`;
    await service.post(`/v1/contracts/${id}/accept`, worker).expect(200);
    service.clock.set(`${day(2)}T00:00:00Z`);
    for (const m of milestoneIds) await service.post(`${milestone(m)}/prepay`, client, { paymentReference: `pay-${m}`, method: 'card' }).expect(200);
    service.clock.set(`${day(3)}T00:00:00Z`);
    for (const m of [m1, m2]) {
      await service.post(`${milestone(m)}/deliver`, worker, { deliverables: [] }).expect(200);
      await service.post(`${milestone(m)}/inspect`, client).expect(200);
      await service.post(`${milestone(m)}/payout`, settlement, {}, { 'X-Correlation-Id': `settle-${m}` }).expect(200);
    }
    service.clock.set(`${day(4)}T00:00:00Z`);
    await service.post(`${milestone(m3)}/refund`, support, { amount: 20_000, reason: 'Scope reduced' }).expect(200);
    service.clock.set(`${day(5)}T00:00:00Z`);
    await service.post(`${milestone(m3)}/deliver`, worker, { deliverables: [] }).expect(200);
    await service.post(`${milestone(m3)}/inspect`, client).expect(200);
    await service.post(`${milestone(m3)}/payout`, settlement).expect(200);
    entries = (await service.get(`/v1/contracts/${id}/history`).expect(200)).body.events;
  });
  afterAll(() => service.stop());

  const nth = (type: string, occurrence = 0) => entries.filter((entry) => entry.type === type)[occurrence];

  it('tells who acted, through which service and under which correlation, for every event', () => {
    expect(entries.map((entry) => entry.revision)).toEqual([...entries.keys()]);
    expect(nth('ContractOffered')).toMatchObject({ actor: client, callingService: 'development' });
    expect(nth('EscrowRefunded')).toMatchObject({ actor: support, callingService: 'development' });
    expect(nth('MilestonePaidOut', 1)).toMatchObject({ actor: settlement, correlationId: `settle-${milestoneIds[1]}` });
    for (const entry of entries) expect(entry.causationId).toEqual(expect.any(String));
  });

  it('gives the money per milestone after each event, across the fee tiers and a partial refund', () => {
    expect(nth('EscrowFunded', 2).money.totals).toMatchObject({ funded: 130_000, inEscrow: 130_000, paidOut: 0, fee: 0 });
    expect(nth('MilestonePaidOut', 0).money.milestones[0]).toMatchObject({ status: 'paid_out', paidOut: 50_000, feeExTax: 10_000, feeTax: 1_000, fee: 11_000, net: 39_000, inEscrow: 0 });
    expect(nth('MilestonePaidOut', 1).money.milestones[1]).toMatchObject({ paidOut: 30_000, fee: 6_600, net: 23_400 });
    expect(nth('MilestonePaidOut', 1).money.totals).toMatchObject({ inEscrow: 50_000, paidOut: 80_000, fee: 17_600, net: 62_400 });
    expect(nth('EscrowRefunded').money.milestones[2]).toMatchObject({ status: 'funded', funded: 50_000, inEscrow: 30_000, refunded: 20_000 });
    // Cumulative ¥80,000 → ¥110,000: ¥20,000 at 20% and ¥10,000 at 10%, plus 10% tax on the fee.
    expect(nth('MilestonePaidOut', 2).money.milestones[2]).toMatchObject({ paidOut: 30_000, feeExTax: 5_000, feeTax: 500, fee: 5_500, net: 24_500, refunded: 20_000, inEscrow: 0 });
    const last = entries.at(-1)!;
    expect(last.after.status).toBe('completed');
    expect(last.money.totals).toEqual({ amount: 118_183, gross: 130_000, funded: 130_000, inEscrow: 0, paidOut: 110_000, feeExTax: 21_000, feeTax: 2_100, fee: 23_100, net: 86_900, refunded: 20_000, cancelled: 0 });
  });

  it('gives the ledger postings each event caused, as the ledger books them', async () => {
    expect(nth('MilestoneDelivered').postings).toEqual([]);
    expect(nth('EscrowFunded').postings).toEqual([
      { account: 'gateway-clearing', debit: 50_000, credit: 0 },
      { account: `escrow:${id}`, debit: 0, credit: 50_000 },
    ]);
    expect(nth('MilestonePaidOut', 2).postings).toEqual([
      { account: `escrow:${id}`, debit: 30_000, credit: 0 },
      { account: 'payable-to-wallets', debit: 0, credit: 24_500 },
      { account: 'fee-revenue', debit: 0, credit: 5_000 },
      { account: 'fee-tax-payable', debit: 0, credit: 500 },
    ]);
    const position = (await service.get(`/v1/contracts/${id}`).expect(200)).body.position;
    const escrow = await service.get(`/v1/ledger/accounts/escrow:${id}?minPosition=${position}`).expect(200);
    const booked = entries.flatMap((entry) => entry.postings.filter((posting) => posting.account === `escrow:${id}`));
    expect(escrow.body.data.map(({ debit, credit }: { debit: number; credit: number }) => ({ debit, credit }))).toEqual(booked.map(({ debit, credit }) => ({ debit, credit })));
  });

  it('names what each event changed', () => {
    expect(nth('ContractAccepted').changes.status).toEqual({ before: 'offered', after: 'active' });
    expect(nth('EscrowRefunded').changes.money).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'refunded', delta: 20_000 }), expect.objectContaining({ field: 'inEscrow', delta: -20_000 })]));
  });

  it('gives the history and its money as of a revision and as of a time', async () => {
    const refundRevision = nth('EscrowRefunded').revision;
    const byRevision = (await service.get(`/v1/contracts/${id}/history?asOf=${refundRevision}`).expect(200)).body;
    expect(byRevision.revision).toBe(refundRevision);
    expect(byRevision.events).toHaveLength(refundRevision + 1);
    expect(byRevision.state.status).toBe('active');
    expect(byRevision.money.totals).toMatchObject({ inEscrow: 30_000, paidOut: 80_000, refunded: 20_000 });

    const byTime = (await service.get(`/v1/contracts/${id}/history?asOf=${day(2)}T12:00:00Z`).expect(200)).body;
    expect(byTime.events.map((entry: Entry) => entry.type)).toEqual(['ContractOffered', 'ContractAccepted', 'EscrowFunded', 'EscrowFunded', 'EscrowFunded']);
    expect(byTime.money.totals).toMatchObject({ funded: 130_000, inEscrow: 130_000, paidOut: 0 });
    // A date is its first instant: on the morning of the 3rd nothing was paid out yet either.
    expect((await service.get(`/v1/contracts/${id}/history?asOf=${day(3)}`).expect(200)).body.revision).toBe(byTime.revision);
  });

  it('names what changed between two revisions: status, money and milestones, with the events between', async () => {
    const funded = nth('EscrowFunded', 2).revision;
    const diff = (await service.get(`/v1/contracts/${id}/history/diff?from=${funded}`).expect(200)).body;
    expect(diff).toMatchObject({ contractId: id, from: funded, to: entries.length - 1, status: { before: 'active', after: 'completed' } });
    expect(diff.events.map((event: { revision: number }) => event.revision)).toEqual(entries.slice(funded + 1).map((entry) => entry.revision));
    expect(diff.money).toEqual(
      expect.arrayContaining([
        { field: 'inEscrow', before: 130_000, after: 0, delta: -130_000 },
        { field: 'fee', before: 0, after: 23_100, delta: 23_100 },
        { field: 'refunded', before: 0, after: 20_000, delta: 20_000 },
      ]),
    );
    expect(diff.milestones.map((change: { milestoneId: string; status: unknown }) => [change.milestoneId, change.status])).toEqual(
      milestoneIds.map((m) => [m, { before: 'funded', after: 'paid_out' }]),
    );

    const between = (await service.get(`/v1/contracts/${id}/history/diff?from=1&to=2`).expect(200)).body;
    expect(between.milestones).toEqual([expect.objectContaining({ milestoneId: milestoneIds[0], status: { before: 'unfunded', after: 'funded' } })]);
    expect((await service.get(`/v1/contracts/${id}/history/diff?from=3&to=3`).expect(200)).body).toMatchObject({ status: null, money: [], milestones: [], terms: [], events: [] });
  });

  it('refuses a diff whose revisions are missing, reversed, beyond the contract or not numbers', async () => {
    const fields = async (query: string) =>
      ((await service.get(`/v1/contracts/${id}/history/diff${query}`).expect(400)).body.errors as { field: string; rule: string }[]).map((error) => `${error.field}:${error.rule}`);
    expect(await fields('')).toEqual(['from:required']);
    expect(await fields('?from=4&to=2')).toEqual(['to:notBeforeFrom']);
    expect(await fields('?from=0&to=999')).toEqual(['to:max']);
    expect(await fields('?from=-1')).toEqual(['from:isInt']);
    expect(await fields('?from=0&asOf=1')).toEqual(['asOf:unknownField']);
  });

  it('refuses a history parameter that is unknown, repeated or not a revision, date or instant, naming it', async () => {
    const fields = async (query: string) =>
      ((await service.get(`/v1/contracts/${id}/history${query}`).expect(400)).body.errors as { field: string; rule: string }[]).map((error) => `${error.field}:${error.rule}`);
    expect(await fields('?asof=1')).toEqual(['asof:unknownField']);
    expect(await fields('?asOf[from]=1')).toEqual(['asOf[from]:unknownField']);
    expect(await fields('?asOf=1&asOf=2')).toEqual(['asOf:single']);
    expect(await fields('?from=0&asOf=-1')).toEqual(['from:unknownField', 'asOf:revisionOrInstant']);
    expect(await fields('?asOf=9999999999999999')).toEqual(['asOf:revisionOrInstant']);
    expect(await fields('?asOf=2101-01-01')).toEqual(['asOf:revisionOrInstant']);
    // A revision beyond the last is the whole history, as of now.
    expect((await service.get(`/v1/contracts/${id}/history?asOf=999999999999999`).expect(200)).body.revision).toBe(entries.length - 1);
  });

  it('lets only the parties and staff read the history and the diff', async () => {
    const stranger = { id: 'someone-else', role: 'user' as const };
    for (const path of [`/v1/contracts/${id}/history`, `/v1/contracts/${id}/history/diff?from=0`]) {
      expect((await service.get(path, stranger).expect(403)).body.code).toBe('NOT_A_PARTY');
      await service.get(path, worker).expect(200);
      await service.get(path, support).expect(200);
    }
    const other = await offerContract(service);
    expect((await service.get(`/v1/contracts/${other.contractId}/history/diff?from=0&to=5`).expect(400)).body.errors[0]).toMatchObject({ field: 'to', rule: 'max' });
  });
});
