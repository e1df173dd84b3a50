import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { paymentReferenceStreamId } from '../src/payments/payment-references';
import { client, offerContract, TestService, worker } from './harness';

/** A gateway payment funds one milestone only, and a refused prepayment never uses its payment up. */
describe('payment references under racing prepayments', () => {
  let service: TestService;
  let store: EventStore;
  beforeAll(async () => {
    service = await TestService.start();
    store = service.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(() => service.stop());

  const TWO = [
    { title: 'First', amount: 10000, dueDate: '2026-12-31' },
    { title: 'Second', amount: 10000, dueDate: '2027-01-31' },
  ];

  async function activeContract() {
    const offered = await offerContract(service, TWO);
    await service.post(`/v1/contracts/${offered.contractId}/accept`, worker).expect(200);
    return { contractId: offered.contractId, milestoneIds: offered.milestones.map((m) => m.milestoneId) };
  }

  const prepay = (contractId: string, milestoneId: string, paymentReference: string) =>
    service.post(`/v1/contracts/${contractId}/milestones/${milestoneId}/prepay`, client, { paymentReference, method: 'card' });

  const eventTypes = async (streamId: string) => (await store.readStream(streamId)).map((event) => event.type);

  it('of two prepayments racing on one milestone with different payments, exactly one funds; the other payment funds another milestone', async () => {
    for (let round = 0; round < 30; round++) {
      const { contractId, milestoneIds } = await activeContract();
      const references = [`race-${contractId}-a`, `race-${contractId}-b`];
      const results = await Promise.all(references.map((reference) => prepay(contractId, milestoneIds[0], reference)));

      const winners = results.filter((res) => res.status === 200);
      expect(winners).toHaveLength(1);
      const loser = results.findIndex((res) => res.status !== 200);
      expect(results[loser].status).toBe(409);
      expect(results[loser].body.code).toBe('MILESTONE_ALREADY_FUNDED');
      const losingReference = references[loser];

      // The refused prepayment appended nothing to the contract; its claim, if it made one, is released.
      const history = (await service.get(`/v1/contracts/${contractId}/history`).expect(200)).body;
      expect(history.events.filter((e: { type: string }) => e.type === 'EscrowFunded')).toHaveLength(1);
      const losingStream = await eventTypes(paymentReferenceStreamId(losingReference));
      expect([[], ['PaymentReferenceClaimed', 'PaymentReferenceReleased']]).toContainEqual(losingStream);
      expect(await eventTypes(paymentReferenceStreamId(references[1 - loser]))).toEqual(['PaymentReferenceClaimed']);

      await prepay(contractId, milestoneIds[1], losingReference).expect(200);
    }
  });

  it('a payment that funded one milestone cannot fund a second, in the same or another contract', async () => {
    const first = await activeContract();
    await prepay(first.contractId, first.milestoneIds[0], 'gw-used-once').expect(200);
    const second = await activeContract();
    for (const [contractId, milestoneId] of [
      [first.contractId, first.milestoneIds[1]],
      [second.contractId, second.milestoneIds[0]],
    ]) {
      const before = (await service.get(`/v1/contracts/${contractId}`).expect(200)).body.revision;
      const refused = await prepay(contractId, milestoneId, 'gw-used-once').expect(409);
      expect(refused.body.code).toBe('PAYMENT_REFERENCE_ALREADY_USED');
      expect((await service.get(`/v1/contracts/${contractId}`).expect(200)).body.revision).toBe(before);
    }
    expect(await eventTypes(paymentReferenceStreamId('gw-used-once'))).toEqual(['PaymentReferenceClaimed']);
  });

  it('one payment racing to fund two milestones of two contracts funds exactly one, and stays claimed by it', async () => {
    for (let round = 0; round < 10; round++) {
      const contracts = [await activeContract(), await activeContract()];
      const reference = `gw-shared-${contracts[0].contractId}`;
      const results = await Promise.all(contracts.map((contract) => prepay(contract.contractId, contract.milestoneIds[0], reference)));

      expect(results.filter((res) => res.status === 200)).toHaveLength(1);
      const loser = results.findIndex((res) => res.status !== 200);
      expect(results[loser].status).toBe(409);
      expect(results[loser].body.code).toBe('PAYMENT_REFERENCE_ALREADY_USED');
      const losingHistory = (await service.get(`/v1/contracts/${contracts[loser].contractId}/history`).expect(200)).body;
      expect(losingHistory.events.map((e: { type: string }) => e.type)).toEqual(['ContractOffered', 'ContractAccepted']);

      // The winner's claim survives the loser's refusal: the payment still funds nothing else.
      expect(await eventTypes(paymentReferenceStreamId(reference))).toEqual(['PaymentReferenceClaimed']);
      const third = await activeContract();
      const again = await prepay(third.contractId, third.milestoneIds[0], reference).expect(409);
      expect(again.body.code).toBe('PAYMENT_REFERENCE_ALREADY_USED');
    }
  });

  it('a retry of a funded prepayment with the same payment answers from the contract and keeps the claim', async () => {
    const { contractId, milestoneIds } = await activeContract();
    await prepay(contractId, milestoneIds[0], 'gw-retried').expect(200);
    const again = await prepay(contractId, milestoneIds[0], 'gw-retried').expect(409);
    expect(again.body.code).toBe('MILESTONE_ALREADY_FUNDED');
    expect(await eventTypes(paymentReferenceStreamId('gw-retried'))).toEqual(['PaymentReferenceClaimed']);
  });
});
