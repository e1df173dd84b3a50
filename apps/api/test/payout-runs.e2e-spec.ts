import { TestService } from './harness';
import { clientWithRefund, gateway, registerBankAccount, readyToWithdraw, reportIdentity, requestWithdrawal, support, walletOf } from './wallets.fixtures';

const NDJSON = 'application/x-ndjson';
const END_OF_APRIL = '2026-04-30';

interface RunBody {
  payoutDate: string;
  state: string;
  items: number;
  amount: number;
  netAmount: number;
  toSend: { count: number; netAmount: number };
  paid: { count: number; netAmount: number };
  failed: { count: number; netAmount: number };
}

describe('payout runs (振込予定) over HTTP', () => {
  let service: TestService;
  /** Standard, scheduled at once (¥10,000 to a partner bank: ¥9,900 sent). */
  let standard: { accountId: string; withdrawalId: string };
  /** Standard, held for review, then approved. */
  let approved: { accountId: string; withdrawalId: string };
  /** Held for review, then rejected: in no run. */
  let rejected: { accountId: string; withdrawalId: string };
  /** Quick (¥40,000 to another bank: ¥37,500 sent), due three business days later. */
  let quick: { accountId: string; withdrawalId: string; payoutDate: string };
  let lastPosition: number;

  const headPosition = async () => (await service.get('/v1/audit/events?limit=1').expect(200)).body.headPosition as number;
  const runOf = (payoutDate: string, minPosition = lastPosition) => service.get(`/v1/payout-runs/${payoutDate}?minPosition=${minPosition}`, gateway);
  const report = (payoutDate: string, items: object[]) => service.post(`/v1/payout-runs/${payoutDate}/reports`, gateway, { items });

  async function heldForReview(): Promise<{ accountId: string; withdrawalId: string }> {
    const { accountId } = await clientWithRefund(service, 100_000);
    await reportIdentity(service, accountId, 'submitted');
    const bank = await registerBankAccount(service, accountId);
    const withdrawal = await requestWithdrawal(service, accountId, bank, 10_000);
    expect(withdrawal.status).toBe('in_review');
    return { accountId, withdrawalId: withdrawal.withdrawalId };
  }

  beforeAll(async () => {
    // Thursday 2 April 2026, 09:00 in Tokyo.
    service = await TestService.start({ clock: '2026-04-02T00:00:00Z' });
    const a = await clientWithRefund(service, 100_000);
    const standardWithdrawal = await requestWithdrawal(service, a.accountId, await readyToWithdraw(service, a.accountId), 10_000);
    expect(standardWithdrawal).toMatchObject({ status: 'scheduled', payoutDate: END_OF_APRIL, netAmount: 9_900 });
    standard = { accountId: a.accountId, withdrawalId: standardWithdrawal.withdrawalId };

    const b = await clientWithRefund(service, 100_000);
    const quickWithdrawal = await requestWithdrawal(service, b.accountId, await readyToWithdraw(service, b.accountId, '0005'), 40_000, 'quick');
    expect(quickWithdrawal).toMatchObject({ status: 'scheduled', payoutDate: '2026-04-07', netAmount: 37_500 });
    quick = { accountId: b.accountId, withdrawalId: quickWithdrawal.withdrawalId, payoutDate: quickWithdrawal.payoutDate };

    approved = await heldForReview();
    rejected = await heldForReview();
    await service.post(`/v1/withdrawals/${approved.withdrawalId}/approve`, support, { reason: 'Identity confirmed by phone' }).expect(200);
    const rejection = await service.post(`/v1/withdrawals/${rejected.withdrawalId}/reject`, support, { reason: 'Bank account of another person' }).expect(200);
    lastPosition = rejection.body.position as number;
  }, 60_000);

  afterAll(() => service.stop());

  it('lists one run per payout date, quick and standard alike, with counts, totals and state', async () => {
    const res = await service.get(`/v1/payout-runs?minPosition=${lastPosition}`).expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.data).toEqual([
      {
        payoutDate: '2026-04-07',
        state: 'open',
        items: 1,
        amount: 40_000,
        bankFees: 500,
        quickFees: 2_000,
        netAmount: 37_500,
        toSend: { count: 1, netAmount: 37_500 },
        paid: { count: 0, netAmount: 0 },
        failed: { count: 0, netAmount: 0 },
      },
      {
        payoutDate: END_OF_APRIL,
        state: 'open',
        items: 2,
        amount: 20_000,
        bankFees: 200,
        quickFees: 0,
        netAmount: 19_800,
        toSend: { count: 2, netAmount: 19_800 },
        paid: { count: 0, netAmount: 0 },
        failed: { count: 0, netAmount: 0 },
      },
    ]);
    const dates = async (query: string) => ((await service.get(`/v1/payout-runs?${query}`, support).expect(200)).body.data as RunBody[]).map((run) => run.payoutDate);
    expect(await dates('from=2026-04-08&to=2026-05-31')).toEqual([END_OF_APRIL]);
    expect(await dates('state=closed')).toEqual([]);
    const firstPage = await service.get('/v1/payout-runs?limit=1').expect(200);
    expect(firstPage.body.data.map((run: RunBody) => run.payoutDate)).toEqual(['2026-04-07']);
    const secondPage = await service.get(`/v1/payout-runs?limit=1&cursor=${firstPage.body.nextCursor}`).expect(200);
    expect(secondPage.body.data.map((run: RunBody) => run.payoutDate)).toEqual([END_OF_APRIL]);

    const refused = await service.get('/v1/payout-runs?from=2026-02-30&state=done').expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'from', rule: 'format' }), expect.objectContaining({ field: 'state', rule: 'isIn' })]),
    );
  });

  it('answers a run as JSON pages: the scheduled and the approved withdrawal, never the rejected one', async () => {
    const res = await runOf(END_OF_APRIL).expect(200);
    expect(res.body.run).toMatchObject({ payoutDate: END_OF_APRIL, state: 'open', items: 2 });
    expect(res.body.data).toEqual([
      expect.objectContaining({ withdrawalId: standard.withdrawalId, accountId: standard.accountId, mode: 'standard', amount: 10_000, bankFee: 100, quickFee: 0, netAmount: 9_900, bankCode: '0036', state: 'to_send' }),
      expect.objectContaining({ withdrawalId: approved.withdrawalId, accountId: approved.accountId, mode: 'standard', netAmount: 9_900, state: 'to_send' }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain(rejected.withdrawalId);
    const page = await service.get(`/v1/payout-runs/${END_OF_APRIL}?limit=1`).expect(200);
    expect(page.body.data.map((item: { withdrawalId: string }) => item.withdrawalId)).toEqual([standard.withdrawalId]);
    const next = await service.get(`/v1/payout-runs/${END_OF_APRIL}?limit=1&cursor=${page.body.nextCursor}`).expect(200);
    expect(next.body.data.map((item: { withdrawalId: string }) => item.withdrawalId)).toEqual([approved.withdrawalId]);
    expect(next.body.nextCursor).toBeNull();

    expect((await service.get('/v1/payout-runs/2026-05-15').expect(404)).body.code).toBe('PAYOUT_RUN_NOT_FOUND');
    const badDate = await service.get('/v1/payout-runs/2026-04-31').expect(400);
    expect(badDate.body.errors).toEqual([expect.objectContaining({ field: 'payoutDate' })]);
  });

  it('streams a run as NDJSON and as CSV, with the same items as the JSON answer', async () => {
    const json = (await runOf(END_OF_APRIL).expect(200)).body.data as object[];

    const ndjson = await runOf(END_OF_APRIL).set('Accept', NDJSON).buffer(true).expect(200);
    expect(ndjson.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(ndjson.headers['content-disposition']).toBe(`attachment; filename="payout-run-${END_OF_APRIL}.ndjson"`);
    expect(ndjson.text.endsWith('\n')).toBe(true);
    expect(ndjson.text.trimEnd().split('\n').map((line) => JSON.parse(line) as object)).toEqual(json);

    const csv = await runOf(END_OF_APRIL).set('Accept', 'text/csv').buffer(true).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const records = csv.text.split('\r\n');
    expect(records[0]).toBe(
      'withdrawal_id,account_id,payout_date,mode,amount,bank_fee,quick_fee,net_amount,bank_account_id,bank_code,state,' +
        'transfer_reference,failure_reason,reported_at,requested_at,queued_position',
    );
    expect(records.slice(1, -1).map((record) => record.split(',').slice(0, 11))).toEqual([
      [standard.withdrawalId, standard.accountId, END_OF_APRIL, 'standard', '10000', '100', '0', '9900', expect.any(String), '0036', 'to_send'],
      [approved.withdrawalId, approved.accountId, END_OF_APRIL, 'standard', '10000', '100', '0', '9900', expect.any(String), '0036', 'to_send'],
    ]);
    expect(records[records.length - 1]).toBe('');

    const paidOnly = await service.get(`/v1/payout-runs/${END_OF_APRIL}?state=paid`, gateway).set('Accept', NDJSON).buffer(true).expect(200);
    expect(paidOnly.text).toBe('');
    expect((await runOf(END_OF_APRIL).set('Accept', 'application/xml').expect(406)).body.code).toBe('NOT_ACCEPTABLE');
  });

  it('refuses a bad report with problem+json naming each field and rule, and records nothing', async () => {
    const before = await headPosition();
    const fields = await report(END_OF_APRIL, [
      { withdrawalId: standard.withdrawalId, outcome: 'sent' },
      { withdrawalId: 'not an id', outcome: 'paid', transferReference: 'x'.repeat(201) },
    ]).expect(400);
    expect(fields.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(fields.body.code).toBe('VALIDATION_FAILED');
    expect(fields.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'items[0].outcome', rule: 'isIn' }),
        expect.objectContaining({ field: 'items[1].withdrawalId' }),
        expect.objectContaining({ field: 'items[1].transferReference', rule: 'maxLength' }),
      ]),
    );
    const across = await report(END_OF_APRIL, [
      { withdrawalId: standard.withdrawalId, outcome: 'failed' },
      { withdrawalId: approved.withdrawalId, outcome: 'failed', reason: 'closed', transferReference: 'T-1' },
      { withdrawalId: approved.withdrawalId, outcome: 'paid', reason: 'done' },
    ]).expect(400);
    expect(across.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(across.body.errors).toEqual([
      expect.objectContaining({ field: 'items[0].reason', rule: 'required' }),
      expect.objectContaining({ field: 'items[1].transferReference', rule: 'notWithOutcome' }),
      expect.objectContaining({ field: 'items[2].reason', rule: 'notWithOutcome' }),
      expect.objectContaining({ field: 'items[2].withdrawalId', rule: 'unique' }),
    ]);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ withdrawalId: `w-${i}`, outcome: 'paid' }));
    expect((await report(END_OF_APRIL, tooMany).expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'items', rule: 'arrayMaxSize' })]);
    expect((await report('2026-04-31', [{ withdrawalId: standard.withdrawalId, outcome: 'paid' }]).expect(400)).body.errors).toEqual([
      expect.objectContaining({ field: 'payoutDate' }),
    ]);
    const notTheGateway = await service.post(`/v1/payout-runs/${END_OF_APRIL}/reports`, support, { items: [{ withdrawalId: standard.withdrawalId, outcome: 'paid' }] }).expect(403);
    expect(notTheGateway.body.code).toBe('ACTOR_NOT_ALLOWED');
    expect(await headPosition()).toBe(before);
  });

  it("closes the run with the gateway's report; the report sent again changes nothing; items of another run are refused", async () => {
    const items = [
      { withdrawalId: standard.withdrawalId, outcome: 'paid', transferReference: 'ZENGIN-0001' },
      { withdrawalId: approved.withdrawalId, outcome: 'failed', reason: 'Account closed at the bank' },
      { withdrawalId: quick.withdrawalId, outcome: 'paid' },
      { withdrawalId: rejected.withdrawalId, outcome: 'paid' },
      { withdrawalId: 'no-such-withdrawal', outcome: 'paid' },
    ];
    const first = await report(END_OF_APRIL, items).expect(200);
    expect(first.body).toMatchObject({ payoutDate: END_OF_APRIL, recorded: 2, alreadyRecorded: 0, refused: 3 });
    expect(first.body.results).toEqual([
      { withdrawalId: standard.withdrawalId, outcome: 'paid', result: 'recorded', position: expect.any(Number) },
      { withdrawalId: approved.withdrawalId, outcome: 'failed', result: 'recorded', position: expect.any(Number) },
      expect.objectContaining({ withdrawalId: quick.withdrawalId, result: 'refused', status: 409, code: 'WITHDRAWAL_NOT_IN_PAYOUT_RUN' }),
      expect.objectContaining({ withdrawalId: rejected.withdrawalId, result: 'refused', status: 409, code: 'WITHDRAWAL_NOT_SCHEDULED' }),
      expect.objectContaining({ withdrawalId: 'no-such-withdrawal', result: 'refused', status: 404, code: 'WITHDRAWAL_NOT_FOUND' }),
    ]);
    const recordedAt = Math.max(...(first.body.results as { position?: number }[]).map((result) => result.position ?? 0));
    const afterFirst = await headPosition();

    const run = await runOf(END_OF_APRIL, recordedAt).expect(200);
    expect(run.body.run).toMatchObject({
      state: 'closed',
      toSend: { count: 0, netAmount: 0 },
      paid: { count: 1, netAmount: 9_900 },
      failed: { count: 1, netAmount: 9_900 },
    });
    expect(run.body.data).toEqual([
      expect.objectContaining({ withdrawalId: standard.withdrawalId, state: 'paid', transferReference: 'ZENGIN-0001', failureReason: null }),
      expect.objectContaining({ withdrawalId: approved.withdrawalId, state: 'failed', transferReference: null, failureReason: 'Account closed at the bank' }),
    ]);
    // The failed transfer's amount is back in its wallet; the paid one left.
    expect((await walletOf(service, approved.accountId, recordedAt)).pending).toBe(0);

    const again = await report(END_OF_APRIL, items.slice(0, 2)).expect(200);
    expect(again.body).toMatchObject({ recorded: 0, alreadyRecorded: 2, refused: 0 });
    expect(again.body.results.map((result: { position: number }) => result.position)).toEqual(first.body.results.slice(0, 2).map((result: { position: number }) => result.position));
    expect(await headPosition()).toBe(afterFirst);
    const closedRuns = await service.get(`/v1/payout-runs?state=closed&minPosition=${afterFirst}`).expect(200);
    expect(closedRuns.body.data.map((entry: RunBody) => entry.payoutDate)).toEqual([END_OF_APRIL]);
  });

  it('the per-withdrawal transfer report moves the item in its run too', async () => {
    const paid = await service.post(`/v1/withdrawals/${quick.withdrawalId}/paid`, gateway, { transferReference: 'ZENGIN-0002' }).expect(200);
    const run = await runOf(quick.payoutDate, paid.body.position as number).expect(200);
    expect(run.body.run).toMatchObject({ state: 'closed', paid: { count: 1, netAmount: 37_500 } });
    expect(run.body.data).toEqual([expect.objectContaining({ withdrawalId: quick.withdrawalId, mode: 'quick', state: 'paid', transferReference: 'ZENGIN-0002' })]);
  });
});
