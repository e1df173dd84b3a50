import { auditor, fundedContract, support, TestService } from './harness';
import { postedTask, submitted } from './tasks.fixtures';
import { uniqueId, user } from './wallets.fixtures';

const DAY_MS = 86_400_000;

describe('attacks on tasks, competitions and hourly contracts', () => {
  let service: TestService;
  let last = 0;
  const checksPass = async () => {
    const checks = (await service.get(`/v1/ledger/checks?minPosition=${last}`).expect(200)).body;
    expect(checks.passed).toBe(true);
  };
  /** Keeps the latest position a command answered, for the reads after it. */
  const note = <Res extends { body: { position?: unknown } }>(res: Res): Res => {
    if (typeof res.body.position === 'number') last = Math.max(last, res.body.position);
    return res;
  };

  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('task: a worker may not approve their own submission, another client may not, an auditor may not', async () => {
    const task = await postedTask(service, { slots: 2 });
    const worker = user(uniqueId('w'));
    const { submissionId } = await submitted(service, task.taskId, worker);
    const path = `/v1/tasks/${task.taskId}/submissions/${submissionId}/approve`;
    expect((await service.post(path, worker, {})).status).toBe(403);
    expect((await service.post(path, user(uniqueId('other-client')), {})).status).toBe(403);
    expect((await service.post(path, auditor, {})).status).toBe(403);
    expect((await service.post(`/v1/tasks/${task.taskId}/close`, worker, {})).status).toBe(403);
    expect((await service.post(`/v1/tasks/${task.taskId}/submissions`, task.client, { content: 'x' })).status).toBe(403);
  });

  it('task: approving twice, with different keys and concurrently, pays once', async () => {
    const task = await postedTask(service, { slots: 3 });
    const worker = user(uniqueId('w'));
    const { submissionId } = await submitted(service, task.taskId, worker);
    const path = `/v1/tasks/${task.taskId}/submissions/${submissionId}/approve`;
    const results = await Promise.all([0, 1, 2, 3].map((i) => service.post(path, task.client, {}, { 'Idempotency-Key': `k-${i}-${submissionId}` })));
    results.forEach(note);
    expect(results.filter((res) => res.status === 200)).toHaveLength(1);
    const again = note(await service.post(path, task.client, {}, { 'Idempotency-Key': `k-again-${submissionId}` }));
    expect(again.status).toBe(409);
    const fees = (await service.get(`/v1/contracts/task~${task.taskId}/fees?minPosition=${last}`).expect(200)).body;
    expect(fees.data).toHaveLength(1);
    const closed = note(await service.post(`/v1/tasks/${task.taskId}/close`, task.client, {}));
    expect(closed.status).toBe(200);
    const twice = await Promise.all([1, 2].map((i) => service.post(`/v1/tasks/${task.taskId}/close`, task.client, {}, { 'Idempotency-Key': `c-${i}-${submissionId}` })));
    expect(twice.map((res) => res.status)).toEqual([409, 409]);
    const escrow = (await service.get(`/v1/ledger/accounts/escrow:task~${task.taskId}?minPosition=${last}`).expect(200)).body;
    expect(escrow.balance).toBe(0);
    await checksPass();
  });

  it('task: bad amounts and unknown fields are refused naming the field', async () => {
    const client = user(uniqueId('c'));
    const deadline = new Date(service.clock.now().getTime() + 5 * DAY_MS).toISOString();
    const body = { title: 'T', unitPrice: 1_000, slots: 2, applicationDeadline: deadline, paymentReference: uniqueId('pay'), method: 'card' };
    for (const [field, value] of [['unitPrice', -5], ['unitPrice', 10.5], ['unitPrice', 1e20], ['slots', 0], ['slots', 1.5], ['slots', 1e9], ['unitPrice', '1000']] as const) {
      const res = await service.post('/v1/tasks', client, { ...body, [field]: value });
      expect([res.status, field, value]).toEqual([400, field, value]);
      expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    const huge = await service.post('/v1/tasks', client, { ...body, unitPrice: 10_000_000, slots: 1_000 });
    expect(huge.status).toBe(400);
    const unknown = await service.post('/v1/tasks', client, { ...body, clientId: 'someone-else' });
    expect(unknown.status).toBe(400);
    const unknownApprove = await service.post(`/v1/tasks/nope/close`, client, { amount: 5 });
    expect(unknownApprove.status).toBe(400);
  });

  it('a gateway payment funds one thing once across formats', async () => {
    const contract = await fundedContract(service);
    const milestoneReference = `pay-${contract.contractId}-0`;
    const deadline = new Date(service.clock.now().getTime() + 5 * DAY_MS).toISOString();
    const client = user('client-1');
    const onTask = await service.post('/v1/tasks', client, { title: 'T', unitPrice: 1_000, slots: 2, applicationDeadline: deadline, paymentReference: milestoneReference, method: 'card' });
    expect([onTask.status, onTask.body.code]).toEqual([409, 'PAYMENT_REFERENCE_ALREADY_USED']);

    const drafted = note(await service.post('/v1/competitions', client, { title: 'Logo', brief: 'b', prize: 45_455, deadline }).expect(201));
    const competitionId = drafted.body.competitionId;
    const onPrize = await service.post(`/v1/competitions/${competitionId}/prepay`, client, { paymentReference: milestoneReference, method: 'card' });
    expect([onPrize.status, onPrize.body.code]).toEqual([409, 'PAYMENT_REFERENCE_ALREADY_USED']);
    const task = await postedTask(service, { client });
    const taskReference = (await service.get(`/v1/tasks/${task.taskId}?minPosition=${task.position}`).expect(200)).body.paymentReference;
    if (taskReference) {
      const reused = await service.post(`/v1/competitions/${competitionId}/prepay`, client, { paymentReference: taskReference, method: 'card' });
      expect([reused.status, reused.body.code]).toEqual([409, 'PAYMENT_REFERENCE_ALREADY_USED']);
    }
    const wrong = await service.post(`/v1/competitions/${competitionId}/prepay`, client, { paymentReference: uniqueId('pay'), method: 'card', amount: 49_999 });
    expect([wrong.status, wrong.body.code]).toEqual([409, 'PRIZE_AMOUNT_MISMATCH']);
    await checksPass();
  });

  it('competition: adoption with a prepayment of another amount, twice, by a stranger, by the worker', async () => {
    const client = user(uniqueId('c'));
    const worker = user(uniqueId('w'));
    const second = user(uniqueId('w'));
    const deadline = new Date(service.clock.now().getTime() + 5 * DAY_MS).toISOString();
    const id = note(await service.post('/v1/competitions', client, { title: 'Logo', brief: 'b', prize: 45_455, deadline }).expect(201)).body.competitionId;
    note(await service.post(`/v1/competitions/${id}/prepay`, client, { paymentReference: uniqueId('pay'), method: 'card' }).expect(200));
    note(await service.post(`/v1/competitions/${id}/publish`, client, {}).expect(200));
    note(await service.post(`/v1/competitions/${id}/proposals`, worker, { title: 'A', deliverables: [{ uri: 'https://files.example.com/a.png' }] }).expect(201));
    note(await service.post(`/v1/competitions/${id}/proposals`, second, { title: 'B', deliverables: [{ uri: 'https://files.example.com/b.png' }] }).expect(201));
    const proposals = (await service.get(`/v1/competitions/${id}?minPosition=${last}`).expect(200)).body.proposals.map((p: { proposalId: string }) => p.proposalId);
    const adopt = (actor: typeof client, proposalId: string, body: object = {}, key?: string) =>
      service.post(`/v1/competitions/${id}/proposals/${proposalId}/adopt`, actor, body, key ? { 'Idempotency-Key': key } : {});
    expect((await adopt(worker, proposals[0])).status).toBe(403);
    expect((await adopt(user(uniqueId('x')), proposals[0])).status).toBe(403);
    expect((await adopt(auditor, proposals[0])).status).toBe(403);
    const both = await Promise.all([1, 2, 3].map((i) => adopt(client, proposals[0], {}, `a-${i}-${id}`)));
    both.forEach(note);
    expect(both.filter((res) => res.status === 200)).toHaveLength(1);
    const mismatch = await adopt(client, proposals[1], { prepayment: { paymentReference: uniqueId('pay'), method: 'card', amount: 1 } });
    expect([mismatch.status, mismatch.body.code]).toEqual([409, 'PRIZE_AMOUNT_MISMATCH']);
    const fractional = await adopt(client, proposals[1], { prepayment: { paymentReference: uniqueId('pay'), method: 'card', amount: 50_000.5 } });
    expect(fractional.status).toBe(400);
    const extra = await adopt(client, proposals[1], { prepayment: { paymentReference: uniqueId('pay'), method: 'card', bonus: 1 } });
    expect(extra.status).toBe(400);
    const refund = await service.post(`/v1/competitions/${id}/close`, client, { reason: 'refund me' });
    expect(refund.status).toBe(400);
    const supportRefund = note(await service.post(`/v1/competitions/${id}/close`, support, { reason: 'none met the brief' }));
    expect(supportRefund.status).toBe(409);
    const fees = (await service.get(`/v1/contracts/competition~${id}/fees?minPosition=${last}`, user(uniqueId('x')))).status;
    expect(fees).toBe(403);
    // A worker who entered reads the escrow account (the marketplace announces its adoptions); anyone else may not.
    expect((await service.get(`/v1/ledger/accounts/escrow:competition~${id}?minPosition=${last}`, second)).status).toBe(200);
    expect((await service.get(`/v1/ledger/accounts/escrow:competition~${id}?minPosition=${last}`, user(uniqueId('x')))).status).toBe(403);
    const history = (await service.get(`/v1/competitions/${id}/history?minPosition=${last}`, second)).status;
    expect(history).toBe(403);
    await checksPass();
  });

  it('closed accounts take part in nothing and open work holds closure back', async () => {
    const task = await postedTask(service, { slots: 2 });
    const closing = user(uniqueId('leaver'));
    note(await service.post(`/v1/accounts/${closing.id}/close`, closing, {}).expect(200));
    const submit = await service.post(`/v1/tasks/${task.taskId}/submissions`, closing, { content: 'x' });
    expect([submit.status, submit.body.code]).toEqual([409, 'WORKER_ACCOUNT_CLOSED']);
    const offer = await service.post('/v1/hourly-contracts', user(uniqueId('c')), { clientId: 'ignored', workerId: closing.id, title: 'x', hourlyRate: 5_000, weeklyLimitHours: 10 });
    expect(offer.status).toBeGreaterThanOrEqual(400);
    const offerForOther = await service.post('/v1/hourly-contracts', user(uniqueId('c')), { clientId: uniqueId('victim'), workerId: uniqueId('w'), title: 'x', hourlyRate: 5_000, weeklyLimitHours: 10 });
    expect(offerForOther.status).toBe(403);
    const refused = await service.post(`/v1/accounts/${task.client.id}/close`, task.client, {});
    expect(refused.status).toBe(409);
  });

  it('hourly: only the client prepays, only the worker records, amounts bounded', async () => {
    const client = user(uniqueId('c'));
    const worker = user(uniqueId('w'));
    const offered = note(await service.post('/v1/hourly-contracts', client, { clientId: client.id, workerId: worker.id, title: 'x', hourlyRate: 5_000, weeklyLimitHours: 10 }).expect(201));
    const id = offered.body.contractId;
    // An offer not yet accepted holds no one back (it cannot be declined yet); an accepted one does, below.
    expect((await service.get(`/v1/accounts/${worker.id}/closure-eligibility?minPosition=${last}`).expect(200)).body.reasons).toEqual([]);
    expect((await service.post(`/v1/hourly-contracts/${id}/accept`, client, {})).status).toBe(403);
    note(await service.post(`/v1/hourly-contracts/${id}/accept`, worker, {}).expect(200));
    expect((await service.post(`/v1/hourly-contracts/${id}/prepay`, worker, { paymentReference: uniqueId('p'), method: 'card' })).status).toBe(403);
    expect((await service.post(`/v1/hourly-contracts/${id}/prepay`, auditor, { paymentReference: uniqueId('p'), method: 'card' })).status).toBe(403);
    expect((await service.post(`/v1/hourly-contracts/${id}/prepay`, client, { paymentReference: uniqueId('p'), method: 'card', amount: -1 })).status).toBe(400);
    expect((await service.post(`/v1/hourly-contracts/${id}/prepay`, client, { paymentReference: uniqueId('p'), method: 'card', amount: 1.5 })).status).toBe(400);
    expect((await service.post(`/v1/hourly-contracts/${id}/prepay`, client, { paymentReference: uniqueId('p'), method: 'card', amount: 1e16 })).status).toBe(400);
    const monday = '2026-11-30';
    const rec = await service.post(`/v1/hourly-contracts/${id}/hours`, client, { reportId: 'r1', weekStart: monday, periodStart: '2026-11-30T09:00:00+09:00', periodEnd: '2026-11-30T10:00:00+09:00', minutes: 60 });
    expect(rec.status).toBe(403);
    const settle = await service.post(`/v1/hourly-contracts/${id}/weeks/${monday}/settle-dispute`, worker, { awardedMinutes: 60, reason: 'x' });
    expect(settle.status).toBe(403);
    const end = await service.post(`/v1/hourly-contracts/${id}/end`, user(uniqueId('x')), {});
    expect(end.status).toBe(403);
    // An active hourly contract holds both parties back from closing their accounts.
    for (const party of [worker, client]) {
      const refusedClose = await service.post(`/v1/accounts/${party.id}/close`, party, {});
      expect([refusedClose.status, refusedClose.body.code]).toEqual([409, 'ACCOUNT_CLOSURE_BLOCKED']);
    }
    const reasons = (await service.get(`/v1/accounts/${worker.id}/closure-eligibility?minPosition=${last}`).expect(200)).body.reasons;
    expect(reasons).toContain('OPEN_CONTRACT_AS_WORKER');
    const history = await service.get(`/v1/hourly-contracts/${id}/history`, user(uniqueId('x')));
    expect(history.status).toBe(403);
    const fees = await service.get(`/v1/contracts/hourly~${id}/fees`, user(uniqueId('x')));
    expect(fees.status).toBe(403);
    await checksPass();
  });
  it('task: a rejected submission is not approved after all, an approved one not rejected, another task\'s not approved here', async () => {
    const task = await postedTask(service, { slots: 3 });
    const other = await postedTask(service, { slots: 3, client: task.client });
    const worker = user(uniqueId('w'));
    const a = await submitted(service, task.taskId, worker);
    const b = await submitted(service, task.taskId, worker);
    const foreign = await submitted(service, other.taskId, worker);
    note(await service.post(`/v1/tasks/${task.taskId}/submissions/${a.submissionId}/reject`, task.client, { reason: 'Blurry' }).expect(200));
    expect((await service.post(`/v1/tasks/${task.taskId}/submissions/${a.submissionId}/approve`, task.client, {})).status).toBe(409);
    note(await service.post(`/v1/tasks/${task.taskId}/submissions/${b.submissionId}/approve`, task.client, {}).expect(200));
    expect((await service.post(`/v1/tasks/${task.taskId}/submissions/${b.submissionId}/reject`, task.client, { reason: 'x' })).status).toBe(409);
    expect((await service.post(`/v1/tasks/${task.taskId}/submissions/${foreign.submissionId}/approve`, task.client, {})).status).toBeGreaterThanOrEqual(404);
    expect((await service.post(`/v1/tasks/${task.taskId}/submissions/${b.submissionId}/reject`, worker, { reason: 'x' })).status).toBe(403);
    expect((await service.post('/v1/tasks', support, { title: 'T', unitPrice: 1_000, slots: 2, applicationDeadline: task.applicationDeadline, paymentReference: uniqueId('p'), method: 'card' })).status).toBe(403);
    expect((await service.post('/v1/tasks', auditor, { title: 'T', unitPrice: 1_000, slots: 2, applicationDeadline: task.applicationDeadline, paymentReference: uniqueId('p'), method: 'card' })).status).toBe(403);
    const fees = (await service.get(`/v1/contracts/task~${task.taskId}/fees?minPosition=${last}`).expect(200)).body;
    expect(fees.data).toHaveLength(1);
    expect((await service.get(`/v1/contracts/task~${task.taskId}/fees`, user(uniqueId('x')))).status).toBe(403);
    expect((await service.get(`/v1/ledger/accounts/escrow:task~${task.taskId}`, user(uniqueId('x')))).status).toBe(403);
    expect((await service.get(`/v1/tasks/${task.taskId}/history`, user(uniqueId('x')))).status).toBe(403);
    // A worker of the task reads the task, but not its money as a whole, which names every worker's pay.
    expect((await service.get(`/v1/tasks/${task.taskId}?minPosition=${last}`, worker)).status).toBe(200);
    expect((await service.get(`/v1/contracts/task~${task.taskId}/fees`, worker)).status).toBe(403);
    expect((await service.get(`/v1/ledger/accounts/escrow:task~${task.taskId}`, worker)).status).toBe(403);
    expect((await service.get(`/v1/contracts/task~${task.taskId}/fees`, task.client)).status).toBe(200);
    expect((await service.get(`/v1/ledger/accounts/escrow:task~${task.taskId}`, task.client)).status).toBe(200);
    await checksPass();
  });

  it('competition: a prize is prepaid once before publishing; closing and support\'s refund race, refunding once', async () => {
    const client = user(uniqueId('c'));
    const deadline = new Date(service.clock.now().getTime() + 1 * DAY_MS).toISOString();
    expect((await service.post('/v1/competitions', support, { title: 'Logo', brief: 'b', prize: 45_455, deadline })).status).toBe(403);
    expect((await service.post('/v1/competitions', auditor, { title: 'Logo', brief: 'b', prize: 45_455, deadline })).status).toBe(403);
    const id = note(await service.post('/v1/competitions', client, { title: 'Logo', brief: 'b', prize: 45_455, deadline }).expect(201)).body.competitionId;
    const twice = await Promise.all([1, 2].map(() => service.post(`/v1/competitions/${id}/prepay`, client, { paymentReference: uniqueId('pay'), method: 'card' })));
    twice.forEach(note);
    expect(twice.map((res) => res.status).sort()).toEqual([200, 409]);
    expect((await service.post(`/v1/competitions/${id}/prepay`, client, { paymentReference: uniqueId('pay'), method: 'card' })).status).toBe(409);
    note(await service.post(`/v1/competitions/${id}/publish`, client, {}).expect(200));
    service.clock.advance('P2D');
    const raced = await Promise.all([
      service.post(`/v1/competitions/${id}/close`, client, {}),
      service.post(`/v1/competitions/${id}/close`, support, { reason: 'Nothing met the brief' }),
      service.post(`/v1/competitions/${id}/close`, client, {}, { 'Idempotency-Key': `close-${id}` }),
    ]);
    raced.forEach(note);
    expect(raced.filter((res) => res.status === 200)).toHaveLength(1);
    const escrow = (await service.get(`/v1/ledger/accounts/escrow:competition~${id}?minPosition=${last}`).expect(200)).body;
    expect(escrow.balance).toBe(0);
    await checksPass();
  });

  it('hourly: ending twice, prepaying an ending contract, a dispute by the worker, an offer to oneself', async () => {
    const client = user(uniqueId('c'));
    const worker = user(uniqueId('w'));
    expect((await service.post('/v1/hourly-contracts', client, { clientId: client.id, workerId: client.id, title: 'x', hourlyRate: 5_000, weeklyLimitHours: 10 })).status).toBeGreaterThanOrEqual(400);
    expect((await service.post('/v1/hourly-contracts', support, { clientId: client.id, workerId: worker.id, title: 'x', hourlyRate: 5_000, weeklyLimitHours: 10 })).status).toBe(403);
    expect((await service.post('/v1/hourly-contracts', client, { clientId: client.id, workerId: worker.id, title: 'x', hourlyRate: 5_000.5, weeklyLimitHours: 10 })).status).toBe(400);
    expect((await service.post('/v1/hourly-contracts', client, { clientId: client.id, workerId: worker.id, title: 'x', hourlyRate: 5_000, weeklyLimitHours: 169 })).status).toBe(400);
    expect((await service.post('/v1/hourly-contracts', client, { clientId: client.id, workerId: worker.id, title: 'x', hourlyRate: 5_000, weeklyLimitHours: 10, extra: 1 })).status).toBe(400);
    const id = note(await service.post('/v1/hourly-contracts', client, { clientId: client.id, workerId: worker.id, title: 'x', hourlyRate: 5_000, weeklyLimitHours: 10 }).expect(201)).body.contractId;
    note(await service.post(`/v1/hourly-contracts/${id}/accept`, worker, {}).expect(200));
    expect((await service.post(`/v1/hourly-contracts/${id}/accept`, worker, {})).status).toBe(409);
    note(await service.post(`/v1/hourly-contracts/${id}/prepay`, client, { paymentReference: uniqueId('p'), method: 'card' }).expect(200));
    const week = '2026-11-30';
    expect((await service.post(`/v1/hourly-contracts/${id}/weeks/${week}/dispute`, worker, { minutes: 60, reason: 'x' })).status).toBe(403);
    const ends = await Promise.all([1, 2].map((i) => service.post(`/v1/hourly-contracts/${id}/end`, i === 1 ? client : worker, {})));
    ends.forEach(note);
    expect(ends.map((res) => res.status).sort()).toEqual([200, 409]);
    expect((await service.post(`/v1/hourly-contracts/${id}/prepay`, client, { paymentReference: uniqueId('p'), method: 'card' })).status).toBe(409);
    await checksPass();
  });
  it('path parameters and asOf are bounded: a problem, never a server error', async () => {
    const long = 'x'.repeat(5_000);
    const client = user(uniqueId('c'));
    const answers = await Promise.all([
      service.post(`/v1/tasks/${long}/close`, client, {}),
      service.post(`/v1/tasks/t/submissions/${long}/approve`, client, {}),
      service.post(`/v1/competitions/${long}/publish`, client, {}),
      service.post(`/v1/competitions/c/proposals/${long}/adopt`, client, {}),
      service.post(`/v1/hourly-contracts/${long}/accept`, client, {}),
      service.post(`/v1/hourly-contracts/h/weeks/${long}/dispute`, client, { minutes: 60, reason: 'x' }),
      service.post(`/v1/hourly-contracts/h/weeks/2026-13-45/dispute`, client, { minutes: 60, reason: 'x' }),
      service.get(`/v1/tasks/${long}`),
      service.get(`/v1/tasks/t/history?asOf=yesterday`),
      service.get(`/v1/competitions/c/history?asOf=${long}`),
      service.get(`/v1/hourly-contracts/h/history?asOf=2026-02-30T00:00:00Z`),
      service.get(`/v1/contracts/task~${long}/fees`),
      service.get(`/v1/ledger/accounts/escrow:hourly~${long}`),
    ]);
    for (const res of answers) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
  it('hourly: an account closed while an offer waits is not bound by it: neither party can accept or prepay', async () => {
    for (const closes of ['worker', 'client'] as const) {
      const client = user(uniqueId('c'));
      const worker = user(uniqueId('w'));
      const id = note(await service.post('/v1/hourly-contracts', client, { clientId: client.id, workerId: worker.id, title: 'x', hourlyRate: 5_000, weeklyLimitHours: 10 }).expect(201)).body.contractId;
      const leaver = closes === 'worker' ? worker : client;
      note(await service.post(`/v1/accounts/${leaver.id}/close`, leaver, {}).expect(200));
      const accepted = await service.post(`/v1/hourly-contracts/${id}/accept`, worker, {});
      expect([accepted.status, accepted.body.code]).toEqual([409, closes === 'worker' ? 'WORKER_ACCOUNT_CLOSED' : 'CLIENT_ACCOUNT_CLOSED']);
      expect((await service.post(`/v1/hourly-contracts/${id}/prepay`, client, { paymentReference: uniqueId('p'), method: 'card' })).status).toBe(409);
    }
  });
  it('task: a worker sees only their own submissions, not another\'s work, and no history', async () => {
    const task = await postedTask(service, { slots: 3 });
    const honest = user(uniqueId('w'));
    const copier = user(uniqueId('w'));
    await submitted(service, task.taskId, honest);
    const answer = note(await service.post(`/v1/tasks/${task.taskId}/submissions`, copier, { content: 'Anything, to get in' }).expect(201));
    expect(answer.body.submissions.map((submission: { workerId: string }) => submission.workerId)).toEqual([copier.id]);
    const read = (await service.get(`/v1/tasks/${task.taskId}?minPosition=${last}`, copier).expect(200)).body;
    expect(read.submissions.map((submission: { workerId: string }) => submission.workerId)).toEqual([copier.id]);
    expect(read).toMatchObject({ pending: 2, openSlots: 1 });
    expect((await service.get(`/v1/tasks/${task.taskId}/history`, copier).expect(403)).body.code).toBe('NOT_A_PARTY');
    const whole = (await service.get(`/v1/tasks/${task.taskId}?minPosition=${last}`, task.client).expect(200)).body;
    expect(whole.submissions.map((submission: { workerId: string }) => submission.workerId)).toEqual([honest.id, copier.id]);
    await service.get(`/v1/tasks/${task.taskId}/history`, task.client).expect(200);
    await service.get(`/v1/tasks/${task.taskId}/history`, support).expect(200);
  });
  it('hourly: hours beyond the escrow or their period, or not yet worked, are refused; a report is recorded once', async () => {
    service.clock.set(new Date('2027-05-31T08:00:00+09:00'));
    const client = user(uniqueId('c'));
    const worker = user(uniqueId('w'));
    const id = note(await service.post('/v1/hourly-contracts', client, { clientId: client.id, workerId: worker.id, title: 'x', hourlyRate: 5_000, weeklyLimitHours: 10 }).expect(201)).body.contractId;
    note(await service.post(`/v1/hourly-contracts/${id}/accept`, worker, {}).expect(200));
    // ¥11,000 pays two hours of ¥5,500 gross; a third is beyond the escrow.
    note(await service.post(`/v1/hourly-contracts/${id}/prepay`, client, { paymentReference: uniqueId('p'), method: 'card', amount: 11_000 }).expect(200));
    service.clock.set(new Date('2027-06-02T12:00:00+09:00'));
    const report = (reportId: string, from: string, to: string, minutes: number) =>
      service.post(`/v1/hourly-contracts/${id}/hours`, worker, { reportId, weekStart: '2027-05-31', periodStart: `2027-06-01T${from}:00+09:00`, periodEnd: `2027-06-01T${to}:00+09:00`, minutes });
    note(await report('r1', '09:00', '11:00', 120).expect(200));
    expect((await report('r1', '09:00', '11:00', 120)).body.code).toBe('REPORT_ALREADY_RECORDED');
    expect((await report('r2', '12:00', '13:00', 60)).body.code).toBe('ESCROW_INSUFFICIENT');
    expect((await report('r3', '12:00', '13:00', 61)).status).toBe(400);
    const overPeriod = await report('r4', '12:00', '13:00', 90);
    expect([overPeriod.status, overPeriod.body.errors[0].field]).toEqual([400, 'minutes']);
    const future = await service.post(`/v1/hourly-contracts/${id}/hours`, worker, { reportId: 'r5', weekStart: '2027-05-31', periodStart: '2027-06-04T09:00:00+09:00', periodEnd: '2027-06-04T10:00:00+09:00', minutes: 60 });
    expect(future.status).toBe(409);
    const view = (await service.get(`/v1/hourly-contracts/${id}?minPosition=${last}`).expect(200)).body;
    expect(view.weeks[0]).toMatchObject({ recordedMinutes: 120 });
    await checksPass();
  });
});
