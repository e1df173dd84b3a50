import { TestService } from './harness';
import { clientWithRefund, gateway, QueueItem, registerBankAccount, requestWithdrawal, reviewQueue, support, uniqueId, user, walletOf } from './wallets.fixtures';

interface AnsweredQueueItem extends QueueItem {
  infoRequests: number;
  lastInfoRequestedAt: string | null;
  infoProvidedAt: string | null;
  infoAnswer: string | null;
}

describe('the owner answering a review’s request for information over HTTP', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  async function inReview() {
    const { accountId } = await clientWithRefund(service, 10_000);
    const bank = await registerBankAccount(service, accountId);
    const withdrawal = await requestWithdrawal(service, accountId, bank, 5_000);
    expect(withdrawal.status).toBe('in_review');
    return { accountId, withdrawalId: withdrawal.withdrawalId };
  }

  const queued = async (withdrawalId: string, minPosition: number) =>
    ((await reviewQueue(service, minPosition)) as AnsweredQueueItem[]).find((item) => item.withdrawalId === withdrawalId);

  it('records the answer once per request, shows it in the review queue, and support then decides as before', async () => {
    const { accountId, withdrawalId } = await inReview();
    const owner = user(accountId);
    const unasked = await service.post(`/v1/withdrawals/${withdrawalId}/provide-info`, owner, { answer: 'Nothing yet' }).expect(409);
    expect(unasked.body).toMatchObject({ code: 'WITHDRAWAL_INFO_NOT_REQUESTED' });

    const asked = await service.post(`/v1/withdrawals/${withdrawalId}/request-info`, support, { reason: 'Send the delivery messages' }).expect(200);
    const askedItem = await queued(withdrawalId, asked.body.position);
    expect(askedItem).toMatchObject({ infoRequests: 1, infoProvidedAt: null, infoAnswer: null });

    const answer = 'Delivered in the project chat on 8 April';
    const key = { 'Idempotency-Key': uniqueId('answer') };
    const answered = await service.post(`/v1/withdrawals/${withdrawalId}/provide-info`, owner, { answer }, key).expect(200);
    expect(answered.body).toMatchObject({ withdrawalId, status: 'in_review', available: 6_000 });
    const replayed = await service.post(`/v1/withdrawals/${withdrawalId}/provide-info`, owner, { answer }, key).expect(200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.position).toBe(answered.body.position);

    const item = await queued(withdrawalId, answered.body.position);
    expect(item).toMatchObject({ infoRequests: 1, lastInfoRequestedAt: askedItem!.lastInfoRequestedAt, infoAnswer: answer });
    expect(Date.parse(item!.infoProvidedAt!)).toBeGreaterThanOrEqual(Date.parse(item!.lastInfoRequestedAt!));

    const twice = await service.post(`/v1/withdrawals/${withdrawalId}/provide-info`, owner, { answer: 'One more thing' }).expect(409);
    expect(twice.body).toMatchObject({ code: 'WITHDRAWAL_INFO_ALREADY_PROVIDED' });
    expect((await queued(withdrawalId, answered.body.position))!.infoAnswer).toBe(answer);

    const approved = await service.post(`/v1/withdrawals/${withdrawalId}/approve`, support, { reason: 'Messages checked' }).expect(200);
    expect(approved.body.status).toBe('scheduled');
    expect(await queued(withdrawalId, approved.body.position)).toBeUndefined();
    const late = await service.post(`/v1/withdrawals/${withdrawalId}/provide-info`, owner, { answer: 'Late' }).expect(409);
    expect(late.body).toMatchObject({ code: 'WITHDRAWAL_NOT_IN_REVIEW' });
    const paid = await service.post(`/v1/withdrawals/${withdrawalId}/paid`, gateway, {}).expect(200);
    expect(await walletOf(service, accountId, paid.body.position)).toMatchObject({ available: 6_000, pending: 0, paidOut: 5_000 });
    expect((await service.get(`/v1/ledger/checks?minPosition=${paid.body.position}`).expect(200)).body).toMatchObject({ passed: true });
  });

  it('is the owner’s alone, and refuses an answer that is missing, blank, too long or holds control characters, naming the field', async () => {
    const { accountId, withdrawalId } = await inReview();
    await service.post(`/v1/withdrawals/${withdrawalId}/request-info`, support, { reason: 'Send the delivery messages' }).expect(200);
    const stranger = await service.post(`/v1/withdrawals/${withdrawalId}/provide-info`, user(uniqueId('someone')), { answer: 'Me' }).expect(403);
    expect(stranger.body.code).toBe('ACTOR_NOT_ALLOWED');
    const bySupport = await service.post(`/v1/withdrawals/${withdrawalId}/provide-info`, support, { answer: 'For them' }).expect(403);
    expect(bySupport.body.code).toBe('ACTOR_NOT_ALLOWED');
    for (const body of [{}, { answer: '' }, { answer: '   ' }, { answer: 'x'.repeat(2001) }, { answer: 'bell \u0007' }, { answer: 42 }]) {
      const refused = await service.post(`/v1/withdrawals/${withdrawalId}/provide-info`, user(accountId), body).expect(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      expect(new Set(refused.body.errors.map((error: { field: string }) => error.field))).toEqual(new Set(['answer']));
    }
    const unknown = await service.post(`/v1/withdrawals/${uniqueId('w')}/provide-info`, user(accountId), { answer: 'x' }).expect(404);
    expect(unknown.body.code).toBe('WITHDRAWAL_NOT_FOUND');
    const item = (await reviewQueue(service)) as AnsweredQueueItem[];
    expect(item.find((entry) => entry.withdrawalId === withdrawalId)).toMatchObject({ infoProvidedAt: null, infoAnswer: null });
  });
});
