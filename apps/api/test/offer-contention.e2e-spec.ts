import { TestService } from './harness';
import { uniqueId, user } from './wallets.fixtures';

const offerTo = (clientId: string, workerId: string, title: string) => ({
  clientId,
  workerId,
  title,
  milestones: [{ title: 'Part 1', amount: 1_000, dueDate: '2026-12-31' }],
});

describe('offers to one worker from many clients at once', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('never contend for the worker’s index: a flood of offers takes no honest offer down with it', async () => {
    const workerId = uniqueId('worker');
    const spammer = user(uniqueId('spammer'));
    const honest = Array.from({ length: 10 }, () => user(uniqueId('client')));
    const flood = Array.from({ length: 150 }, (_, i) => service.post('/v1/contracts', spammer, offerTo(spammer.id, workerId, `Spam ${i}`)));
    const offers = honest.map((client, i) => service.post('/v1/contracts', client, offerTo(client.id, workerId, `Honest ${i}`)));
    const answers = await Promise.all([...flood, ...offers]);
    expect(answers.map((answer) => answer.status)).toEqual(Array(160).fill(201));
    const honestIds = answers.slice(150).map((answer) => answer.body.contractId as string);
    const listed = await service.get(`/v1/workers/${workerId}/contracts?limit=500&minPosition=${Math.max(...answers.map((a) => a.body.position as number))}`).expect(200);
    expect(listed.body.data.map((c: { contractId: string }) => c.contractId)).toEqual(expect.arrayContaining(honestIds));
    // Each offer is still open for the worker to answer, so it still holds the worker's closure (the rule of closure).
    const eligibility = await service.get(`/v1/accounts/${workerId}/closure-eligibility`).expect(200);
    expect(eligibility.body.reasons).toContain('OPEN_CONTRACT_AS_WORKER');
  });
});
