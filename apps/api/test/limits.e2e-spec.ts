import {
  MAX_DELIVERABLES,
  MAX_GATEWAY_REFERENCE_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_MILESTONE_AMOUNT,
  MAX_REASON_LENGTH,
} from '@escrow/domain/shared/limits';
import { client, fundedContract, offerContract, TestService, worker } from './harness';

/** The HTTP layer refuses a value beyond a domain limit with 400 naming the field and the rule, and accepts the limit itself. */
describe('limits at the HTTP edge', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  const file = (index: number) => ({ uri: `https://files.example.com/${index}.zip` });
  const refusal = (res: { body: { errors: { field: string; rule: string }[] } }) => res.body.errors.map((error) => `${error.field}:${error.rule}`);

  it('reasons: MAX_REASON_LENGTH characters pass, one more is refused under maxLength', async () => {
    const { contractId } = await fundedContract(service);
    const tooLong = await service.post(`/v1/contracts/${contractId}/termination`, client, { reason: 'x'.repeat(MAX_REASON_LENGTH + 1) }).expect(400);
    expect(refusal(tooLong)).toEqual(['reason:maxLength']);
    await service.post(`/v1/contracts/${contractId}/termination`, client, { reason: 'x'.repeat(MAX_REASON_LENGTH) }).expect(200);
  });

  it('payment references: MAX_GATEWAY_REFERENCE_LENGTH characters pass, one more is refused', async () => {
    const { contractId, milestones } = await offerContract(service);
    await service.post(`/v1/contracts/${contractId}/accept`, worker).expect(200);
    const prepay = (paymentReference: string) =>
      service.post(`/v1/contracts/${contractId}/milestones/${milestones[0].milestoneId}/prepay`, client, { paymentReference, method: 'card' });
    expect(refusal(await prepay(`${contractId}-`.padEnd(MAX_GATEWAY_REFERENCE_LENGTH + 1, 'r')).expect(400))).toEqual(['paymentReference:maxLength']);
    await prepay(`${contractId}-`.padEnd(MAX_GATEWAY_REFERENCE_LENGTH, 'r')).expect(200);
  });

  it('deliverables: MAX_DELIVERABLES pass, one more is refused under arrayMaxSize; an upper-case SHA-256 is accepted and recorded in lower case', async () => {
    const { contractId, milestones } = await fundedContract(service);
    const deliver = (body: object) => service.post(`/v1/contracts/${contractId}/milestones/${milestones[0].milestoneId}/deliver`, worker, body);
    const tooMany = await deliver({ deliverables: Array.from({ length: MAX_DELIVERABLES + 1 }, (_, i) => file(i)) }).expect(400);
    expect(refusal(tooMany)).toEqual(['deliverables:arrayMaxSize']);
    const files = [{ ...file(0), sha256: 'ABCDEF01'.repeat(8) }, ...Array.from({ length: MAX_DELIVERABLES - 1 }, (_, i) => file(i + 1))];
    const delivered = await deliver({ deliverables: files, message: 'x'.repeat(MAX_MESSAGE_LENGTH) }).expect(200);

    const feed = await service.get(`/v1/audit/events?after=${delivered.body.position - 1}&limit=1`).expect(200);
    const [event] = feed.body.data as { type: string; data: { deliverables: { sha256?: string }[] } }[];
    expect(event.type).toBe('MilestoneDelivered');
    expect(event.data.deliverables).toHaveLength(MAX_DELIVERABLES);
    expect(event.data.deliverables[0].sha256).toBe('abcdef01'.repeat(8));
  });

  it('messages of a contact reminder: MAX_MESSAGE_LENGTH characters pass, one more is refused', async () => {
    const { contractId } = await fundedContract(service);
    const remind = (message: string) => service.post(`/v1/contracts/${contractId}/contact-reminders`, client, { message });
    expect(refusal(await remind('x'.repeat(MAX_MESSAGE_LENGTH + 1)).expect(400))).toEqual(['message:maxLength']);
    await remind('x'.repeat(MAX_MESSAGE_LENGTH)).expect(201);
  });

  it('milestone amounts: MAX_MILESTONE_AMOUNT passes, one yen more is refused under max', async () => {
    const offer = (amount: number) =>
      service.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Large', milestones: [{ title: 'm', amount, dueDate: '2027-01-31' }] });
    expect(refusal(await offer(MAX_MILESTONE_AMOUNT + 1).expect(400))).toEqual(['milestones[0].amount:max']);
    await offer(MAX_MILESTONE_AMOUNT).expect(201);
  });
});
