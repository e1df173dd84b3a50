import { contractDecider, type ContractCommand, type ContractEvent } from '../contract';
import type { Actor } from '../shared/actor';
import { ContractOnRecord, contractClosureFacts } from './closure-from-streams';

const CLIENT: Actor = { id: 'client-1', role: 'user' };
const WORKER: Actor = { id: 'worker-1', role: 'user' };
const SYSTEM: Actor = { id: 'settlement', role: 'system' };
const SUPPORT: Actor = { id: 'support-1', role: 'support' };
const AT = '2026-04-01T00:00:00Z';

type CommandBody = ContractCommand extends infer C ? (C extends ContractCommand ? Omit<C, 'contractId' | 'at'> : never) : never;

/** A contract stream built by its own decider, each event with an id as the store would give it. */
function contractOnRecord(contractId: string, amounts: number[], steps: (milestoneIds: string[]) => CommandBody[]): ContractOnRecord {
  const milestoneIds = amounts.map((_, i) => `${contractId}-m${i}`);
  const offer: CommandBody = {
    type: 'OfferContract',
    actor: CLIENT,
    clientId: CLIENT.id,
    workerId: WORKER.id,
    title: 'Logo',
    milestones: amounts.map((amount, i) => ({ milestoneId: milestoneIds[i], title: `M${i}`, amount, dueDate: '2026-12-31' })),
  };
  let state = contractDecider.initialState();
  const events: { id: string; type: string; data: object }[] = [];
  for (const body of [offer, ...steps(milestoneIds)]) {
    const decided: ContractEvent[] = contractDecider.decide({ ...body, contractId, at: AT } as ContractCommand, state);
    for (const event of decided) {
      state = contractDecider.evolve(state, event);
      events.push({ id: `${contractId}-e${events.length}`, type: event.type, data: event.data });
    }
  }
  return { state, events };
}

const accept: CommandBody = { type: 'AcceptOffer', actor: WORKER };
const fund = (milestoneId: string): CommandBody => ({ type: 'FundMilestone', actor: CLIENT, milestoneId, paymentReference: `p-${milestoneId}`, method: 'card' });
const payOut = (milestoneId: string): CommandBody[] => [
  { type: 'DeliverMilestone', actor: WORKER, milestoneId, deliverables: [] },
  { type: 'InspectMilestone', actor: CLIENT, milestoneId },
  { type: 'PayOutMilestone', actor: SYSTEM, milestoneId },
];

describe('contractClosureFacts (closure facts read from contract streams)', () => {
  it('counts open offers and contracts per side and the escrow they hold', () => {
    const offerOnly = contractOnRecord('offer-only', [10_000], () => []);
    const funded = contractOnRecord('funded', [10_000, 20_000], ([m0]) => [accept, fund(m0)]);
    expect(contractClosureFacts('client-1', [offerOnly, funded], {})).toEqual({
      openContractsAsClient: 2,
      openContractsAsWorker: 0,
      unsettledEscrow: 11_000,
      creditsOnTheirWay: 0,
    });
    expect(contractClosureFacts('worker-1', [offerOnly, funded], {})).toMatchObject({ openContractsAsWorker: 2, unsettledEscrow: 11_000 });
    expect(contractClosureFacts('someone-else', [offerOnly, funded], {})).toEqual({
      openContractsAsClient: 0,
      openContractsAsWorker: 0,
      unsettledEscrow: 0,
      creditsOnTheirWay: 0,
    });
  });

  it('holds nothing for ended offers, a completed contract or an empty stream', () => {
    const declined = contractOnRecord('declined', [10_000], () => [{ type: 'DeclineOffer', actor: WORKER }]);
    const empty: ContractOnRecord = { state: contractDecider.initialState(), events: [] };
    const done = contractOnRecord('done', [10_000], ([m0]) => [accept, fund(m0), ...payOut(m0)]);
    const creditedPayout = done.events.find((event) => event.type === 'MilestonePaidOut')!;
    expect(contractClosureFacts('worker-1', [declined, empty, done], { [creditedPayout.id]: 8_580 })).toEqual({
      openContractsAsClient: 0,
      openContractsAsWorker: 0,
      unsettledEscrow: 0,
      creditsOnTheirWay: 0,
    });
  });

  it('counts a payout to the worker and a refund to the client whose wallet credit is not recorded yet', () => {
    const done = contractOnRecord('paid', [10_000], ([m0]) => [accept, fund(m0), ...payOut(m0)]);
    expect(contractClosureFacts('worker-1', [done], {}).creditsOnTheirWay).toBe(8_580);
    expect(contractClosureFacts('client-1', [done], {}).creditsOnTheirWay).toBe(0);

    const refunded = contractOnRecord('refunded', [10_000], ([m0]) => [accept, fund(m0), { type: 'RefundMilestone', actor: SUPPORT, milestoneId: m0, reason: 'agreed' }]);
    const refund = refunded.events.find((event) => event.type === 'EscrowRefunded')!;
    expect(contractClosureFacts('client-1', [refunded], {})).toMatchObject({ unsettledEscrow: 0, creditsOnTheirWay: 11_000 });
    expect(contractClosureFacts('client-1', [refunded], { [refund.id]: 11_000 }).creditsOnTheirWay).toBe(0);
    expect(contractClosureFacts('worker-1', [refunded], {}).creditsOnTheirWay).toBe(0);
  });
});
