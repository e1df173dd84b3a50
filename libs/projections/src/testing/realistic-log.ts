/**
 * Writes a realistic marketplace log through the store port, for measuring the read models on it: every
 * event comes from the real deciders (contract, wallet, account) with the metadata the command executor
 * puts on events, and thousands of contracts and wallets progress side by side so that their events
 * interleave in the global order the way the service's would.
 *
 * The mix: most contracts run to payout (one in five with a revision round, one in fifty with an amended
 * offer), one in twenty offers is declined, one in fifteen contracts ends by agreed termination after
 * its first payout (refunds). Every payout and refund credits a wallet, as the wallet credit reactor does.
 * Workers withdraw their balance after every third credit, registering a bank account first; one worker
 * in ten is not identity-verified, so its withdrawals go to review (information requested, approved or
 * rejected); one transfer in thirty fails.
 */

import { createHash, randomUUID } from 'node:crypto';
import { ACCOUNT_EVENT_SCHEMA_VERSIONS, type AccountState, accountDecider, accountStreamId } from '@escrow/domain/account';
import {
  CONTRACT_EVENT_SCHEMA_VERSIONS,
  type ContractCommand,
  type ContractState,
  contractDecider,
  contractStreamId,
} from '@escrow/domain/contract';
import type { Decider, DomainEvent } from '@escrow/domain/shared/decider';
import type { Actor } from '@escrow/domain/shared/actor';
import { WALLET_EVENT_SCHEMA_VERSIONS, type WalletCommand, type WalletState, walletDecider, walletStreamId } from '@escrow/domain/wallet';
import type { AppendResult, EventStore, EventToAppend } from '@escrow/event-store/port';

export interface RealisticLogOptions {
  /** Contracts in progress at once (default: target / 200, at most 2000); contracts start while fewer events than the target exist. */
  contractsInFlight?: number;
  clients?: number;
  workers?: number;
  onProgress?: (events: number) => void;
}

export interface RealisticLog {
  events: number;
  contracts: number;
  /** Events per type, for describing the mix. */
  byType: Record<string, number>;
}

const START = Date.parse('2026-04-01T00:00:00Z');
/** Tax-exclusive milestone amounts, in yen. */
const AMOUNTS = [45_455, 27_273, 90_910, 9_091, 136_364];
const SETTLEMENT: Actor = { id: 'settlement', role: 'system' };
const GATEWAY: Actor = { id: 'payments-gateway', role: 'system' };
const WALLET_CREDITS: Actor = { id: 'wallet-credit', role: 'system' };
const IDENTITY_SERVICE: Actor = { id: 'identity-verification', role: 'system' };
const REVIEWER: Actor = { id: 'support-7', role: 'support' };
const WITHDRAW_AFTER_CREDITS = 3;
const SMALLEST_WITHDRAWAL = 10_000;

type CommandAt<Command> = (at: string) => Command;

interface StreamCursor<State> {
  streamId: string;
  state: State;
  revision: number;
}

interface ContractRun extends StreamCursor<ContractState> {
  steps: CommandAt<ContractCommand>[];
  next: number;
}

/** One wallet with the account stream beside it; at most one of its commands is appended per round. */
interface WalletRun extends StreamCursor<WalletState> {
  accountId: string;
  account: StreamCursor<AccountState>;
  verified: boolean;
  bankAccountRegistered: boolean;
  queue: (CommandAt<WalletCommand> | 'register-bank-account' | 'report-identity')[];
  creditsSinceWithdrawal: number;
  withdrawalOpen: boolean;
  withdrawals: number;
}

const hex = (text: string) => createHash('sha256').update(text).digest('hex');

function envelope(type: string, data: object, actor: Actor, at: string, key: string, schemaVersion: number): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data: data as Record<string, unknown>,
    metadata: {
      schemaVersion,
      occurredAt: at,
      actor,
      correlationId: randomUUID(),
      causationId: randomUUID(),
      idempotencyKey: key,
      requestHash: hex(key),
    },
  };
}

