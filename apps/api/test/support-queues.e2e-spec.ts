import type { Response } from 'supertest';
import { SUPPORT_INSPECTION_GRACE_MS } from '@escrow/domain/contract';
import { World } from './access/route-cases';
import { Actor, TestService } from './harness';
import { clientWithRefund, contractBetween, registerBankAccount, reportIdentity, requestWithdrawal, TestContract, uniqueId, user } from './wallets.fixtures';

const START = '2026-12-01T00:00:00.000Z';
const FILE = { uri: 'https://files.example.com/part.zip' };
const support: Actor = { id: 'support-queues', role: 'support' };
const system: Actor = { id: 'operations', role: 'system' };
const DAY_MS = 86_400_000;

interface QueuePage {
  total: number;
  data: Record<string, unknown>[];
  nextCursor: string | null;
}
interface QueuesBody {
  asOf: string;
  queues: Record<string, QueuePage>;
}

const milestonePath = (contract: TestContract, i = 0) => `/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[i]}`;
const fieldsAndRules = (res: Response) => (res.body.errors as { field: string; rule: string }[]).map((error) => `${error.field}:${error.rule}`);

describe('GET /v1/support/queues', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ clock: START });
  });
  afterAll(() => service.stop());

  const queues = async (query: string, minPosition: number, actor: Actor = support): Promise<QueuesBody> =>
    (await service.get(`/v1/support/queues?minPosition=${minPosition}${query}`, actor).expect(200)).body as QueuesBody;
  const queue = async (name: string, minPosition: number) => (await queues(`&queue=${name}`, minPosition)).queues[name];

  it('walks a delivery into the silent queue after 7 days and out on support inspection, a reminder pending then decided, terminations and an overdue milestone', async () => {
    // A delivery the client leaves uninspected, with a contact reminder of the worker's.
    const silent = await contractBetween(service, uniqueId('client'), uniqueId('worker'));
    const delivered = (await service.post(`${milestonePath(silent)}/deliver`, silent.worker, { deliverables: [FILE] }).expect(200)).body;
    const reminded = (await service.post(`/v1/contracts/${silent.contractId}/contact-reminders`, silent.worker, { message: 'No word for days' }).expect(201)).body;

    // Two termination requests left unanswered.
    const ending = await contractBetween(service, uniqueId('client'), uniqueId('worker'));
    await service.post(`/v1/contracts/${ending.contractId}/termination`, ending.client, { reason: 'Budget cut' }).expect(200);
    const endingToo = await contractBetween(service, uniqueId('client'), uniqueId('worker'));
    await service.post(`/v1/contracts/${endingToo.contractId}/termination`, endingToo.worker, { reason: 'Ill' }).expect(200);

    // A milestone due on 5 December, never delivered.
    const clientId = uniqueId('client');
    const offered = (
      await service
        .post('/v1/contracts', user(clientId), {
          clientId,
          workerId: uniqueId('worker'),
          title: 'Logo',
          milestones: [{ title: 'Sketches', amount: 20_000, dueDate: '2026-12-05' }],
        })
        .expect(201)
    ).body;
    const accepted = (await service.post(`/v1/contracts/${offered.contractId}/accept`, user(offered.workerId)).expect(200)).body;

    const before = await queues('', accepted.position);
    expect(Object.keys(before.queues)).toEqual([
      'silentDeliveries',
      'contactReminders',
      'withdrawalReviews',
      'unansweredTerminations',
      'parkedEvents',
      'overdueMilestones',
    ]);
    expect(Date.parse(before.asOf) - Date.parse(START)).toBeLessThan(60_000);
    expect(before.queues.silentDeliveries).toEqual({ total: 0, data: [], nextCursor: null });
    expect(before.queues.overdueMilestones).toEqual({ total: 0, data: [], nextCursor: null });
    expect(before.queues.contactReminders).toMatchObject({
      total: 1,
      data: [
        {
          contractId: silent.contractId,
          reminderId: reminded.contactReminders[0].reminderId,
          requestedBy: { party: 'worker', id: silent.worker.id },
          counterparty: { party: 'client', id: silent.client.id },
          message: 'No word for days',
        },
      ],
    });
    const terminations = before.queues.unansweredTerminations;
    expect(terminations.total).toBe(2);
    expect(terminations.data[0]).toMatchObject({
      contractId: ending.contractId,
      clientId: ending.client.id,
      workerId: ending.worker.id,
      requestedBy: { party: 'client', id: ending.client.id },
      reason: 'Budget cut',
      completesAt: null,
    });

    // One termination a page: the cursor pages on through that queue.
    const firstPage = (await queues('&queue=unansweredTerminations&limit=1', 0)).queues.unansweredTerminations;
    expect(firstPage.data.map((row) => row.contractId)).toEqual([ending.contractId]);
    expect(firstPage.nextCursor).not.toBeNull();
    const secondPage = (await queues(`&queue=unansweredTerminations&limit=1&cursor=${firstPage.nextCursor}`, 0)).queues.unansweredTerminations;
    expect(secondPage).toMatchObject({ total: 2, nextCursor: null, data: [{ contractId: endingToo.contractId, requestedBy: { party: 'worker' } }] });

    service.clock.advance('P8D');

    const silentQueue = await queue('silentDeliveries', 0);
    // The harness clock runs on from where it was set: the delivery was made moments after it.
    const deliveredAt = silentQueue.data[0]?.deliveredAt as string;
    expect(Date.parse(deliveredAt) - Date.parse(START)).toBeLessThan(60_000);
    expect(silentQueue).toEqual({
      total: 1,
      nextCursor: null,
      data: [
        {
          contractId: silent.contractId,
          milestoneId: silent.milestoneIds[0],
          clientId: silent.client.id,
          workerId: silent.worker.id,
          inEscrow: silent.grosses[0],
          deliveryNumber: 1,
          deliveredAt,
          deliveredPosition: delivered.position,
          daysSilent: 8,
          inspectableFrom: new Date(Date.parse(deliveredAt) + SUPPORT_INSPECTION_GRACE_MS).toISOString(),
        },
      ],
    });
    expect(await queue('overdueMilestones', 0)).toEqual({
      total: 1,
      nextCursor: null,
      data: [
        {
          contractId: offered.contractId,
          milestoneId: offered.milestones[0].milestoneId,
          clientId,
          workerId: offered.workerId,
          dueDate: '2026-12-05',
          // 9 December in Tokyo: four days after the 5th ended.
          daysOverdue: 4,
          inEscrow: 0,
          listedPosition: accepted.position,
          listedIndex: 0,
        },
      ],
    });
    expect((await queue('contactReminders', 0)).data[0].ageSeconds).toBeGreaterThanOrEqual((8 * DAY_MS) / 1000);

    const inspected = await service.post(`${milestonePath(silent)}/inspect`, support, { reason: 'Client silent for 8 days' }).expect(200);
    expect(await queue('silentDeliveries', inspected.body.position)).toEqual({ total: 0, data: [], nextCursor: null });

    const reminderId = reminded.contactReminders[0].reminderId as string;
    const decided = await service.post(`/v1/contracts/${silent.contractId}/contact-reminders/${reminderId}/approve`, support, {}).expect(200);
    expect(await queue('contactReminders', decided.body.position)).toEqual({ total: 0, data: [], nextCursor: null });
  });

  it('lists a withdrawal in review with its age, whether information was asked for and the owner\'s answer, until it is approved', async () => {
    const { accountId } = await clientWithRefund(service, 10_000);
    await reportIdentity(service, accountId, 'submitted');
    const bankAccountId = await registerBankAccount(service, accountId);
    const withdrawal = await requestWithdrawal(service, accountId, bankAccountId, 5_000);
    expect(withdrawal.status).toBe('in_review');

    const reviewed = async (minPosition: number) =>
      (await queue('withdrawalReviews', minPosition)).data.filter((row) => row.withdrawalId === withdrawal.withdrawalId);
    const [listed] = await reviewed(withdrawal.position);
    expect(listed).toMatchObject({ accountId, amount: 5_000, reasons: ['IDENTITY_NOT_VERIFIED'], infoRequests: 0, infoRequested: false, awaitingOwner: false });

    const asked = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/request-info`, support, { reason: 'Send your ID' }).expect(200);
    expect((await reviewed(asked.body.position))[0]).toMatchObject({ infoRequests: 1, infoRequested: true, awaitingOwner: true, infoProvidedAt: null });
    const answer = 'My licence was uploaded on Monday';
    const answered = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/provide-info`, user(accountId), { answer }).expect(200);
    expect((await reviewed(answered.body.position))[0]).toMatchObject({ infoRequested: true, awaitingOwner: false, infoAnswer: answer });
    const approved = await service.post(`/v1/withdrawals/${withdrawal.withdrawalId}/approve`, support, { reason: 'ID checked' }).expect(200);
    expect(await reviewed(approved.body.position)).toEqual([]);
  });

  it('lists an event a background process parked, with the processor, the position and the error', async () => {
    const parkedId = await new World(service).parkedEvent();
    const parked = await queue('parkedEvents', 0);
    expect(parked.total).toBe(1);
    expect(parked.data).toEqual([
      expect.objectContaining({
        parkedId,
        reactor: 'wallet-credits',
        status: 'parked',
        event: expect.objectContaining({ type: 'MilestonePaidOut', position: expect.any(Number) }),
        error: { code: expect.any(String), message: expect.any(String) },
      }),
    ]);
  });

  it('answers support, system and auditors; refuses a user with 403', async () => {
    for (const reader of [support, system, { id: 'auditor-queues', role: 'auditor' } as Actor]) {
      await service.get('/v1/support/queues?queue=parkedEvents', reader).expect(200);
    }
    const refused = await service.get('/v1/support/queues', user(uniqueId('client'))).expect(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses an unknown queue, a bad limit, a foreign cursor and a cursor without its queue, naming each', async () => {
    const refused = async (query: string) => {
      const res = await service.get(`/v1/support/queues?${query}`, support).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      return fieldsAndRules(res);
    };
    expect(await refused('queue=everything')).toEqual(['queue:isIn']);
    expect(await refused('limit=501')).toEqual(['limit:max']);
    expect(await refused('queue=silentDeliveries&limit=0')).toEqual(['limit:min']);
    expect(await refused('queue=overdueMilestones&cursor=not-a-cursor')).toEqual(['cursor:cursor']);

    const second = await contractBetween(service, uniqueId('client'), uniqueId('worker'));
    await service.post(`/v1/contracts/${second.contractId}/termination`, second.client, { reason: 'Moved on' }).expect(200);
    const page = (await service.get('/v1/support/queues?queue=unansweredTerminations&limit=1', support).expect(200)).body as QueuesBody;
    const cursor = page.queues.unansweredTerminations.nextCursor!;
    expect(cursor).not.toBeNull();
    expect(await refused(`queue=contactReminders&cursor=${cursor}`)).toEqual(['cursor:cursor']);
    expect(await refused(`cursor=${cursor}`)).toEqual(['cursor:requiresQueue']);
    expect(await refused('queue=parkedEvents&status=parked')).toEqual(['status:unknownField']);
  });
});

describe('GET /v1/support/queues with TERMINATION_AUTO_COMPLETE_AFTER=P7D', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ env: { TERMINATION_AUTO_COMPLETE_AFTER: 'P7D' }, clock: START });
  });
  afterAll(() => service.stop());

  it('says when an unanswered termination completes by itself', async () => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'));
    const requested = await service.post(`/v1/contracts/${contract.contractId}/termination`, contract.worker, { reason: 'Ill' }).expect(200);
    const body = (await service.get(`/v1/support/queues?queue=unansweredTerminations&minPosition=${requested.body.position}`, support).expect(200)).body as QueuesBody;
    const [request] = body.queues.unansweredTerminations.data as { requestedAt: string; completesAt: string }[];
    expect(request.completesAt).toBe(new Date(Date.parse(request.requestedAt) + 7 * DAY_MS).toISOString());
  });
});
