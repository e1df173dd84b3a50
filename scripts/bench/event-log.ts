/**
 * Writes a realistic contract event log straight through the store adapter: the events come from the real
 * contract decider (so projections see exactly what the service would have written), carry the metadata the
 * command executor puts on them, and many contracts progress side by side so that their events interleave in
 * the global order. Every payout is followed by the wallet credit the service's credit process would have
 * made (same rules, same wallet decider). Appends are issued a whole round at a time, so group commit
 * writes them in big batches.
 */

import { createHash, randomUUID } from 'node:crypto';
import {
  CONTRACT_EVENT_SCHEMA_VERSIONS,
  ContractCommand,
  ContractFact,
  ContractState,
  contractDecider,
  contractStreamId,
  walletCreditFor,
} from '@escrow/domain/contract';
import type { Actor } from '@escrow/domain/shared/actor';
import { WALLET_EVENT_SCHEMA_VERSIONS, WalletState, walletDecider, walletStreamId } from '@escrow/domain/wallet';
import type { AppendResult, EventStore, EventToAppend } from '@escrow/event-store/port';
import { walletCreditKey } from '../../apps/api/src/commands/envelope';
import { WALLET_CREDIT_ACTOR, WALLET_CREDIT_REACTOR } from '../../apps/api/src/wallets/wallet-credit.reactor';

/**
 * Reactors whose output the generated log already holds: a store prepared with it has them caught up
 * (their checkpoints belong at the head), as a service that had been running all along would.
 */
export const REACTORS_COVERED_BY_GENERATED_LOG: readonly string[] = [WALLET_CREDIT_REACTOR];

export interface GeneratedLog {
  events: number;
  contracts: number;
  seconds: number;
}

export interface GenerateOptions {
  /** Contracts in progress at once; also the number of appends issued per round. */
  contractsInFlight?: number;
  milestones?: number;
  onProgress?: (events: number) => void;
}

type CommandAt = (at: string) => ContractCommand;

interface ContractRun {
  streamId: string;
  state: ContractState;
  revision: number;
  steps: CommandAt[];
  next: number;
  /** The stream so far, as the wallet credit rules read it. */
  facts: ContractFact[];
}

interface WalletRun {
  state: WalletState;
  revision: number;
}

const START = Date.parse('2025-04-01T00:00:00Z');
const AMOUNTS = [45_455, 27_273, 45_455, 9_091];
const SETTLEMENT: Actor = { id: 'settlement', role: 'system' };

/**
 * Most contracts run to payout; one in five has a revision round on its first milestone and one in twenty is
 * declined, roughly the mix of a marketplace.
 */
function contractScript(serial: number, milestoneCount: number): { contractId: string; steps: CommandAt[] } {
  const contractId = randomUUID();
  const client: Actor = { id: `client-${serial % 5000}`, role: 'user' };
  const worker: Actor = { id: `worker-${serial % 7000}`, role: 'user' };
  const milestones = Array.from({ length: milestoneCount }, (_, index) => ({
    milestoneId: randomUUID(),
    title: `Milestone ${index + 1}`,
    amount: AMOUNTS[(serial + index) % AMOUNTS.length],
    dueDate: '2027-03-31',
  }));
  const base = (actor: Actor, at: string) => ({ contractId, actor, at });
  const steps: CommandAt[] = [
    (at) => ({ type: 'OfferContract', ...base(client, at), clientId: client.id, workerId: worker.id, title: `Contract ${serial}`, milestones }),
  ];
  if (serial % 20 === 19) {
    steps.push((at) => ({ type: 'DeclineOffer', ...base(worker, at), reason: 'Fully booked this month' }));
    return { contractId, steps };
  }
  steps.push((at) => ({ type: 'AcceptOffer', ...base(worker, at) }));
  for (const [index, { milestoneId }] of milestones.entries()) {
    steps.push((at) => ({ type: 'FundMilestone', ...base(client, at), milestoneId, paymentReference: `pay-${serial}-${index}`, method: 'card' }));
  }
  const deliver = (milestoneId: string, index: number): CommandAt => (at) => ({
    type: 'DeliverMilestone',
    ...base(worker, at),
    milestoneId,
    deliverables: [{ uri: `https://files.example.com/${contractId}/${index}.zip`, sha256: createHash('sha256').update(`${contractId}${index}`).digest('hex') }],
  });
  for (const [index, { milestoneId }] of milestones.entries()) {
    steps.push(deliver(milestoneId, index));
    if (index === 0 && serial % 5 === 0) {
      steps.push((at) => ({ type: 'RequestRevision', ...base(client, at), milestoneId, reason: 'Please add the mobile layout' }));
      steps.push(deliver(milestoneId, index));
    }
  }
  for (const { milestoneId } of milestones) {
    steps.push((at) => ({ type: 'InspectMilestone', ...base(client, at), milestoneId }));
    steps.push((at) => ({ type: 'PayOutMilestone', ...base(SETTLEMENT, at), milestoneId }));
  }
  return { contractId, steps };
}

