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
 * The prepayment's two streams, with the race made deterministic: a store that lets a competing prepayment
 * (or a failure) in just before the contract append of the prepayment under test.
 */
const CLIENT = { id: 'client-1', role: 'user' as const };
const WORKER = { id: 'worker-1', role: 'user' as const };
const CONTRACT = 'c-1';
const AT = '2026-11-25T00:00:00.000Z';

const context = (requestId: string): CommandContext => ({ actor: CLIENT, callingService: 'job-board', requestHash: requestId, correlationId: requestId, requestId, at: AT });

type Interference = (store: EventStore) => Promise<void>;

/** Runs `interference` once, right before the next append to the contract's stream. */
function interfering(store: InMemoryEventStore): { store: EventStore; before: (next: Interference) => void } {
  let pending: Interference | undefined;
  const wrapped: EventStore = Object.create(store) as EventStore;
  wrapped.append = async (streamId: string, events: EventToAppend[], expected: ExpectedRevision) => {
    if (streamId === contractStreamId(CONTRACT) && pending) {
      const run = pending;
      pending = undefined;
      await run(store);
    }
    return store.append(streamId, events, expected);
  };
  return { store: wrapped, before: (next) => (pending = next) };
}

const fund = (milestoneId: string, paymentReference: string): ContractCommand => ({
  type: 'FundMilestone',
  contractId: CONTRACT,
  actor: CLIENT,
  at: AT,
  milestoneId,
  paymentReference,
  method: 'card',
});

describe('a prepayment and its payment reference', () => {
  let memory: InMemoryEventStore;
  let handler: ExecuteContractCommandHandler;
  let before: (next: Interference) => void;
  let competitor: ExecuteContractCommandHandler;

  const referenceEvents = async (reference: string) => (await memory.readStream(paymentReferenceStreamId(reference))).map((event) => event.type);
  const contractEvents = async () => (await memory.readStream(contractStreamId(CONTRACT))).map((event) => event.type);

  beforeEach(async () => {
    memory = new InMemoryEventStore();
    const wrapped = interfering(memory);
    before = wrapped.before;
    const executor = new CommandExecutor(wrapped.store);
    handler = new ExecuteContractCommandHandler(executor, new PaymentReferences(executor), new AccountIndexes(executor));
    const otherProcess = new CommandExecutor(memory);
    competitor = new ExecuteContractCommandHandler(otherProcess, new PaymentReferences(otherProcess), new AccountIndexes(otherProcess));
    const milestones = ['m1', 'm2'].map((milestoneId) => ({ milestoneId, title: milestoneId, amount: 10_000, dueDate: '2026-12-31' }));
    await competitor.execute({
      command: { type: 'OfferContract', contractId: CONTRACT, actor: CLIENT, at: AT, clientId: CLIENT.id, workerId: WORKER.id, title: 'Site', milestones },
      context: context('offer'),
    });
    await competitor.execute({ command: { type: 'AcceptOffer', contractId: CONTRACT, actor: WORKER, at: AT }, context: { ...context('accept'), actor: WORKER } });
  });

  it('refused after its claim (a racing prepayment funded the milestone first): the claim is released and the payment funds another milestone', async () => {
    before(async () => {
      await competitor.execute({ command: fund('m1', 'pay-winner'), context: context('winner') });
    });
    await expect(handler.execute({ command: fund('m1', 'pay-loser'), context: context('loser') })).rejects.toMatchObject({
      code: 'MILESTONE_ALREADY_FUNDED',
    });
    expect(await referenceEvents('pay-loser')).toEqual(['PaymentReferenceClaimed', 'PaymentReferenceReleased']);
    expect(await referenceEvents('pay-winner')).toEqual(['PaymentReferenceClaimed']);
    expect(await contractEvents()).toEqual(['ContractOffered', 'ContractAccepted', 'EscrowFunded']);

    await handler.execute({ command: fund('m2', 'pay-loser'), context: context('again') });
    expect(await referenceEvents('pay-loser')).toEqual(['PaymentReferenceClaimed', 'PaymentReferenceReleased', 'PaymentReferenceClaimed']);
  });

  it('refused by a racing prepayment with the same payment: the claim stays with the funding', async () => {
    before(async () => {
      await competitor.execute({ command: fund('m1', 'pay-same'), context: context('twin') });
    });
    await expect(handler.execute({ command: fund('m1', 'pay-same'), context: context('retry') })).rejects.toMatchObject({
      code: 'MILESTONE_ALREADY_FUNDED',
    });
    // The racing twin joined the claim; refused by the funding, it leaves the claim with the milestone it funded.
    expect(await referenceEvents('pay-same')).toEqual(['PaymentReferenceClaimed', 'PaymentReferenceClaimJoined']);
  });

  it('after a store failure the append may have happened: the claim is kept, and a retry funds with it', async () => {
    before(async () => {
      throw new EventStoreUnavailableError('disk full');
    });
    await expect(handler.execute({ command: fund('m1', 'pay-unsure'), context: context('unsure') })).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
    expect(await referenceEvents('pay-unsure')).toEqual(['PaymentReferenceClaimed']);
    await handler.execute({ command: fund('m1', 'pay-unsure'), context: context('unsure-retry') });
    expect(await contractEvents()).toEqual(['ContractOffered', 'ContractAccepted', 'EscrowFunded']);
  });

  it('refused before any claim (wrong amount): nothing is written on the reference', async () => {
    await expect(
      handler.execute({ command: { ...fund('m1', 'pay-wrong'), amount: 1 } as ContractCommand, context: context('wrong') }),
    ).rejects.toMatchObject({ code: 'FUNDING_AMOUNT_MISMATCH' });
    expect(await referenceEvents('pay-wrong')).toEqual([]);
  });
});
