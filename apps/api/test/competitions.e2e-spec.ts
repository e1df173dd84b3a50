import { support, TestService } from './harness';
import { uniqueId, user, walletOf } from './wallets.fixtures';

interface MoneyTotals {
  funded: number;
  inEscrow: number;
  paidOut: number;
  fee: number;
  net: number;
  refunded: number;
}
interface HistoryBody {
  format: string;
  state: { status: string; adoptions: number; inEscrow: number };
  money: { totals: MoneyTotals; lines: { lineId: string; funded: number; paidOut: number; fee: number; net: number; refunded: number }[] };
  events: { type: string; money: { totals: MoneyTotals }; postings: { account: string; debit: number; credit: number }[] }[];
}

const DAY_MS = 24 * 3600 * 1000;
const PRIZE_EX_TAX = 45_455;
const PRIZE_GROSS = 50_000;
/** ¥50,000 counted from ¥0: ¥10,000 fee + ¥1,000 tax, ¥39,000 to the worker. */
const FEE = 11_000;
const NET = 39_000;

describe('a competition over HTTP (コンペ)', () => {
  let service: TestService;
  const client = user(uniqueId('client'));
  const first = user(uniqueId('designer'));
  const second = user(uniqueId('designer'));
  const stranger = user(uniqueId('stranger'));
  let competitionId: string;
  let lastPosition = 0;

  const post = async (path: string, actor: typeof client, body: object, status = 200) => {
    const res = await service.post(path, actor, body).expect(status);
    lastPosition = res.body.position as number;
    return res.body;
  };

  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('drafts with a prize, prepays it and only then publishes', async () => {
    const deadline = new Date(service.clock.now().getTime() + 7 * DAY_MS).toISOString();
    const drafted = await post('/v1/competitions', client, { title: 'A logo for our bakery', brief: 'A round logo in two colours', prize: PRIZE_EX_TAX, deadline }, 201);
    competitionId = drafted.competitionId;
    expect(drafted).toMatchObject({ status: 'draft', prize: PRIZE_EX_TAX, prizeGross: PRIZE_GROSS, inEscrow: 0 });

    const early = await service.post(`/v1/competitions/${competitionId}/publish`, client, {}).expect(409);
    expect(early.body.code).toBe('PRIZE_NOT_PREPAID');
    await post(`/v1/competitions/${competitionId}/prepay`, client, { paymentReference: uniqueId('pay'), method: 'card', amount: PRIZE_GROSS });
    expect(await post(`/v1/competitions/${competitionId}/publish`, client, {})).toMatchObject({ status: 'open', inEscrow: PRIZE_GROSS });
    const held = (await service.get(`/v1/ledger/accounts/escrow:competition~${competitionId}?minPosition=${lastPosition}`).expect(200)).body;
    expect(held.balance).toBe(PRIZE_GROSS);
    expect((await service.get(`/v1/ledger/checks?minPosition=${lastPosition}`).expect(200)).body.passed).toBe(true);
  });

  it('takes proposals from workers, each shown only their own', async () => {
    const entry = (actor: typeof client, n: number) =>
      post(`/v1/competitions/${competitionId}/proposals`, actor, { title: `Logo ${n}`, deliverables: [{ uri: `https://files.example.com/logo-${n}.png` }] }, 201);
    await entry(first, 1);
    const seen = await entry(second, 2);
    expect(seen.proposals.map((proposal: { workerId: string }) => proposal.workerId)).toEqual([second.id]);
    const refused = await service.post(`/v1/competitions/${competitionId}/proposals`, client, { title: 'Mine', deliverables: [{ uri: 'https://files.example.com/x.png' }] }).expect(403);
    expect(refused.body.code).toBe('CLIENT_MAY_NOT_PROPOSE');
    const bad = await service.post(`/v1/competitions/${competitionId}/proposals`, first, { title: 'Nothing attached', deliverables: [] }).expect(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toContain('deliverables');
  });

  it('holds the client and the workers who entered back from closing their accounts while it is open', async () => {
    const reasonsOf = async (accountId: string) => (await service.get(`/v1/accounts/${accountId}/closure-eligibility?minPosition=${lastPosition}`).expect(200)).body.reasons;
    expect(await reasonsOf(client.id)).toEqual(expect.arrayContaining(['OPEN_CONTRACT_AS_CLIENT', 'UNSETTLED_ESCROW']));
    expect(await reasonsOf(first.id)).toEqual(expect.arrayContaining(['OPEN_CONTRACT_AS_WORKER']));
    expect(await reasonsOf(stranger.id)).toEqual([]);
  });

  it('refuses to let the client close and take the prize back while workers wait for an adoption', async () => {
    service.clock.advance('P8D');
    const refused = await service.post(`/v1/competitions/${competitionId}/close`, client, {}).expect(409);
    expect(refused.body.code).toBe('ADOPTION_REQUIRED');
  });

  it('adopts one proposal, then another with its own prepayment first, paying each worker at once', async () => {
    const current = (await service.get(`/v1/competitions/${competitionId}?minPosition=${lastPosition}`).expect(200)).body;
    const [p1, p2] = current.proposals.map((proposal: { proposalId: string }) => proposal.proposalId);

    const one = await post(`/v1/competitions/${competitionId}/proposals/${p1}/adopt`, client, {});
    expect(one).toMatchObject({ adoptions: 1, inEscrow: 0 });
    expect(one.proposals[0].adoption.payout).toMatchObject({ gross: PRIZE_GROSS, fee: FEE, net: NET, cumulativeGrossBefore: 0 });

    const unpaid = await service.post(`/v1/competitions/${competitionId}/proposals/${p2}/adopt`, client, {}).expect(409);
    expect(unpaid.body.code).toBe('PRIZE_PREPAYMENT_REQUIRED');
    const two = await post(`/v1/competitions/${competitionId}/proposals/${p2}/adopt`, client, { prepayment: { paymentReference: uniqueId('pay'), method: 'bank_transfer' } });
    expect(two).toMatchObject({ adoptions: 2, inEscrow: 0 });
    expect(two.prizes.map((prize: { prizeId: string; status: string }) => [prize.prizeId, prize.status])).toEqual([
      ['prize-1', 'adopted'],
      ['prize-2', 'adopted'],
    ]);
    expect(two.proposals[1].adoption.payout).toMatchObject({ gross: PRIZE_GROSS, fee: FEE, net: NET, cumulativeGrossBefore: 0 });

    const closed = await post(`/v1/competitions/${competitionId}/close`, client, {});
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'client', inEscrow: 0 });
    const again = await service.post(`/v1/competitions/${competitionId}/close`, client, {}).expect(409);
    expect(again.body.code).toBe('COMPETITION_CLOSED');
  });

  it('credits both workers, keeps the ledger checks passing and reports the fees', async () => {
    expect((await walletOf(service, first.id, lastPosition)).available).toBe(NET);
    expect((await walletOf(service, second.id, lastPosition)).available).toBe(NET);
    const checks = (await service.get(`/v1/ledger/checks?minPosition=${lastPosition}`).expect(200)).body;
    expect(checks.passed).toBe(true);
    const escrow = (await service.get(`/v1/ledger/accounts/escrow:competition~${competitionId}?minPosition=${lastPosition}`).expect(200)).body;
    expect(escrow.balance).toBe(0);
    const revenue = (await service.get(`/v1/fees/revenue?by=day&minPosition=${lastPosition}`).expect(200)).body;
    expect(revenue.totals.fee).toBe(2 * FEE);
  });

  it('lets the client and both workers close their accounts once it is closed and paid', async () => {
    for (const accountId of [first.id, second.id]) {
      expect((await service.get(`/v1/accounts/${accountId}/closure-eligibility?minPosition=${lastPosition}`).expect(200)).body.reasons).not.toEqual(
        expect.arrayContaining(['OPEN_CONTRACT_AS_WORKER']),
      );
    }
    expect((await service.get(`/v1/accounts/${client.id}/closure-eligibility?minPosition=${lastPosition}`).expect(200)).body.reasons).toEqual([]);
  });

  it('leaves completion rates alone: they count project contracts only', async () => {
    const nothingEnded = { completed: 0, ended: 0, rate: null };
    expect((await service.get(`/v1/clients/${client.id}/completion-rate?minPosition=${lastPosition}`).expect(200)).body).toMatchObject(nothingEnded);
    expect((await service.get(`/v1/workers/${first.id}/completion-rate?minPosition=${lastPosition}`).expect(200)).body).toMatchObject(nothingEnded);
  });

  it('shows the money after each event in the history, to the client and staff only', async () => {
    const history = (await service.get(`/v1/competitions/${competitionId}/history`, client).expect(200)).body as HistoryBody;
    expect(history.format).toBe('competition');
    expect(history.events.map((event) => event.type)).toEqual([
      'CompetitionDrafted',
      'CompetitionPrizePrepaid',
      'CompetitionPublished',
      'CompetitionProposalSubmitted',
      'CompetitionProposalSubmitted',
      'CompetitionProposalAdopted',
      'CompetitionPrizePrepaid',
      'CompetitionProposalAdopted',
      'CompetitionClosed',
    ]);
    expect(history.events.map((event) => event.money.totals.inEscrow)).toEqual([0, PRIZE_GROSS, PRIZE_GROSS, PRIZE_GROSS, PRIZE_GROSS, 0, PRIZE_GROSS, 0, 0]);
    expect(history.money.totals).toMatchObject({ funded: 2 * PRIZE_GROSS, inEscrow: 0, paidOut: 2 * PRIZE_GROSS, fee: 2 * FEE, net: 2 * NET, refunded: 0 });
    expect(history.money.lines.map((line) => [line.lineId, line.funded, line.paidOut, line.net])).toEqual([
      ['prize-1', PRIZE_GROSS, PRIZE_GROSS, NET],
      ['prize-2', PRIZE_GROSS, PRIZE_GROSS, NET],
    ]);
    expect(history.events[5].postings.length).toBeGreaterThan(0);
    await service.get(`/v1/competitions/${competitionId}/history`, support).expect(200);

    for (const outsider of [stranger, first]) {
      expect((await service.get(`/v1/competitions/${competitionId}/history`, outsider).expect(403)).body.code).toBe('NOT_A_PARTY');
    }
    expect((await service.get(`/v1/competitions/${competitionId}`, stranger).expect(403)).body.code).toBe('NOT_A_PARTY');
    expect((await service.get(`/v1/ledger/accounts/escrow:competition~${competitionId}`, stranger).expect(403)).body.code).toBe('NOT_A_PARTY');
  });

  it('shows a worker who entered only their own proposals, and the client every one', async () => {
    const asWorker = (await service.get(`/v1/competitions/${competitionId}`, first).expect(200)).body;
    expect(asWorker.proposals.map((proposal: { workerId: string }) => proposal.workerId)).toEqual([first.id]);
    const asClient = (await service.get(`/v1/competitions/${competitionId}`, client).expect(200)).body;
    expect(asClient.proposals.map((proposal: { workerId: string }) => proposal.workerId)).toEqual([first.id, second.id]);
  });

  it('refunds the prize once when support finds that no proposal met the brief', async () => {
    const deadline = new Date(service.clock.now().getTime() + 2 * DAY_MS).toISOString();
    const drafted = await post('/v1/competitions', client, { title: 'A name for our shop', brief: 'Short and Japanese', prize: PRIZE_EX_TAX, deadline }, 201);
    const id = drafted.competitionId as string;
    await post(`/v1/competitions/${id}/prepay`, client, { paymentReference: uniqueId('pay'), method: 'card' });
    await post(`/v1/competitions/${id}/publish`, client, {});
    await post(`/v1/competitions/${id}/proposals`, first, { title: 'Pan', deliverables: [{ uri: 'https://files.example.com/pan.txt' }] }, 201);
    service.clock.advance('P3D');
    const noReason = await service.post(`/v1/competitions/${id}/close`, support, {}).expect(400);
    expect(noReason.body.errors[0]).toMatchObject({ field: 'reason' });
    const before = (await walletOf(service, client.id, lastPosition)).available;
    const closed = await post(`/v1/competitions/${id}/close`, support, { reason: 'The only proposal is not Japanese' });
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'support', prizes: [{ prizeId: 'prize-1', status: 'refunded', refundCause: 'no_proposal_met_brief' }] });
    expect((await walletOf(service, client.id, lastPosition)).available).toBe(before + PRIZE_GROSS);
    expect((await service.get(`/v1/ledger/checks?minPosition=${lastPosition}`).expect(200)).body.passed).toBe(true);
  });
});