function envelope(type: string, data: object, actor: Actor, at: string, key: string, schemaVersions: Readonly<Record<string, number>>): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data: data as Record<string, unknown>,
    metadata: {
      schemaVersion: schemaVersions[type] ?? 1,
      occurredAt: at,
      actor,
      correlationId: randomUUID(),
      causationId: randomUUID(),
      idempotencyKey: key,
      requestHash: createHash('sha256').update(key).digest('hex'),
    },
  };
}

/** Appends contract lifecycles until at least `targetEvents` events are stored (a lifecycle is never cut short). */
export async function generateContractEvents(store: EventStore, targetEvents: number, options: GenerateOptions = {}): Promise<GeneratedLog> {
  const inFlight = options.contractsInFlight ?? 2000;
  const milestoneCount = options.milestones ?? 3;
  const startedAt = performance.now();
  let serial = 0;
  let events = 0;
  let round = 0;
  let lastReport = 0;
  const runs: ContractRun[] = [];
  const startContract = (): ContractRun => {
    const { contractId, steps } = contractScript(serial++, milestoneCount);
    return { streamId: contractStreamId(contractId), state: contractDecider.initialState(), revision: -1, steps, next: 0, facts: [] };
  };
  const wallets = new Map<string, WalletRun>();
  /** The credit the credit process makes for a payout or refund, appended right behind it. */
  const credit = (run: ContractRun, event: EventToAppend, appends: Promise<AppendResult>[]): number => {
    const plan = walletCreditFor(run.facts[run.facts.length - 1], run.facts);
    if (plan === undefined) return 0;
    const wallet = wallets.get(plan.accountId) ?? { state: walletDecider.initialState(), revision: -1 };
    wallets.set(plan.accountId, wallet);
    const at = event.metadata.occurredAt;
    const decided = walletDecider.decide({ type: 'CreditWallet', actor: WALLET_CREDIT_ACTOR, at, ...plan }, wallet.state);
    wallet.state = decided.reduce(walletDecider.evolve, wallet.state);
    const key = walletCreditKey(event.id);
    const toAppend = decided.map((walletEvent) => {
      const enveloped = envelope(walletEvent.type, walletEvent.data, WALLET_CREDIT_ACTOR, at, key, WALLET_EVENT_SCHEMA_VERSIONS);
      // Caused by the payout or refund, in its correlation, as the credit process records it.
      return { ...enveloped, metadata: { ...enveloped.metadata, causationId: event.id, correlationId: event.metadata.correlationId } };
    });
    appends.push(store.append(walletStreamId(plan.accountId), toAppend, wallet.revision === -1 ? 'no_stream' : wallet.revision));
    wallet.revision += toAppend.length;
    return toAppend.length;
  };

  while (events < targetEvents || runs.length > 0) {
    // Contracts start while the target is not reached; those under way always run to their end.
    while (runs.length < inFlight && events < targetEvents) runs.push(startContract());
    const at = new Date(START + round++ * 60_000).toISOString();
    const appends: Promise<AppendResult>[] = [];
    for (let index = runs.length - 1; index >= 0; index--) {
      const run = runs[index];
      const command = run.steps[run.next](at);
      const decided = contractDecider.decide(command, run.state);
      run.state = decided.reduce(contractDecider.evolve, run.state);
      const key = `${run.streamId}:${run.next}`;
      const toAppend = decided.map((event) => envelope(event.type, event.data, command.actor, at, key, CONTRACT_EVENT_SCHEMA_VERSIONS));
      appends.push(store.append(run.streamId, toAppend, run.revision === -1 ? 'no_stream' : run.revision));
      run.revision += toAppend.length;
      events += toAppend.length;
      for (const event of toAppend) {
        run.facts.push({ id: event.id, type: event.type, data: event.data, occurredAt: event.metadata.occurredAt });
        if (event.type === 'MilestonePaidOut' || event.type === 'EscrowRefunded') events += credit(run, event, appends);
      }
      if (++run.next === run.steps.length) runs.splice(index, 1);
    }
    await Promise.all(appends);
    if (options.onProgress && events - lastReport >= 100_000) {
      lastReport = events;
      options.onProgress(events);
    }
  }
  return { events, contracts: serial, seconds: (performance.now() - startedAt) / 1000 };
}
