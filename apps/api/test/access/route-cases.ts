import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import type { Actor, TestService } from '../harness';
import { COMPETITION_ROUTE_CASES } from './competition-route-cases';
import { HOURLY_ROUTE_CASES } from './hourly-cases';
import {
  clientWithRefund,
  contractBetween,
  payOut,
  registerBankAccount,
  reportIdentity,
  requestWithdrawal,
  support,
  TestContract,
  uniqueId,
  user,
  walletOf,
} from '../wallets.fixtures';
import { TASK_ROUTE_CASES } from './task-route-cases';

/**
 * Who may call each route, and how to make a request to it that the allowed callers win. The matrix spec
 * checks this table against the OpenAPI document, so a route cannot be added without saying who may call it.
 */

/** The callers of the matrix: the user the data belongs to, another user, and the three staff roles. */
export type CallerKind = 'party' | 'stranger' | 'support' | 'system' | 'auditor';
export const CALLER_KINDS: readonly CallerKind[] = ['party', 'stranger', 'support', 'system', 'auditor'];

export interface PreparedRequest {
  path: string;
  body?: object;
  /** The user the data or the command belongs to; absent for platform-wide data. */
  party?: Actor;
}

export interface RouteCase {
  /** Callers that succeed; every other one is refused with 403 and appends nothing. */
  allowed: readonly CallerKind[];
  /** Success status of an allowed call. */
  status: number;
  /**
   * Builds what the request needs, fresh for every allowed caller (commands change state), and once for all the
   * refused ones. `kind` is the caller the request is prepared for.
   */
  prepare(world: World, kind: CallerKind): Promise<PreparedRequest>;
}

const STAFF = ['support', 'system', 'auditor'] as const;
const EVERYONE = CALLER_KINDS;
const FILE = [{ uri: 'https://files.example.com/work.zip' }];
export const EIGHT_DAYS_MS = 8 * 24 * 3600 * 1000;

/** A shared world for the reads, and builders of fresh states for the commands. */
export class World {
  contract!: TestContract;
  /** Wallets whose next credit another writer gets in first, with another amount: the credit process parks it. */
  private readonly poisonedWallets = new Set<string>();

  constructor(readonly service: TestService) {
    const store = service.app.get<EventStore>(EVENT_STORE);
    const append = store.append.bind(store);
    store.append = async (streamId, events, expected) => {
      const credit = events.find((event) => event.type === 'WalletCredited');
      if (credit && this.poisonedWallets.delete(streamId)) {
        const conflicting = { ...credit, id: randomUUID(), data: { ...credit.data, amount: 1 }, metadata: { ...credit.metadata, idempotencyKey: undefined, requestHash: undefined } };
        await append(streamId, [conflicting], 'any');
      }
      return append(streamId, events, expected);
    };
  }

  /** A contract with one milestone paid out (fees, escrow and a credited wallet) and one funded. */
  async build(): Promise<void> {
    this.contract = await contractBetween(this.service, uniqueId('client'), uniqueId('worker'), [10_000, 20_000]);
    const { position } = await payOut(this.service, this.contract, 0);
    await walletOf(this.service, this.contract.worker.id, position);
  }

  private async ok(pending: PromiseLike<{ status: number; body: unknown }>, status: number, what: string) {
    const res = await pending;
    if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as unknown;
  }

  offered = () => contractBetween(this.service, uniqueId('client'), uniqueId('worker'), [10_000], { accept: false });
  accepted = () => contractBetween(this.service, uniqueId('client'), uniqueId('worker'), [10_000], { fund: false });
  funded = () => contractBetween(this.service, uniqueId('client'), uniqueId('worker'), [10_000]);

  milestone = (contract: TestContract, i = 0) => `/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[i]}`;

  async delivered(): Promise<TestContract> {
    const contract = await this.funded();
    await this.ok(this.service.post(`${this.milestone(contract)}/deliver`, contract.worker, { deliverables: FILE }), 200, 'deliver');
    return contract;
  }

  async inspected(): Promise<TestContract> {
    const contract = await this.delivered();
    await this.ok(this.service.post(`${this.milestone(contract)}/inspect`, contract.client), 200, 'inspect');
    return contract;
  }

