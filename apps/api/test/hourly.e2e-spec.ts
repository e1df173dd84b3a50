import { TestService } from './harness';
import { uniqueId, user, walletOf } from './wallets.fixtures';

/**
 * A four-week hourly contract over HTTP: ¥5,000 an hour, 30 hours a week, prepaid a week at a time. The first week is
 * disputed and support settles it; every week is paid by the timer at the close of its review window; the client ends
 * the contract in the fourth week and what escrow still holds comes back when that week is settled.
 */

const W1 = '2027-03-01';
const W2 = '2027-03-08';
const W3 = '2027-03-15';
const W4 = '2027-03-22';
/** An instant in Japan time. */
const jst = (date: string, time: string) => new Date(`${date}T${time}:00+09:00`).toISOString();
const support = { id: 'support-hourly', role: 'support' } as const;

interface HistoryEvent {
  type: string;
  position: number;
  actor: { id: string; role: string };
  idempotencyKey?: string;
  data: Record<string, unknown>;
  money: { lines: { lineId: string; funded: number; paidOut: number; fee: number; net: number; refunded: number }[]; totals: Record<string, number> };
  postings: { account: string }[];
}

describe('an hourly contract of four weeks with one disputed week', () => {
  let service: TestService;
  const client = user(uniqueId('client'));
  const worker = user(uniqueId('worker'));
  let contractId = '';

  beforeAll(async () => {
    service = await TestService.start({ clock: jst(W1, '10:00') });
  });
  afterAll(() => service.stop());

  const path = (suffix = '') => `/v1/hourly-contracts/${contractId}${suffix}`;
  const history = async (minPosition = 0) => (await service.get(`${path('/history')}?minPosition=${minPosition}`).expect(200)).body as { events: HistoryEvent[]; money: HistoryEvent['money'] };
  const events = async () => (await history()).events;

  /** Moves the clock and waits for the timer to record `count` events of `type`. */
  async function timerRecords(at: string, type: string, count: number): Promise<HistoryEvent[]> {
    service.clock.set(at);
    const started = performance.now();
    for (;;) {
      const recorded = await events();
      if (recorded.filter((event) => event.type === type).length >= count) return recorded;
      if (performance.now() - started > 10_000) throw new Error(`no ${count}th ${type} after ${at}: ${recorded.map((event) => event.type).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const report = (weekStart: string, reportId: string, from: string, to: string, minutes: number) =>
    service.post(path('/hours'), worker, { reportId, weekStart, periodStart: from, periodEnd: to, minutes });

  it('runs offer, prepayments, hours, a dispute, weekly payouts by the timer, support\'s settlement and the end', async () => {
    const offered = await service
      .post('/v1/hourly-contracts', client, { clientId: client.id, workerId: worker.id, title: 'Support desk', hourlyRate: 5_000, weeklyLimitHours: 30 })
      .expect(201);
    contractId = offered.body.contractId;
    expect(offered.body).toMatchObject({ status: 'offered', hourlyRate: 5_000, weeklyLimitHours: 30 });
    const accepted = await service.post(path('/accept'), worker, {}).expect(200);
    // 30 hours × ¥5,000 = ¥150,000, plus 10 % tax.
    expect(accepted.body).toMatchObject({ status: 'active', estimatedWeekGross: 165_000, taxRate: '0.10', feeScheduleId: 'crowdworks-2019-10' });
    await service.post(path('/prepay'), client, { paymentReference: uniqueId('pay'), method: 'card' }).expect(200);
    const reused = uniqueId('pay');
    await service.post(path('/prepay'), client, { paymentReference: reused, method: 'card', amount: 165_000 }).expect(200);
    // One gateway payment funds one thing once.
    expect((await service.post(path('/prepay'), client, { paymentReference: reused, method: 'card' }).expect(409)).body.code).toBe('PAYMENT_REFERENCE_ALREADY_USED');

    // Week 1: 30 hours in two reports; a 31st hour is above the weekly limit.
    service.clock.set(jst('2027-03-05', '20:00'));
    await report(W1, 'w1-a', jst(W1, '09:00'), jst('2027-03-03', '18:00'), 1_200).expect(200);
    await report(W1, 'w1-b', jst('2027-03-04', '09:00'), jst('2027-03-05', '18:00'), 600).expect(200);
    expect((await report(W1, 'w1-c', jst('2027-03-05', '18:00'), jst('2027-03-05', '19:00'), 60).expect(409)).body.code).toBe('WEEKLY_LIMIT_EXCEEDED');
    expect((await report(W1, 'w1-d', jst(W1, '09:00'), jst(W1, '10:00'), 20).expect(400)).body.errors[0]).toMatchObject({ field: 'minutes' });

    // Week 2: 20 hours. The client disputes 5 hours of week 1 in its review window (from Tuesday 9 March).
    service.clock.set(jst('2027-03-10', '12:00'));
    await report(W2, 'w2-a', jst(W2, '09:00'), jst('2027-03-10', '11:00'), 1_200).expect(200);
    const disputed = await service.post(path(`/weeks/${W1}/dispute`), client, { minutes: 300, reason: 'Five hours were not worked' }).expect(200);
    expect(disputed.body.weeks[0]).toMatchObject({ weekStart: W1, recordedMinutes: 1_800, disputedMinutes: 300, status: 'recording' });
    expect(disputed.body.totals).toMatchObject({ funded: 330_000, escrow: 330_000, committed: 275_000 });

    // Tuesday 16 March 00:00 JST: week 1's window has closed; the timer pays its 25 undisputed hours and holds 5.
    let recorded = await timerRecords(jst('2027-03-16', '00:30'), 'HourlyWeekPaidOut', 1);
    const week1 = recorded.find((event) => event.type === 'HourlyWeekPaidOut')!;
    expect(week1).toMatchObject({ actor: { id: 'hourly-settlement', role: 'system' }, idempotencyKey: `hourly-week:${contractId}:${W1}` });
    // ¥137,500: the first ¥100,000 at 20 %, the rest at 10 %, plus tax on the fee.
    expect(week1.data).toMatchObject({ weekStart: W1, minutes: 1_500, gross: 137_500, fee: 26_125, net: 111_375, cumulativeGrossBefore: 0 });

    // Week 3: a top-up and 25 hours; support awards 2 of the 5 disputed hours of week 1.
    service.clock.set(jst('2027-03-17', '12:00'));
    await service.post(path('/prepay'), client, { paymentReference: uniqueId('pay'), method: 'bank_transfer' }).expect(200);
    await report(W3, 'w3-a', jst(W3, '09:00'), jst('2027-03-17', '11:00'), 1_500).expect(200);
    expect((await service.post(path(`/weeks/${W1}/settle-dispute`), client, { awardedMinutes: 120, reason: 'x' }).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
    const settled = await service.post(path(`/weeks/${W1}/settle-dispute`), support, { awardedMinutes: 120, reason: 'The tracker shows two of the hours' }).expect(200);
    expect(settled.body.weeks[0]).toMatchObject({ awardedMinutes: 120, paidMinutes: 1_620, paidGross: 148_500, status: 'settled' });
    // The award continues week 1's own tiers: ¥11,000 more, its fee the difference of the week's fee at ¥148,500 and at ¥137,500.
    expect(settled.body.weeks[0].payouts[1]).toMatchObject({ gross: 11_000, fee: 1_210, cumulativeGrossBefore: 137_500, cumulativeGrossAfter: 148_500 });

    // Tuesday 23 March: week 2 paid, its tiers from ¥0 again whatever week 1 paid.
    recorded = await timerRecords(jst('2027-03-23', '00:30'), 'HourlyWeekPaidOut', 3);
    const week2 = recorded.filter((event) => event.type === 'HourlyWeekPaidOut')[2];
    expect(week2.data).toMatchObject({ weekStart: W2, minutes: 1_200, gross: 110_000, fee: 23_100, cumulativeGrossBefore: 0 });

    // Week 4: 10 hours, and the client ends the contract (契約終了): it ends after this week is settled.
    service.clock.set(jst('2027-03-24', '12:00'));
    await report(W4, 'w4-a', jst(W4, '09:00'), jst('2027-03-24', '11:00'), 600).expect(200);
    const ending = await service.post(path('/end'), client, { reason: 'The launch is over' }).expect(200);
    expect(ending.body.ending).toMatchObject({ requestedBy: 'client', endsAfterWeek: W4 });
    expect((await service.post(path('/prepay'), client, { paymentReference: uniqueId('pay'), method: 'card' }).expect(409)).body.code).toBe('CONTRACT_ENDING');

    recorded = await timerRecords(jst('2027-03-30', '00:30'), 'HourlyWeekPaidOut', 4);
    expect(recorded.filter((event) => event.type === 'HourlyWeekPaidOut')[3].data).toMatchObject({ weekStart: W3, gross: 137_500, fee: 26_125 });
    recorded = await timerRecords(jst('2027-04-06', '00:30'), 'HourlyContractEnded', 1);
    const types = recorded.map((event) => event.type);
    expect(types.slice(-4)).toEqual(['HourlyReviewWindowClosed', 'HourlyWeekPaidOut', 'HourlyEscrowRefunded', 'HourlyContractEnded']);
    const ended = recorded.at(-1)!;
    // ¥495,000 prepaid; ¥451,000 paid for 1,500 + 120 + 1,200 + 1,500 + 600 minutes; ¥44,000 back to the client.
    expect(ended.data).toMatchObject({ outcome: 'completed', paidOutGross: 451_000, fees: 88_660, net: 362_340, refunded: 44_000, endsAfterWeek: W4 });

    const position = ended.position;
    const contract = (await service.get(`${path()}?minPosition=${position}`).expect(200)).body;
    expect(contract).toMatchObject({ status: 'ended', totals: { funded: 495_000, paidOut: 451_000, fees: 88_660, net: 362_340, refunded: 44_000, escrow: 0, committed: 0 } });

    // The ledger: every check passes, the escrow account is empty, the wallets hold the net and the refund.
    const checks = (await service.get(`/v1/ledger/checks?minPosition=${position}`).expect(200)).body as { passed: boolean; checks: { name: string; passed: boolean }[] };
    expect(checks.checks.filter((check) => !check.passed)).toEqual([]);
    expect(checks.passed).toBe(true);
    const escrow = (await service.get(`/v1/ledger/accounts/escrow:hourly~${contractId}?minPosition=${position}`).expect(200)).body;
    expect(escrow).toMatchObject({ balance: 0 });
    expect((await walletOf(service, worker.id, position)).totalCredited).toBe(362_340);
    expect((await walletOf(service, client.id, position)).totalCredited).toBe(44_000);
    // A project contract: its end counts in both parties' completion rates (プロジェクト完了率).
    expect((await service.get(`/v1/clients/${client.id}/completion-rate?minPosition=${position}`).expect(200)).body).toMatchObject({ completed: 1, ended: 1 });
    expect((await service.get(`/v1/workers/${worker.id}/completion-rate?minPosition=${position}`).expect(200)).body).toMatchObject({ completed: 1, ended: 1 });
    const revenue = (await service.get(`/v1/fees/revenue?by=month&from=2027-03&to=2027-04&minPosition=${position}`).expect(200)).body as { totals: { fee: number; gross: number } };
    expect(revenue.totals).toMatchObject({ fee: 88_660 });

    // The history shows the money after each event, week by week.
    const { events: timeline, money } = await history(position);
    const afterDisputeSettled = timeline.find((event) => event.type === 'HourlyDisputeSettled')!;
    expect(afterDisputeSettled.money.lines.find((line) => line.lineId === `week-${W1}`)).toMatchObject({ paidOut: 137_500, fee: 26_125 });
    const awardPaid = timeline[timeline.indexOf(afterDisputeSettled) + 1];
    expect(awardPaid.money.lines.find((line) => line.lineId === `week-${W1}`)).toMatchObject({ paidOut: 148_500, fee: 27_335 });
    expect(awardPaid.postings.length).toBeGreaterThan(0);
    expect(money.lines).toEqual([
      { lineId: 'prepaid', funded: 495_000, paidOut: 0, feeExTax: 0, feeTax: 0, fee: 0, net: 0, refunded: 44_000 },
      expect.objectContaining({ lineId: `week-${W1}`, paidOut: 148_500, fee: 27_335 }),
      expect.objectContaining({ lineId: `week-${W2}`, paidOut: 110_000, fee: 23_100 }),
      expect.objectContaining({ lineId: `week-${W3}`, paidOut: 137_500, fee: 26_125 }),
      expect.objectContaining({ lineId: `week-${W4}`, paidOut: 55_000, fee: 12_100 }),
    ]);
    expect(money.totals).toMatchObject({ funded: 495_000, inEscrow: 0, paidOut: 451_000, fee: 88_660, refunded: 44_000 });

    // The parties read it; a user party to nothing is refused the contract, its history and its escrow account.
    await service.get(path(), worker).expect(200);
    await service.get(path('/history'), client).expect(200);
    const stranger = user(uniqueId('stranger'));
    expect((await service.get(path('/history'), stranger).expect(403)).body.code).toBe('NOT_A_PARTY');
    expect((await service.get(path(), stranger).expect(403)).body.code).toBe('NOT_A_PARTY');
    expect((await service.get(`/v1/ledger/accounts/escrow:hourly~${contractId}`, stranger).expect(403)).body.code).toBe('NOT_A_PARTY');
  });

  it('answers 404 for an hourly contract that does not exist', async () => {
    expect((await service.get('/v1/hourly-contracts/nope').expect(404)).body.code).toBe('HOURLY_CONTRACT_NOT_FOUND');
  });
});