function contractScript(serial: number, clients: number, workers: number): { contractId: string; steps: CommandAt<ContractCommand>[] } {
  const contractId = randomUUID();
  const client: Actor = { id: `client-${serial % clients}`, role: 'user' };
  const worker: Actor = { id: `worker-${(serial * 7) % workers}`, role: 'user' };
  const milestones = Array.from({ length: 1 + (serial % 4) }, (_, index) => ({
    milestoneId: randomUUID(),
    title: `Milestone ${index + 1}`,
    amount: AMOUNTS[(serial + index) % AMOUNTS.length],
    dueDate: '2027-03-31',
  }));
  const base = (actor: Actor, at: string) => ({ contractId, actor, at });
  const steps: CommandAt<ContractCommand>[] = [
    (at) => ({
      type: 'OfferContract',
      ...base(client, at),
      clientId: client.id,
      workerId: worker.id,
      title: `Contract ${serial}`,
      milestones,
    }),
  ];
  if (serial % 20 === 19) {
    steps.push((at) => ({ type: 'DeclineOffer', ...base(worker, at), reason: 'Fully booked this month' }));
    return { contractId, steps };
  }
  if (serial % 50 === 7) steps.push((at) => ({ type: 'AmendOffer', ...base(client, at), title: `Contract ${serial} (revised)` }));
  steps.push((at) => ({ type: 'AcceptOffer', ...base(worker, at) }));
  for (const [index, { milestoneId }] of milestones.entries()) {
    steps.push((at) => ({
      type: 'FundMilestone',
      ...base(client, at),
      milestoneId,
      paymentReference: `pay-${serial}-${index}`,
      method: 'card',
    }));
  }
  const terminated = serial % 15 === 3 && milestones.length > 1;
  for (const [index, { milestoneId }] of milestones.entries()) {
    const deliver: CommandAt<ContractCommand> = (at) => ({
      type: 'DeliverMilestone',
      ...base(worker, at),
      milestoneId,
      deliverables: [{ uri: `https://files.example.com/${contractId}/${index}.zip`, sha256: hex(`${contractId}${index}`) }],
    });
    steps.push(deliver);
    if (index === 0 && serial % 5 === 0) {
      steps.push((at) => ({ type: 'RequestRevision', ...base(client, at), milestoneId, reason: 'Please add the mobile layout' }));
      steps.push(deliver);
    }
    steps.push((at) => ({ type: 'InspectMilestone', ...base(client, at), milestoneId }));
    steps.push((at) => ({ type: 'PayOutMilestone', ...base(SETTLEMENT, at), milestoneId }));
    if (terminated) {
      steps.push((at) => ({ type: 'RequestTermination', ...base(client, at), reason: 'The project was cancelled' }));
      steps.push((at) => ({ type: 'AcceptTermination', ...base(worker, at) }));
      break;
    }
  }
  return { contractId, steps };
}

/** Decides on the cursor's state and returns what to append, with the state moved on (applied once appended). */
function decideOn<Command, State, Event extends DomainEvent>(
  decider: Decider<Command, State, Event>,
  cursor: StreamCursor<State>,
  command: Command,
): Event[] {
  const events = decider.decide(command, cursor.state);
  cursor.state = events.reduce(decider.evolve, cursor.state);
  return events;
}