  /** A change of terms proposed by the client: the worker answers it. */
  async proposedChange(): Promise<{ contract: TestContract; changeId: string }> {
    const contract = await this.funded();
    const body = { changes: [{ milestoneId: contract.milestoneIds[0], amount: 9_000 }], reason: 'Smaller scope' };
    const proposed = await this.ok(this.service.post(`/v1/contracts/${contract.contractId}/terms-changes`, contract.client, body), 201, 'propose');
    return { contract, changeId: (proposed as { pendingTermsChange: { changeId: string } }).pendingTermsChange.changeId };
  }

  /** A termination requested by the client: the worker answers it. */
  async requestedTermination(): Promise<TestContract> {
    const contract = await this.funded();
    await this.ok(this.service.post(`/v1/contracts/${contract.contractId}/termination`, contract.client, { reason: 'No longer needed' }), 200, 'terminate');
    return contract;
  }

  async requestedReminder(): Promise<{ contract: TestContract; reminderId: string }> {
    const contract = await this.funded();
    const requested = await this.ok(this.service.post(`/v1/contracts/${contract.contractId}/contact-reminders`, contract.client, { message: 'No reply for a week' }), 201, 'reminder');
    const reminders = (requested as { contactReminders: { reminderId: string }[] }).contactReminders;
    return { contract, reminderId: reminders[reminders.length - 1].reminderId };
  }

  /** An account holding a refund of ¥11,000 with a bank account; its identity is approved unless `verified` is false. */
  async accountWithBalance(verified = true): Promise<{ accountId: string; bankAccountId: string }> {
    const { accountId } = await clientWithRefund(this.service, 10_000);
    if (verified) await reportIdentity(this.service, accountId, 'approved');
    return { accountId, bankAccountId: await registerBankAccount(this.service, accountId) };
  }

  /** A client account whose wallet holds ¥500, below the withdrawal minimum, with no contract left open. */
  async accountBelowMinimum(): Promise<string> {
    const clientId = uniqueId('client');
    const contract = await contractBetween(this.service, clientId, uniqueId('worker'), [455]);
    const terminated = await this.ok(this.service.post(`/v1/contracts/${contract.contractId}/termination`, support, { reason: 'Project cancelled' }), 200, 'terminate');
    await walletOf(this.service, clientId, (terminated as { position: number }).position);
    return clientId;
  }

