import type { ContractCommand } from '@escrow/domain/contract';
import { contractStreamId } from '@escrow/domain/contract';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { EventStoreUnavailableError, type EventStore, type EventToAppend, type ExpectedRevision } from '@escrow/event-store/port';
import { AccountIndexes } from '../accounts/account-indexes';
import { CommandExecutor } from '../commands/command-executor';
import type { CommandContext } from '../http/command-context';
import { PaymentReferences, paymentReferenceStreamId } from '../payments/payment-references';
import { ExecuteContractCommandHandler } from './contract-commands';

/**
 * Refusals that come from the contract stream having moved (a stale If-Match, contention) release the payment's
 * claim like a decider's refusal does, and a twin prepayment of the same milestone keeps the claim it shares.
 */

const CLIENT = { id: 'client-1', role: 'user' as const };
const WORKER = { id: 'worker-1', role: 'user' as const };
const CONTRACT = 'c-1';
const AT = '2026-11-25T00:00:00.000Z';
const context = (requestId: string): CommandContext => ({
  actor: CLIENT,
  callingService: 'job-board',
  requestHash: requestId,
  correlationId: requestId,
  requestId,
  at: AT,
});
const fund = (contractId: string, milestoneId: string, paymentReference: string): ContractCommand => ({
  type: 'FundMilestone',
  contractId,
  actor: CLIENT,
  at: AT,
  milestoneId,
  paymentReference,
  method: 'card',
});
const handlerOn = (store: EventStore) => {
  const ex = new CommandExecutor(store);
  return new ExecuteContractCommandHandler(ex, new PaymentReferences(ex), new AccountIndexes(ex));
};

/** Contracts offered and accepted, each with milestones m1 and m2, through a handler that interferes with nothing. */
async function acceptedContracts(store: EventStore, contractIds: readonly string[]): Promise<void> {
  const plain = handlerOn(store);
  const milestones = ['m1', 'm2'].map((milestoneId) => ({ milestoneId, title: milestoneId, amount: 10_000, dueDate: '2026-12-31' }));
  for (const id of contractIds) {
    await plain.execute({
      command: {
        type: 'OfferContract',
        contractId: id,
        actor: CLIENT,
        at: AT,
        clientId: CLIENT.id,
        workerId: WORKER.id,
        title: 'Site',
        milestones,
      },
      context: context(`offer-${id}`),
    });
    await plain.execute({
      command: { type: 'AcceptOffer', contractId: id, actor: WORKER, at: AT },
      context: { ...context(`accept-${id}`), actor: WORKER },
    });
  }
}

describe('a prepayment refused by a stale If-Match after its claim', () => {
  it('releases the claim, so the payment can fund another milestone', async () => {
    const memory = new InMemoryEventStore();
    let pending: ((s: EventStore) => Promise<void>) | undefined;
    const wrapped: EventStore = Object.create(memory) as EventStore;
    wrapped.append = async (streamId: string, events: EventToAppend[], expected: ExpectedRevision) => {
      if (streamId === contractStreamId(CONTRACT) && pending) {
        const run = pending;
        pending = undefined;
        await run(memory);
      }
      return memory.append(streamId, events, expected);
    };
    const handler = handlerOn(wrapped);
    const competitor = handlerOn(memory);
    await acceptedContracts(memory, [CONTRACT, 'c-2']);
    // Between the claim and the append, another prepayment (other milestone, other payment) lands on the contract.
    pending = async () => {
      await competitor.execute({ command: fund(CONTRACT, 'm2', 'pay-other'), context: context('other') });
    };
    await expect(
      handler.execute({ command: fund(CONTRACT, 'm1', 'pay-stale'), context: { ...context('stale'), ifMatch: 1 } }),
    ).rejects.toMatchObject({ code: 'STALE_REVISION' });
    const contract = (await memory.readStream(contractStreamId(CONTRACT))).map((e) => e.type);
    expect(contract.filter((t) => t === 'EscrowFunded')).toHaveLength(1); // only m2: pay-stale funded nothing
    const refEvents = (await memory.readStream(paymentReferenceStreamId('pay-stale'))).map((e) => e.type);
    // The payment funded nothing: it funds a milestone of another contract.
    await expect(competitor.execute({ command: fund('c-2', 'm1', 'pay-stale'), context: context('elsewhere') })).resolves.toBeDefined();
    expect(refEvents).toEqual(['PaymentReferenceClaimed', 'PaymentReferenceReleased']);
  });
});