export async function writeRealisticLog(store: EventStore, targetEvents: number, options: RealisticLogOptions = {}): Promise<RealisticLog> {
  // Enough contracts at once to interleave like production, few enough not to overshoot a small target much.
  const inFlight = options.contractsInFlight ?? Math.min(2000, Math.max(50, Math.floor(targetEvents / 200)));
  const clients = options.clients ?? 5000;
  const workers = options.workers ?? 7000;
  const byType: Record<string, number> = {};
  const runs: ContractRun[] = [];
  const wallets = new Map<string, WalletRun>();
  const busyWallets = new Set<WalletRun>();
  let serial = 0;
  let events = 0;
  let round = 0;
  let lastReport = 0;

  const walletOf = (accountId: string): WalletRun => {
    let wallet = wallets.get(accountId);
    if (wallet === undefined) {
      wallet = {
        accountId,
        streamId: walletStreamId(accountId),
        state: walletDecider.initialState(),
        revision: -1,
        account: { streamId: accountStreamId(accountId), state: accountDecider.initialState(), revision: -1 },
        verified: wallets.size % 10 !== 3,
        bankAccountRegistered: false,
        queue: [],
        creditsSinceWithdrawal: 0,
        withdrawalOpen: false,
        withdrawals: 0,
      };
      wallets.set(accountId, wallet);
    }
    return wallet;
  };

  const pending: Promise<AppendResult>[] = [];
  const append = (
    cursor: StreamCursor<unknown>,
    decided: readonly DomainEvent[],
    actor: Actor,
    at: string,
    key: string,
    versions: Readonly<Record<string, number>>,
  ) => {
    if (decided.length === 0) return;
    const toAppend = decided.map((event) => envelope(event.type, event.data as object, actor, at, key, versions[event.type] ?? 1));
    pending.push(store.append(cursor.streamId, toAppend, cursor.revision === -1 ? 'no_stream' : cursor.revision));
    cursor.revision += toAppend.length;
    events += toAppend.length;
    for (const event of decided) byType[event.type] = (byType[event.type] ?? 0) + 1;
  };

  /** What the wallet does after a credit or a finished withdrawal: withdraw everything once enough came in. */
  const planWithdrawal = (wallet: WalletRun) => {
    if (!wallet.accountId.startsWith('worker-') || wallet.withdrawalOpen || wallet.creditsSinceWithdrawal < WITHDRAW_AFTER_CREDITS) return;
    if (wallet.state.available < SMALLEST_WITHDRAWAL) return;
    wallet.withdrawalOpen = true;
    wallet.creditsSinceWithdrawal = 0;
    if (!wallet.bankAccountRegistered) wallet.queue.push('report-identity', 'register-bank-account');
    const withdrawalId = `${wallet.accountId}-w${++wallet.withdrawals}`;
    const owner: Actor = { id: wallet.accountId, role: 'user' };
    const quick = wallet.withdrawals % 4 === 0;
    wallet.queue.push((at) => ({
      type: 'RequestWithdrawal',
      accountId: wallet.accountId,
      actor: owner,
      at,
      withdrawalId,
      // The whole balance as it stands when the request is decided.
      amount: wallet.state.available,
      mode: quick ? 'quick' : 'standard',
      bankAccount: {
        bankAccountId: `${wallet.accountId}-bank`,
        bankCode: wallet.withdrawals % 3 === 0 ? '0036' : '0005',
        fingerprint: hex(wallet.accountId),
      },
      screening: { bankAccountSharedWithOtherAccount: false, identityStatus: wallet.verified ? 'approved' : 'submitted' },
    }));
    busyWallets.add(wallet);
  };

  /** The next step of a withdrawal once its request (or review) is recorded. */
  const followWithdrawal = (wallet: WalletRun, withdrawalId: string, lastEvent: string) => {
    const common = { accountId: wallet.accountId, withdrawalId };
    const finish = () => {
      wallet.withdrawalOpen = false;
      planWithdrawal(wallet);
    };
    const status = wallet.state.withdrawals[withdrawalId]?.status;
    if (status === 'in_review') {
      const reviews = lastEvent === 'WithdrawalInfoRequested' ? 1 : 0;
      const outcome =
        wallet.withdrawals % 6 === 5
          ? 'RejectWithdrawal'
          : reviews === 0 && wallet.withdrawals % 3 === 1
            ? 'RequestWithdrawalInfo'
            : 'ApproveWithdrawal';
      wallet.queue.push((at) => ({ type: outcome, ...common, actor: REVIEWER, at, reason: 'Checked against the contract history' }));
      busyWallets.add(wallet);
    } else if (status === 'scheduled') {
      const fails = wallet.withdrawals % 30 === 29;
      wallet.queue.push((at) =>
        fails
          ? { type: 'MarkWithdrawalFailed', ...common, actor: GATEWAY, at, reason: 'Account closed at the bank' }
          : { type: 'MarkWithdrawalPaid', ...common, actor: GATEWAY, at, transferReference: `tr-${withdrawalId}` },
      );
      busyWallets.add(wallet);
    } else {
      finish();
    }
  };

  const stepWallet = (wallet: WalletRun, at: string) => {
    const step = wallet.queue.shift()!;
    const key = `${wallet.streamId}:${round}`;
    if (step === 'report-identity') {
      const decided = decideOn(accountDecider, wallet.account, {
        type: 'ReportIdentityVerification',
        accountId: wallet.accountId,
        actor: IDENTITY_SERVICE,
        at,
        status: wallet.verified ? 'approved' : 'submitted',
      });
      append(wallet.account, decided, IDENTITY_SERVICE, at, key, ACCOUNT_EVENT_SCHEMA_VERSIONS);
      return;
    }
    if (step === 'register-bank-account') {
      const decided = decideOn(accountDecider, wallet.account, {
        type: 'RegisterBankAccount',
        accountId: wallet.accountId,
        actor: { id: wallet.accountId, role: 'user' },
        at,
        bankAccountId: `${wallet.accountId}-bank`,
        bankCode: '0005',
        branchCode: '123',
        accountNumber: String(1_000_000 + (wallets.size % 8_000_000)).padStart(7, '0'),
        holderName: 'ヤマダ タロウ',
        fingerprint: hex(wallet.accountId),
      });
      append(wallet.account, decided, { id: wallet.accountId, role: 'user' }, at, key, ACCOUNT_EVENT_SCHEMA_VERSIONS);
      wallet.bankAccountRegistered = true;
      return;
    }
    const command = step(at);
    const decided = decideOn(walletDecider, wallet, command);
    append(wallet, decided, command.actor, at, key, WALLET_EVENT_SCHEMA_VERSIONS);
    if (command.type === 'CreditWallet') {
      wallet.creditsSinceWithdrawal++;
      planWithdrawal(wallet);
    } else if ('withdrawalId' in command) {
      followWithdrawal(wallet, command.withdrawalId, decided[decided.length - 1]?.type ?? '');
    }
  };

  const credit = (event: DomainEvent, at: string) => {
    const data = event.data as {
      contractId: string;
      milestoneId: string;
      clientId: string;
      workerId: string;
      net?: number;
      amount?: number;
    };
    const payout = event.type === 'MilestonePaidOut';
    const wallet = walletOf(payout ? data.workerId : data.clientId);
    const amount = payout ? data.net! : data.amount!;
    const sourceId = randomUUID();
    wallet.queue.push(() => ({
      type: 'CreditWallet',
      accountId: wallet.accountId,
      actor: WALLET_CREDITS,
      at,
      source: { kind: payout ? 'payout' : 'refund', id: sourceId, contractId: data.contractId, milestoneId: data.milestoneId },
      amount,
      flags: { noDeliverable: false, fastCompletion: false },
    }));
    busyWallets.add(wallet);
  };

  while (events < targetEvents || runs.length > 0 || busyWallets.size > 0) {
    while (runs.length < inFlight && events < targetEvents) {
      const { contractId, steps } = contractScript(serial++, clients, workers);
      runs.push({ streamId: contractStreamId(contractId), state: contractDecider.initialState(), revision: -1, steps, next: 0 });
    }
    const at = new Date(START + round * 60_000).toISOString();
    for (let index = runs.length - 1; index >= 0; index--) {
      const run = runs[index];
      const command = run.steps[run.next](at);
      const decided = decideOn(contractDecider, run, command);
      append(run, decided, command.actor, at, `${run.streamId}:${run.next}`, CONTRACT_EVENT_SCHEMA_VERSIONS);
      for (const event of decided) if (event.type === 'MilestonePaidOut' || event.type === 'EscrowRefunded') credit(event, at);
      if (++run.next === run.steps.length) runs.splice(index, 1);
    }
    for (const wallet of [...busyWallets]) {
      if (wallet.queue.length === 0) {
        busyWallets.delete(wallet);
        continue;
      }
      stepWallet(wallet, at);
    }
    round++;
    await Promise.all(pending.splice(0));
    if (options.onProgress && events - lastReport >= 100_000) {
      lastReport = events;
      options.onProgress(events);
    }
  }
  return { events, contracts: serial, byType };
}