  /** A wallet credit the credit process refused for good and parked. */
  async parkedEvent(): Promise<number> {
    const contract = await this.funded();
    this.poisonedWallets.add(`wallet-${contract.worker.id}`);
    await payOut(this.service, contract, 0);
    for (let attempt = 0; attempt < 100; attempt++) {
      const page = await this.ok(this.service.get(`/v1/processors/parked?reactor=wallet-credits&limit=500`), 200, 'parked events');
      const events = (page as { data: { parkedId: number; event: { streamId: string } }[] }).data;
      const parked = events.find((item) => item.event.streamId === `contract-${contract.contractId}`);
      if (parked) return parked.parkedId;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the poisoned credit was not parked');
  }

  /** The latest signed tree head, once the notary has published one over the shared world's events. */
  async treeHead(): Promise<{ treeSize: number }> {
    for (let attempt = 0; attempt < 250; attempt++) {
      const answer = await this.service.get('/v1/audit/tree-head');
      if (answer.status === 200) return answer.body as { treeSize: number };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no tree head was published');
  }

  /** A withdrawal held for review (the owner's identity is not verified). */
  async withdrawalInReview(): Promise<{ accountId: string; withdrawalId: string }> {
    const { accountId, bankAccountId } = await this.accountWithBalance(false);
    const withdrawal = await requestWithdrawal(this.service, accountId, bankAccountId, 5_000);
    if (withdrawal.status !== 'in_review') throw new Error(`expected a withdrawal in review, got ${withdrawal.status}`);
    return { accountId, withdrawalId: withdrawal.withdrawalId };
  }

  /** A withdrawal in review on which support asked the owner for more information. */
  async withdrawalAwaitingInfo(): Promise<{ accountId: string; withdrawalId: string }> {
    const inReview = await this.withdrawalInReview();
    await this.ok(this.service.post(`/v1/withdrawals/${inReview.withdrawalId}/request-info`, support, { reason: 'Send the delivery messages' }), 200, 'request info');
    return inReview;
  }

  /** A withdrawal scheduled for transfer, which the payments gateway reports on; in the payout run of its date. */
  async scheduledWithdrawal(): Promise<{ accountId: string; withdrawalId: string; payoutDate: string; position: number }> {
    const { accountId, bankAccountId } = await this.accountWithBalance(true);
    const withdrawal = await requestWithdrawal(this.service, accountId, bankAccountId, 5_000);
    if (withdrawal.status !== 'scheduled') throw new Error(`expected a scheduled withdrawal, got ${withdrawal.status}`);
    return { accountId, withdrawalId: withdrawal.withdrawalId, payoutDate: withdrawal.payoutDate, position: withdrawal.position };
  }
}

const read = (allowed: readonly CallerKind[], prepare: RouteCase['prepare']): RouteCase => ({ allowed, status: 200, prepare });
const contractRead = (suffix: string): RouteCase =>
  read(['party', ...STAFF], async (world) => ({ path: `/v1/contracts/${world.contract.contractId}${suffix}`, party: world.contract.client }));
const accountRead = (suffix: string): RouteCase =>
  read(['party', ...STAFF], async (world) => ({ path: `/v1/accounts/${world.contract.worker.id}${suffix}`, party: world.contract.worker }));
const staffRead = (path: string): RouteCase => read(STAFF, async () => ({ path }));
const publicRead = (path: (world: World) => string): RouteCase => read(EVERYONE, async (world) => ({ path: path(world), party: world.contract.client }));

const command = (allowed: readonly CallerKind[], status: number, prepare: RouteCase['prepare']): RouteCase => ({ allowed, status, prepare });

export const ROUTE_CASES: Record<string, RouteCase> = {
  ...TASK_ROUTE_CASES,
  ...HOURLY_ROUTE_CASES,
  // Every authenticated caller may search; a user's search finds only their own contracts (contract-search.e2e-spec.ts).
  'GET /v1/contracts': publicRead(() => '/v1/contracts'),
  'GET /v1/contracts/{contractId}': contractRead(''),
  'GET /v1/contracts/{contractId}/history': contractRead('/history'),
  'GET /v1/contracts/{contractId}/history/diff': contractRead('/history/diff?from=0'),
  'GET /v1/contracts/{contractId}/fees': contractRead('/fees'),
  'GET /v1/fees/quote': publicRead(() => '/v1/fees/quote?amount=10000'),
  'GET /v1/clients/{clientId}/completion-rate': publicRead((world) => `/v1/clients/${world.contract.client.id}/completion-rate`),
  'GET /v1/workers/{workerId}/completion-rate': publicRead((world) => `/v1/workers/${world.contract.worker.id}/completion-rate`),
  'GET /v1/clients/{clientId}/contracts': read(['party', ...STAFF], async (world) => ({
    path: `/v1/clients/${world.contract.client.id}/contracts`,
    party: world.contract.client,
  })),
  'GET /v1/workers/{workerId}/contracts': read(['party', ...STAFF], async (world) => ({
    path: `/v1/workers/${world.contract.worker.id}/contracts`,
    party: world.contract.worker,
  })),
  'GET /v1/accounts/{accountId}': accountRead(''),
  'GET /v1/accounts/{accountId}/wallet': accountRead('/wallet'),
  'GET /v1/accounts/{accountId}/closure-eligibility': accountRead('/closure-eligibility'),
  'GET /v1/ledger/accounts/{account}': read(['party', ...STAFF], async (world) => ({
    path: `/v1/ledger/accounts/wallet:${world.contract.worker.id}`,
    party: world.contract.worker,
  })),
  'GET /v1/audit/events': staffRead('/v1/audit/events'),
  'GET /v1/audit/tree-head': read(STAFF, async (world) => {
    await world.treeHead();
    return { path: '/v1/audit/tree-head' };
  }),
  'GET /v1/audit/tree-heads': staffRead('/v1/audit/tree-heads'),
  'GET /v1/audit/proofs/inclusion': read(STAFF, async (world) => ({ path: `/v1/audit/proofs/inclusion?position=1&treeSize=${(await world.treeHead()).treeSize}` })),
  'GET /v1/audit/proofs/consistency': read(STAFF, async (world) => ({ path: `/v1/audit/proofs/consistency?from=1&to=${(await world.treeHead()).treeSize}` })),
  'GET /v1/audit/public-key': staffRead('/v1/audit/public-key'),
  'GET /v1/audit/integrity': staffRead('/v1/audit/integrity'),
  // `until` ends the stream once the log is read past position 1, so the call completes like any other read.
  'GET /v1/events/stream': staffRead('/v1/events/stream?until=1'),
  'GET /v1/projections': staffRead('/v1/projections'),
  'GET /metrics': read(['system', 'auditor'], async () => ({ path: '/metrics' })),
  'GET /v1/ledger/trial-balance': staffRead('/v1/ledger/trial-balance'),
  'GET /v1/ledger/journal': staffRead('/v1/ledger/journal'),
  'GET /v1/ledger/checks': staffRead('/v1/ledger/checks'),
  'GET /v1/fees/revenue': staffRead('/v1/fees/revenue'),
  'GET /v1/withdrawals/review-queue': staffRead('/v1/withdrawals/review-queue'),
  'GET /v1/payout-runs': staffRead('/v1/payout-runs'),
  'GET /v1/payout-runs/{payoutDate}': read(STAFF, async (world) => {
    const { payoutDate, position } = await world.scheduledWithdrawal();
    return { path: `/v1/payout-runs/${payoutDate}?minPosition=${position}` };
  }),
  'GET /v1/withdrawals/{withdrawalId}': read(['party', ...STAFF], async (world) => {
    const { accountId, withdrawalId } = await world.withdrawalInReview();
    return { path: `/v1/withdrawals/${withdrawalId}`, party: user(accountId) };
  }),
  'GET /v1/processors/parked': staffRead('/v1/processors/parked'),
  'GET /v1/schedule': read(['support', 'system'], async () => ({ path: '/v1/schedule' })),
  'GET /v1/schedule/outcomes': read(['support', 'system'], async () => ({ path: '/v1/schedule/outcomes' })),
  'GET /v1/support/queues': staffRead('/v1/support/queues'),
  'POST /v1/processors/parked/{parkedId}/retry': command(['support', 'system'], 200, async (world) => {
    const parkedId = await world.parkedEvent();
    return { path: `/v1/processors/parked/${parkedId}/retry`, body: {} };
  }),

  'POST /v1/contracts': command(['party'], 201, async () => {
    const party = user(uniqueId('client'));
    const body = { clientId: party.id, workerId: uniqueId('worker'), title: 'Logo', milestones: [{ title: 'Logo', amount: 10_000, dueDate: '2026-12-31' }] };
    return { path: '/v1/contracts', body, party };
  }),
  'POST /v1/contracts/{contractId}/amend': command(['party'], 200, async (world) => {
    const contract = await world.offered();
    return { path: `/v1/contracts/${contract.contractId}/amend`, body: { title: 'Logo and icon' }, party: contract.client };
  }),
  'POST /v1/contracts/{contractId}/withdraw': command(['party'], 200, async (world) => {
    const contract = await world.offered();
    return { path: `/v1/contracts/${contract.contractId}/withdraw`, body: {}, party: contract.client };
  }),
  'POST /v1/contracts/{contractId}/decline': command(['party'], 200, async (world) => {
    const contract = await world.offered();
    return { path: `/v1/contracts/${contract.contractId}/decline`, body: {}, party: contract.worker };
  }),
  'POST /v1/contracts/{contractId}/accept': command(['party'], 200, async (world) => {
    const contract = await world.offered();
    return { path: `/v1/contracts/${contract.contractId}/accept`, body: {}, party: contract.worker };
  }),
  'POST /v1/contracts/{contractId}/milestones/{milestoneId}/prepay': command(['party'], 200, async (world) => {
    const contract = await world.accepted();
    return { path: `${world.milestone(contract)}/prepay`, body: { paymentReference: uniqueId('pay'), method: 'card' }, party: contract.client };
  }),
  'POST /v1/contracts/{contractId}/milestones/{milestoneId}/deliver': command(['party'], 200, async (world) => {
    const contract = await world.funded();
    return { path: `${world.milestone(contract)}/deliver`, body: { deliverables: FILE }, party: contract.worker };
  }),
  'POST /v1/contracts/{contractId}/milestones/{milestoneId}/request-revision': command(['party'], 200, async (world) => {
    const contract = await world.delivered();
    return { path: `${world.milestone(contract)}/request-revision`, body: { reason: 'The colours are off' }, party: contract.client };
  }),
  // Support inspects for a client silent for 7 days after delivery: the matrix runs that cell 8 days later.
  'POST /v1/contracts/{contractId}/milestones/{milestoneId}/inspect': command(['party', 'support'], 200, async (world, kind) => {
    const contract = await world.delivered();
    return { path: `${world.milestone(contract)}/inspect`, body: kind === 'support' ? { reason: 'Client silent for 8 days' } : {}, party: contract.client };
  }),
  'POST /v1/contracts/{contractId}/milestones/{milestoneId}/payout': command(['system'], 200, async (world) => {
    const contract = await world.inspected();
    return { path: `${world.milestone(contract)}/payout`, body: {}, party: contract.worker };
  }),
  'POST /v1/contracts/{contractId}/milestones/{milestoneId}/refund': command(['support', 'system'], 200, async (world) => {
    const contract = await world.funded();
    return { path: `${world.milestone(contract)}/refund`, body: { reason: 'Duplicate payment' }, party: contract.client };
  }),
  'POST /v1/contracts/{contractId}/terms-changes': command(['party'], 201, async (world) => {
    const contract = await world.funded();
    return { path: `/v1/contracts/${contract.contractId}/terms-changes`, body: { changes: [{ milestoneId: contract.milestoneIds[0], amount: 9_000 }] }, party: contract.client };
  }),
  'POST /v1/contracts/{contractId}/terms-changes/{changeId}/accept': command(['party'], 200, async (world) => {
    const { contract, changeId } = await world.proposedChange();
    return { path: `/v1/contracts/${contract.contractId}/terms-changes/${changeId}/accept`, body: {}, party: contract.worker };
  }),
  'POST /v1/contracts/{contractId}/terms-changes/{changeId}/reject': command(['party'], 200, async (world) => {
    const { contract, changeId } = await world.proposedChange();
    return { path: `/v1/contracts/${contract.contractId}/terms-changes/${changeId}/reject`, body: {}, party: contract.worker };
  }),
  'POST /v1/contracts/{contractId}/termination': command(['party', 'support'], 200, async (world, kind) => {
    const contract = await world.funded();
    const body = kind === 'support' ? { reason: 'Agreed with both parties by phone', splits: [] } : { reason: 'No longer needed' };
    return { path: `/v1/contracts/${contract.contractId}/termination`, body, party: contract.client };
  }),
  'POST /v1/contracts/{contractId}/termination/accept': command(['party'], 200, async (world) => {
    const contract = await world.requestedTermination();
    return { path: `/v1/contracts/${contract.contractId}/termination/accept`, body: {}, party: contract.worker };
  }),
  'POST /v1/contracts/{contractId}/termination/reject': command(['party'], 200, async (world) => {
    const contract = await world.requestedTermination();
    return { path: `/v1/contracts/${contract.contractId}/termination/reject`, body: {}, party: contract.worker };
  }),
  'POST /v1/contracts/{contractId}/contact-reminders': command(['party'], 201, async (world) => {
    const contract = await world.funded();
    return { path: `/v1/contracts/${contract.contractId}/contact-reminders`, body: { message: 'No reply for a week' }, party: contract.client };
  }),
  'POST /v1/contracts/{contractId}/contact-reminders/{reminderId}/approve': command(['support'], 200, async (world) => {
    const { contract, reminderId } = await world.requestedReminder();
    return { path: `/v1/contracts/${contract.contractId}/contact-reminders/${reminderId}/approve`, body: {}, party: contract.client };
  }),
  'POST /v1/contracts/{contractId}/contact-reminders/{reminderId}/deny': command(['support'], 200, async (world) => {
    const { contract, reminderId } = await world.requestedReminder();
    return { path: `/v1/contracts/${contract.contractId}/contact-reminders/${reminderId}/deny`, body: { reason: 'The worker replied yesterday' }, party: contract.client };
  }),
  'POST /v1/accounts/{accountId}/wallet/expire': command(['system'], 200, async (world) => {
    const { accountId } = await clientWithRefund(world.service, 10_000);
    return { path: `/v1/accounts/${accountId}/wallet/expire`, body: {}, party: user(accountId) };
  }),
  'POST /v1/accounts/{accountId}/wallet/forfeit': command(['party', 'support'], 200, async (world) => {
    const accountId = await world.accountBelowMinimum();
    return { path: `/v1/accounts/${accountId}/wallet/forfeit`, body: { reason: 'Closing the account; below the withdrawal minimum' }, party: user(accountId) };
  }),
  'POST /v1/accounts/{accountId}/wallet/withdrawal-mode': command(['party', 'support'], 200, async () => {
    const accountId = uniqueId('worker');
    return { path: `/v1/accounts/${accountId}/wallet/withdrawal-mode`, body: { mode: 'carry_over' }, party: user(accountId) };
  }),
  'POST /v1/accounts/{accountId}/wallet/automatic-withdrawal': command(['system'], 200, async (world) => {
    const { accountId } = await world.accountWithBalance();
    return { path: `/v1/accounts/${accountId}/wallet/automatic-withdrawal`, body: { cutoff: '2026-01-15' }, party: user(accountId) };
  }),
  'POST /v1/accounts/{accountId}/withdrawals': command(['party'], 201, async (world) => {
    const { accountId, bankAccountId } = await world.accountWithBalance();
    return { path: `/v1/accounts/${accountId}/withdrawals`, body: { amount: 5_000, mode: 'standard', bankAccountId }, party: user(accountId) };
  }),
  'POST /v1/withdrawals/{withdrawalId}/approve': command(['support'], 200, async (world) => {
    const { accountId, withdrawalId } = await world.withdrawalInReview();
    return { path: `/v1/withdrawals/${withdrawalId}/approve`, body: { reason: 'Identity checked by phone' }, party: user(accountId) };
  }),
  'POST /v1/withdrawals/{withdrawalId}/reject': command(['support'], 200, async (world) => {
    const { accountId, withdrawalId } = await world.withdrawalInReview();
    return { path: `/v1/withdrawals/${withdrawalId}/reject`, body: { reason: 'Bank account of another person' }, party: user(accountId) };
  }),
  'POST /v1/withdrawals/{withdrawalId}/request-info': command(['support'], 200, async (world) => {
    const { accountId, withdrawalId } = await world.withdrawalInReview();
    return { path: `/v1/withdrawals/${withdrawalId}/request-info`, body: { reason: 'Send an identity document' }, party: user(accountId) };
  }),
  'POST /v1/withdrawals/{withdrawalId}/provide-info': command(['party'], 200, async (world) => {
    const { accountId, withdrawalId } = await world.withdrawalAwaitingInfo();
    return { path: `/v1/withdrawals/${withdrawalId}/provide-info`, body: { answer: 'Delivered in the project chat' }, party: user(accountId) };
  }),
  'POST /v1/withdrawals/{withdrawalId}/paid': command(['system'], 200, async (world) => {
    const { accountId, withdrawalId } = await world.scheduledWithdrawal();
    return { path: `/v1/withdrawals/${withdrawalId}/paid`, body: { transferReference: uniqueId('transfer') }, party: user(accountId) };
  }),
  'POST /v1/payout-runs/{payoutDate}/reports': command(['system'], 200, async (world) => {
    const { accountId, withdrawalId, payoutDate } = await world.scheduledWithdrawal();
    return { path: `/v1/payout-runs/${payoutDate}/reports`, body: { items: [{ withdrawalId, outcome: 'paid', transferReference: uniqueId('transfer') }] }, party: user(accountId) };
  }),
  'POST /v1/withdrawals/{withdrawalId}/failed': command(['system'], 200, async (world) => {
    const { accountId, withdrawalId } = await world.scheduledWithdrawal();
    return { path: `/v1/withdrawals/${withdrawalId}/failed`, body: { reason: 'Account closed at the bank' }, party: user(accountId) };
  }),
  'POST /v1/accounts/{accountId}/bank-accounts': command(['party'], 201, async () => {
    const accountId = uniqueId('worker');
    const body = { bankCode: '0036', branchCode: '251', accountNumber: '1234567', holderName: 'ヤマダ タロウ' };
    return { path: `/v1/accounts/${accountId}/bank-accounts`, body, party: user(accountId) };
  }),
  'POST /v1/accounts/{accountId}/identity-verification': command(['system'], 200, async () => {
    const accountId = uniqueId('worker');
    return { path: `/v1/accounts/${accountId}/identity-verification`, body: { status: 'approved' }, party: user(accountId) };
  }),
  'POST /v1/accounts/{accountId}/close': command(['party', 'support'], 200, async (_world, kind) => {
    const accountId = uniqueId('worker');
    return { path: `/v1/accounts/${accountId}/close`, body: kind === 'support' ? { reason: 'Asked by phone' } : {}, party: user(accountId) };
  }),
  ...COMPETITION_ROUTE_CASES,
};

export { support };