describe('twin prepayments of one milestone with one payment, one refused by a stale If-Match', () => {
  it('never leave the payment free while it funds the milestone', async () => {
    const memory = new InMemoryEventStore();
    const plain = handlerOn(memory);
    await acceptedContracts(memory, ['c-1', 'c-2']);
    // A: held just before its contract append until B has finished.
    let releaseA!: () => void;
    const aGate = new Promise<void>((r) => (releaseA = r));
    let aReachedAppend!: () => void;
    const aAtAppend = new Promise<void>((r) => (aReachedAppend = r));
    const aStore: EventStore = Object.create(memory) as EventStore;
    aStore.append = async (s: string, e: EventToAppend[], x: ExpectedRevision) => {
      if (s === contractStreamId('c-1')) {
        aReachedAppend();
        await aGate;
      }
      return memory.append(s, e, x);
    };
    const a = handlerOn(aStore);
    // B: before its contract append, another funding lands (m2) and A decides and claims.
    let once = true;
    let aDone!: Promise<unknown>;
    const bStore: EventStore = Object.create(memory) as EventStore;
    bStore.append = async (s: string, e: EventToAppend[], x: ExpectedRevision) => {
      if (s === contractStreamId('c-1') && once) {
        once = false;
        await plain.execute({ command: fund('c-1', 'm2', 'pay-other'), context: context('other') });
        aDone = a.execute({ command: fund('c-1', 'm1', 'pay-R'), context: context('A') });
        await aAtAppend;
      }
      return memory.append(s, e, x);
    };
    const b = handlerOn(bStore);
    await expect(b.execute({ command: fund('c-1', 'm1', 'pay-R'), context: { ...context('B'), ifMatch: 1 } })).rejects.toMatchObject({
      code: 'STALE_REVISION',
    });
    releaseA();
    await aDone;
    const funded = (await memory.readStream(contractStreamId('c-1')))
      .filter((e) => e.type === 'EscrowFunded')
      .map((e) => (e.data as { paymentReference: string }).paymentReference);
    expect(funded).toContain('pay-R');
    // pay-R funds c-1/m1; it must not fund anything else.
    await expect(plain.execute({ command: fund('c-2', 'm1', 'pay-R'), context: context('second-use') })).rejects.toMatchObject({
      code: 'PAYMENT_REFERENCE_ALREADY_USED',
    });
  });
});

describe('a release that meets a store briefly unavailable', () => {
  it('is tried again, so the refused prepayment still frees its payment', async () => {
    const memory = new InMemoryEventStore();
    let beforeContract: (() => Promise<void>) | undefined;
    let failRelease = true;
    const wrapped: EventStore = Object.create(memory) as EventStore;
    wrapped.append = async (streamId: string, events: EventToAppend[], expected: ExpectedRevision) => {
      if (streamId === contractStreamId(CONTRACT) && beforeContract) {
        const run = beforeContract;
        beforeContract = undefined;
        await run();
      }
      if (streamId === paymentReferenceStreamId('pay-loser') && events[0].type === 'PaymentReferenceReleased' && failRelease) {
        failRelease = false;
        throw new EventStoreUnavailableError('the store is briefly unavailable');
      }
      return memory.append(streamId, events, expected);
    };
    const handler = handlerOn(wrapped);
    const competitor = handlerOn(memory);
    await acceptedContracts(memory, [CONTRACT]);
    beforeContract = async () => {
      await competitor.execute({ command: fund(CONTRACT, 'm1', 'pay-winner'), context: context('winner') });
    };
    await expect(handler.execute({ command: fund(CONTRACT, 'm1', 'pay-loser'), context: context('loser') })).rejects.toMatchObject({
      code: 'MILESTONE_ALREADY_FUNDED',
    });
    expect(failRelease).toBe(false);
    expect((await memory.readStream(paymentReferenceStreamId('pay-loser'))).map((e) => e.type)).toEqual([
      'PaymentReferenceClaimed',
      'PaymentReferenceReleased',
    ]);
  });
});
