import { TestService } from './harness';
import { postedTask, submitted } from './tasks.fixtures';
import { uniqueId, user, walletOf } from './wallets.fixtures';

interface HistoryEntry {
  revision: number;
  type: string;
  position: number;
  actor: { id: string; role: string };
  idempotencyKey?: string;
  data: Record<string, unknown>;
  money: { lines: { lineId: string; funded: number; paidOut: number; fee: number; net: number; refunded: number }[]; totals: Record<string, number> };
  postings: { account: string; debit: number; credit: number }[];
}

const POSTED_AT = '2027-04-01T00:00:00.000Z';
const DAY_MS = 86_400_000;
const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the task's history until it holds an event of `type` (or the time is up, then answers what it holds). */
async function historyReaching(service: TestService, taskId: string, type: string, timeoutMs = 5_000): Promise<HistoryEntry[]> {
  const started = performance.now();
  for (;;) {
    const history = (await service.get(`/v1/tasks/${taskId}/history`).expect(200)).body.events as HistoryEntry[];
    if (history.some((event) => event.type === type) || performance.now() - started > timeoutMs) return history;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A task of 10 slots at ¥1,000 (tax-inclusive): two approvals, three rejections (the cap with two completed) and a
 * fourth refused, a rejected slot taken again, the pending ones approved by the service two weeks after the deadline,
 * and the six unused slots refunded.
 */
describe('a task with 10 slots over HTTP', () => {
  let service: TestService;
  const workers = Array.from({ length: 7 }, (_, index) => user(uniqueId(`task-worker-${index + 1}`)));
  let taskId: string;
  let client: ReturnType<typeof user>;
  let applicationDeadline: string;
  const ids: string[] = [];
  let history: HistoryEntry[];

  beforeAll(async () => {
    service = await TestService.start({ clock: POSTED_AT });
    ({ taskId, client, applicationDeadline } = await postedTask(service, { slots: 10, unitPrice: 1_000, deadlineInDays: 14 }));
    for (const worker of workers.slice(0, 6)) ids.push((await submitted(service, taskId, worker)).submissionId);
  });
  afterAll(() => service.stop());

  const submission = (index: number) => `/v1/tasks/${taskId}/submissions/${ids[index]}`;

  it('takes the prepayment of unit price × slots into the task\'s escrow', async () => {
    const task = (await service.get(`/v1/tasks/${taskId}`).expect(200)).body;
    expect(task).toMatchObject({ status: 'open', unitPrice: 1_000, slots: 10, openSlots: 4, pending: 6, funded: 10_000, inEscrow: 10_000, feeScheduleId: 'task-flat-20' });
    expect(Date.parse(task.autoApprovalAt) - Date.parse(applicationDeadline)).toBe(14 * DAY_MS);
  });

  it('pays each approved submission at once: ¥1,000 minus ¥200 and ¥20 tax on the fee', async () => {
    for (const index of [0, 1]) {
      const res = await service.post(`${submission(index)}/approve`, client).expect(200);
      expect(res.body.submissions[index]).toMatchObject({ status: 'approved', approvedBy: 'client', payout: { gross: 1_000, feeExTax: 200, feeTax: 20, fee: 220, net: 780 } });
    }
  });

  it('refuses an approval by anyone but the client', async () => {
    const res = await service.post(`${submission(2)}/approve`, workers[2]).expect(403);
    expect(res.body.code).toBe('NOT_TASK_CLIENT');
  });

  it('rejects up to the cap, max(3, floor(30 % of 2)) = 3, and refuses the next rejection naming the rule', async () => {
    for (const index of [2, 3, 4]) await service.post(`${submission(index)}/reject`, client, { reason: 'Labels missing' }).expect(200);
    const refused = await service.post(`${submission(5)}/reject`, client, { reason: 'Labels missing' }).expect(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'TASK_REJECTION_CAP_REACHED', details: { rule: 'rejectionCap', minimum: 3, shareOfCompleted: '0.30', completed: 2, rejections: 3, cap: 3 } });
    const task = (await service.get(`/v1/tasks/${taskId}?minPosition=0`).expect(200)).body;
    expect(task).toMatchObject({ approved: 2, rejected: 3, pending: 1, openSlots: 7, rejectionCap: { cap: 3 } });
  });

  it('lets a rejected slot take a new submission while the task is open, and refuses one after the deadline', async () => {
    ids.push((await submitted(service, taskId, workers[6])).submissionId);
    service.clock.set(new Date(Date.parse(applicationDeadline) + 1_000));
    const late = await service.post(`/v1/tasks/${taskId}/submissions`, workers[0], { content: 'Late labels' }).expect(409);
    expect(late.body.code).toBe('TASK_APPLICATION_CLOSED');
  });

  it('approves the pending submissions as the service two weeks after the deadline, closes the task and refunds the unused slots once', async () => {
    const autoApprovalAt = new Date(Date.parse(applicationDeadline) + 14 * DAY_MS);
    service.clock.set(new Date(autoApprovalAt.getTime() - 60_000));
    await quietFor(200);
    expect((await service.get(`/v1/tasks/${taskId}/history`).expect(200)).body.events.map((event: HistoryEntry) => event.type)).not.toContain('TaskClosed');

    service.clock.set(autoApprovalAt);
    history = await historyReaching(service, taskId, 'TaskSettled');
    const automatic = history.filter((event) => event.type === 'TaskSubmissionApproved' && event.data.approvedBy === 'automatic');
    expect(automatic.map((event) => event.data.submissionId)).toEqual([ids[5], ids[6]]);
    expect(automatic[0]).toMatchObject({ actor: { id: 'task-auto-approval', role: 'system' }, idempotencyKey: `task-approve:${taskId}` });
    expect(history.slice(-3).map((event) => event.type)).toEqual(['TaskClosed', 'TaskUnusedSlotsRefunded', 'TaskSettled']);
    expect(history.at(-2)!.data).toMatchObject({ unusedSlots: 6, amount: 6_000 });

    await quietFor(200);
    const again = (await service.get(`/v1/tasks/${taskId}/history`).expect(200)).body.events as HistoryEntry[];
    expect(again.filter((event) => event.type === 'TaskUnusedSlotsRefunded')).toHaveLength(1);
  });

  it('balances the books: the ledger checks pass, the workers and the client are credited, the fees are reported', async () => {
    const last = history.at(-1)!.position;
    expect((await service.get(`/v1/ledger/checks?minPosition=${last}`).expect(200)).body).toMatchObject({ passed: true });
    for (const index of [0, 1, 5, 6]) expect(await walletOf(service, workers[index].id, last)).toMatchObject({ available: 780 });
    expect(await walletOf(service, workers[2].id, last)).toMatchObject({ available: 0 });
    expect(await walletOf(service, client.id, last)).toMatchObject({ available: 6_000 });
    const escrow = (await service.get(`/v1/ledger/accounts/escrow:task~${taskId}?minPosition=${last}`).expect(200)).body;
    expect(escrow.data.reduce((sum: number, entry: { debit: number; credit: number }) => sum + entry.debit - entry.credit, 0)).toBe(0);
    const fees = (await service.get(`/v1/contracts/task~${taskId}/fees?minPosition=${last}`).expect(200)).body;
    expect(fees.data.map((payout: { gross: number; fee: number; net: number }) => [payout.gross, payout.fee, payout.net])).toEqual(Array(4).fill([1_000, 220, 780]));
  });

  it('shows the money after each event in the history', () => {
    const money = (type: string) => history.find((event) => event.type === type)!.money.totals;
    expect(money('TaskFunded')).toMatchObject({ funded: 10_000, inEscrow: 10_000, paidOut: 0 });
    expect(history.find((event) => event.type === 'TaskSubmissionApproved')!.money.totals).toMatchObject({ paidOut: 1_000, fee: 220, net: 780, inEscrow: 9_000 });
    expect(history.at(-1)!.money.totals).toEqual({ funded: 10_000, inEscrow: 0, paidOut: 4_000, feeExTax: 800, feeTax: 80, fee: 880, net: 3_120, refunded: 6_000 });
    expect(history.at(-1)!.money.lines.find((line) => line.lineId === 'slots')).toMatchObject({ funded: 10_000, refunded: 6_000 });
    for (const type of ['TaskFunded', 'TaskSubmissionApproved', 'TaskUnusedSlotsRefunded']) {
      expect(history.find((event) => event.type === type)!.postings.some((posting) => posting.account === `escrow:task~${taskId}`)).toBe(true);
    }
    expect(history.find((event) => event.type === 'TaskSubmissionRejected')!.postings).toEqual([]);
  });

  it('lets the client and the task\'s workers read it, and refuses anyone else with 403', async () => {
    await service.get(`/v1/tasks/${taskId}/history`, client).expect(200);
    await service.get(`/v1/tasks/${taskId}`, workers[3]).expect(200);
    await service.get(`/v1/ledger/accounts/escrow:task~${taskId}`, client).expect(200);
    const stranger = user('task-stranger');
    expect((await service.get(`/v1/tasks/${taskId}/history`, stranger).expect(403)).body.code).toBe('NOT_A_PARTY');
    expect((await service.get(`/v1/ledger/accounts/escrow:task~${taskId}`, stranger).expect(403)).body.code).toBe('NOT_A_PARTY');
    expect((await service.get(`/v1/contracts/task~${taskId}/fees`, stranger).expect(403)).body.code).toBe('NOT_A_PARTY');
    await service.get(`/v1/contracts/task~${taskId}/fees`, client).expect(200);
  });
});

describe('posting and closing a task over HTTP', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ clock: POSTED_AT });
  });
  afterAll(() => service.stop());

  it('refuses a unit price under ¥5 and a gateway payment that funded something else already', async () => {
    const client = user(uniqueId('task-client'));
    const body = { title: 'Tags', unitPrice: 4, slots: 3, applicationDeadline: '2027-04-10T00:00:00Z', paymentReference: uniqueId('pay'), method: 'card' };
    const low = await service.post('/v1/tasks', client, body).expect(400);
    expect(low.body.errors).toEqual([expect.objectContaining({ field: 'unitPrice', rule: 'min' })]);
    await service.post('/v1/tasks', client, { ...body, unitPrice: 5 }).expect(201);
    const reused = await service.post('/v1/tasks', client, { ...body, unitPrice: 5 }, { 'Idempotency-Key': uniqueId('key') }).expect(409);
    expect(reused.body.code).toBe('PAYMENT_REFERENCE_ALREADY_USED');
  });

  it('refunds the unused slots when the client closes a task with nothing pending', async () => {
    const task = await postedTask(service, { slots: 3, unitPrice: 500 });
    const { submissionId } = await submitted(service, task.taskId, user(uniqueId('task-worker')));
    await service.post(`/v1/tasks/${task.taskId}/submissions/${submissionId}/approve`, task.client).expect(200);
    const closed = (await service.post(`/v1/tasks/${task.taskId}/close`, task.client, { reason: 'Enough answers' }).expect(200)).body;
    expect(closed).toMatchObject({ status: 'settled', closedBy: 'client', funded: 1_500, paidOut: 500, fees: 110, refunded: 1_000, inEscrow: 0 });
    expect(await walletOf(service, task.client.id, closed.position)).toMatchObject({ available: 1_000 });
    expect((await service.get(`/v1/ledger/checks?minPosition=${closed.position}`).expect(200)).body).toMatchObject({ passed: true });
    expect((await service.post(`/v1/tasks/${task.taskId}/close`, task.client).expect(409)).body.code).toBe('TASK_NOT_OPEN');
  });

  it('answers 404 for a task that does not exist', async () => {
    expect((await service.get('/v1/tasks/no-such-task').expect(404)).body.code).toBe('TASK_NOT_FOUND');
    expect((await service.get('/v1/tasks/no-such-task/history').expect(404)).body.code).toBe('TASK_NOT_FOUND');
  });
});
