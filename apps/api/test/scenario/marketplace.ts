import { KeyedQueue, forEachConcurrently } from './concurrency';
import { expectStatus, HttpClient, ScenarioActor } from './http-client';
import { SeededRandom } from './random';

/**
 * A generated marketplace: contracts down every path of the lifecycle and withdrawals of the money they
 * release, driven over HTTP with bounded concurrency. It records what it expects of each contract and
 * each withdrawal, so the log can be checked against the plan as well as against itself.
 */

export const CONTRACT_PATHS = [
  'completed',
  'support_refund_full',
  'support_refund_partial',
  'terminated_by_agreement',
  'terminated_by_support_split',
  'partial_payment_by_terms_change',
  'left_open',
  'offer_ended',
] as const;
export type ContractPath = (typeof CONTRACT_PATHS)[number];

const PATH_WEIGHTS: Record<ContractPath, number> = {
  completed: 34,
  support_refund_full: 8,
  support_refund_partial: 8,
  terminated_by_agreement: 12,
  terminated_by_support_split: 12,
  partial_payment_by_terms_change: 12,
  left_open: 8,
  offer_ended: 6,
};

export type ExpectedContractStatus = 'active' | 'completed' | 'terminated' | 'declined' | 'withdrawn';

export interface PlannedContract {
  contractId: string;
  path: ContractPath;
  expectedStatus: ExpectedContractStatus;
  clientId: string;
  workerId: string;
  milestones: number;
  /** Milestones whose escrow the scenario expects to be settled (paid out, refunded or cancelled). */
  expectSettledEscrow: boolean;
  revisionRounds: number;
}

export type ExpectedWithdrawalOutcome = 'in_progress' | 'paid' | 'returned';

export interface PlannedWithdrawal {
  withdrawalId: string;
  accountId: string;
  amount: number;
  mode: 'standard' | 'quick';
  requestedStatus: 'scheduled' | 'in_review';
  reasons: string[];
  expectedOutcome: ExpectedWithdrawalOutcome;
  expectedLastEvent: string;
}

export interface ScenarioOptions {
  contracts: number;
  concurrency: number;
  clients: number;
  workers: number;
  /** Chance that a party withdraws after money lands in its wallet. */
  withdrawalChance: number;
  /** Called (awaited) once when this share of the contracts has finished, e.g. to note a mid-run position. */
  milestonesOfProgress?: { share: number; then: () => Promise<void> }[];
}

const support: ScenarioActor = { id: 'support-scenario', role: 'support' };
const settlement: ScenarioActor = { id: 'settlement', role: 'system' };
const gateway: ScenarioActor = { id: 'payments-gateway', role: 'system' };
const identityService: ScenarioActor = { id: 'identity-service', role: 'system' };
const user = (id: string): ScenarioActor => ({ id, role: 'user' });
const DELIVERABLE = { uri: 'https://files.example.com/scenario/work.zip', sha256: 'c'.repeat(64) };

interface MilestoneRef {
  milestoneId: string;
  amount: number;
  gross: number;
}

interface ContractBody {
  contractId: string;
  status: string;
  position: number;
  milestones: { milestoneId: string; amount: number; gross: number | null; escrowBalance: number }[];
  pendingTermsChange?: { changeId: string };
}

export class MarketplaceScenario {
  readonly contracts: PlannedContract[] = [];
  readonly withdrawals: PlannedWithdrawal[] = [];
  /** Every gross the scenario prepaid into escrow. */
  fundedByScenario = 0;
  private readonly wallets = new KeyedQueue();
  private readonly bankAccounts = new Map<string, string>();
  private readonly clientIds: string[];
  private readonly workerIds: string[];
  private readonly sharedAccountNumbers = new Map<string, string>();
  private withdrawalCounter = 0;
  private bankAccountCounter = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly random: SeededRandom,
    private readonly options: ScenarioOptions,
  ) {
    const run = `s${random.seed.toString(36)}`;
    this.clientIds = Array.from({ length: options.clients }, (_, i) => `${run}-client-${i}`);
    this.workerIds = Array.from({ length: options.workers }, (_, i) => `${run}-worker-${i}`);
  }

  async run(): Promise<void> {
    // Everything random is drawn here, in order, so the plan depends on the seed alone.
    const plans = Array.from({ length: this.options.contracts }, () => ({
      path: this.random.weighted(PATH_WEIGHTS),
      clientId: this.random.pick(this.clientIds),
      workerId: this.random.pick(this.workerIds),
      random: this.random.fork(),
    }));
    const marks = [...(this.options.milestonesOfProgress ?? [])]
      .map((mark) => ({ at: Math.ceil(mark.share * plans.length), then: mark.then }))
      .sort((a, b) => a.at - b.at);
    let finished = 0;
    await forEachConcurrently(plans, this.options.concurrency, async (plan) => {
      await new ContractRun(this, this.http, plan.random, plan.clientId, plan.workerId).follow(plan.path);
      finished++;
      while (marks.length > 0 && finished >= marks[0].at) await marks.shift()!.then();
    });
    await this.wallets.drained();
  }

  record(contract: PlannedContract): void {
    this.contracts.push(contract);
  }

  /**
   * The account withdraws part of what it has once the credit of the event at `position` has landed, and
   * the withdrawal goes on to review, payment or failure. One account's withdrawals run one at a time, so
   * each asks for no more than is available and none is refused.
   */
  withdrawLater(accountId: string, position: number, random: SeededRandom): Promise<void> {
    if (!random.chance(this.options.withdrawalChance)) return Promise.resolve();
    return this.wallets.run(accountId, () => this.withdraw(accountId, position, random));
  }

  private async withdraw(accountId: string, position: number, random: SeededRandom): Promise<void> {
    const bankAccountId = await this.bankAccountOf(accountId, random);
    const wallet = await expectStatus<{ available: number }>(this.http.get(`/v1/accounts/${accountId}/wallet?minPosition=${position}`), 200, 'wallet');
    if (wallet.available < 1_000) return;
    const quick = wallet.available >= 2_100 && random.chance(0.3);
    const amount = random.int(quick ? 2_100 : 1_000, wallet.available);
    const mode = quick ? 'quick' : 'standard';
    const key = `scenario-withdrawal-${accountId}-${++this.withdrawalCounter}`;
    const requested = await expectStatus<{ withdrawalId: string; status: 'scheduled' | 'in_review'; reasons: string[] }>(
      this.http.post(`/v1/accounts/${accountId}/withdrawals`, user(accountId), { amount, mode, bankAccountId }, { idempotencyKey: key }),
      201,
      `withdrawal of ¥${amount} by ${accountId}`,
    );
    const planned: PlannedWithdrawal = {
      withdrawalId: requested.withdrawalId,
      accountId,
      amount,
      mode,
      requestedStatus: requested.status,
      reasons: requested.reasons,
      expectedOutcome: 'in_progress',
      expectedLastEvent: 'WithdrawalRequested',
    };
    this.withdrawals.push(planned);
    const act = (action: string, actor: ScenarioActor, body: object, expected: string) =>
      expectStatus<{ status: string }>(this.http.post(`/v1/withdrawals/${planned.withdrawalId}/${action}`, actor, body), 200, `${action} ${planned.withdrawalId}`).then(
        (answer) => {
          if (answer.status !== expected) throw new Error(`${action} ${planned.withdrawalId}: status ${answer.status}, expected ${expected}`);
        },
      );

    let scheduled = requested.status === 'scheduled';
    if (!scheduled) {
      const review = random.weighted({ approve: 45, reject: 30, infoThenApprove: 10, leave: 15 });
      if (review === 'infoThenApprove') {
        await act('request-info', support, { reason: 'Please show the delivered work' }, 'in_review');
        planned.expectedLastEvent = 'WithdrawalInfoRequested';
      }
      if (review === 'approve' || review === 'infoThenApprove') {
        await act('approve', support, { reason: 'Checked with the client' }, 'scheduled');
        planned.expectedLastEvent = 'WithdrawalApproved';
        scheduled = true;
      }
      if (review === 'reject') {
        await act('reject', support, { reason: 'Could not confirm the work' }, 'rejected');
        planned.expectedOutcome = 'returned';
        planned.expectedLastEvent = 'WithdrawalRejected';
      }
    }
    if (scheduled) {
      const transfer = random.weighted({ paid: 55, failed: 20, leave: 25 });
      if (transfer === 'paid') {
        await act('paid', gateway, { transferReference: `zengin-${planned.withdrawalId.slice(0, 8)}` }, 'paid');
        planned.expectedOutcome = 'paid';
        planned.expectedLastEvent = 'WithdrawalPaid';
      }
      if (transfer === 'failed') {
        await act('failed', gateway, { reason: 'Account closed at the bank' }, 'failed');
        planned.expectedOutcome = 'returned';
        planned.expectedLastEvent = 'WithdrawalFailed';
      }
    }
  }

  /** Registered on first use; most owners verify their identity, a few share a bank account with another owner. */
  private async bankAccountOf(accountId: string, random: SeededRandom): Promise<string> {
    const known = this.bankAccounts.get(accountId);
    if (known) return known;
    if (random.chance(0.85)) {
      await expectStatus(this.http.post(`/v1/accounts/${accountId}/identity-verification`, identityService, { status: 'approved' }), 200, 'identity');
    }
    const bankCode = random.chance(0.6) ? '0036' : '0005';
    let accountNumber = String(1_000_000 + ++this.bankAccountCounter);
    if (random.chance(0.05)) {
      // The same bank account as an earlier owner of this code: SHARED_BANK_ACCOUNT for both from now on.
      accountNumber = this.sharedAccountNumbers.get(bankCode) ?? accountNumber;
    }
    this.sharedAccountNumbers.set(bankCode, accountNumber);
    const registered = await expectStatus<{ bankAccountId: string }>(
      this.http.post(`/v1/accounts/${accountId}/bank-accounts`, user(accountId), { bankCode, branchCode: '251', accountNumber, holderName: 'シナリオ タロウ' }),
      201,
      'register bank account',
    );
    this.bankAccounts.set(accountId, registered.bankAccountId);
    return registered.bankAccountId;
  }

  noteFunding(gross: number): void {
    this.fundedByScenario += gross;
  }
}

/** One contract down one path; every decision comes from its own generator. */
class ContractRun {
  private contractId = '';
  private milestones: MilestoneRef[] = [];
  private readonly client: ScenarioActor;
  private readonly worker: ScenarioActor;
  /** Position of the last money event this contract produced. */
  private lastMoneyPosition = 0;
  private paidOut = false;
  private refunded = false;
  private revisionRounds = 0;

  constructor(
    private readonly scenario: MarketplaceScenario,
    private readonly http: HttpClient,
    private readonly random: SeededRandom,
    clientId: string,
    workerId: string,
  ) {
    this.client = user(clientId);
    this.worker = user(workerId);
  }

  async follow(path: ContractPath): Promise<void> {
    const count = path === 'offer_ended' ? this.random.int(1, 2) : this.random.int(1, 3);
    await this.offer(count);
    let expectedStatus: ExpectedContractStatus = 'active';
    let expectSettledEscrow = true;
    if (path === 'offer_ended') {
      const declined = this.random.chance(0.5);
      await this.command(declined ? 'decline' : 'withdraw', declined ? this.worker : this.client, { reason: 'Schedule does not fit' });
      expectedStatus = declined ? 'declined' : 'withdrawn';
    } else {
      await this.accept();
      switch (path) {
        case 'completed':
          for (let i = 0; i < count; i++) await this.complete(i);
          expectedStatus = 'completed';
          break;
        case 'support_refund_full':
          await this.fund(0);
          if (this.random.chance(0.5)) await this.deliver(0);
          await this.refund(0);
          for (let i = 1; i < count; i++) await this.complete(i);
          expectedStatus = count > 1 ? 'completed' : 'active';
          break;
        case 'support_refund_partial': {
          await this.fund(0);
          await this.refund(0, this.random.int(1, Math.floor(this.milestones[0].gross / 2)));
          await this.complete(0, { funded: true });
          for (let i = 1; i < count; i++) await this.complete(i);
          expectedStatus = 'completed';
          break;
        }
        case 'partial_payment_by_terms_change':
          await this.fund(0);
          await this.reduceByTermsChange(0);
          await this.complete(0, { funded: true });
          for (let i = 1; i < count; i++) await this.complete(i);
          expectedStatus = 'completed';
          break;
        case 'terminated_by_agreement':
          await this.progressBeforeTermination(count);
          await this.terminateByAgreement();
          expectedStatus = 'terminated';
          break;
        case 'terminated_by_support_split':
          await this.progressBeforeTermination(count, { atLeastOneFunded: true });
          await this.terminateBySupport();
          expectedStatus = 'terminated';
          break;
        case 'left_open':
          for (let i = 0; i < count; i++) {
            if (!this.random.chance(0.7)) continue;
            await this.fund(i);
            if (this.random.chance(0.5)) await this.deliver(i);
          }
          expectSettledEscrow = false;
          break;
      }
    }
    this.scenario.record({
      contractId: this.contractId,
      path,
      expectedStatus,
      clientId: this.client.id,
      workerId: this.worker.id,
      milestones: count,
      expectSettledEscrow,
      revisionRounds: this.revisionRounds,
    });
    if (this.paidOut) await this.scenario.withdrawLater(this.worker.id, this.lastMoneyPosition, this.random);
    if (this.refunded) await this.scenario.withdrawLater(this.client.id, this.lastMoneyPosition, this.random);
  }

  /** Mostly everyday amounts, sometimes large ones that reach the 10% and 5% fee tiers. */
  private amount(): number {
    return this.random.chance(0.1) ? this.random.int(120_000, 400_000) : this.random.int(5_000, 120_000);
  }

  private async offer(count: number): Promise<void> {
    const amounts = Array.from({ length: count }, () => this.amount());
    const offered = await expectStatus<ContractBody>(
      this.http.post('/v1/contracts', this.client, {
        clientId: this.client.id,
        workerId: this.worker.id,
        title: 'Generated project',
        milestones: amounts.map((amount, i) => ({ title: `Part ${i + 1}`, amount, dueDate: '2027-03-31' })),
      }),
      201,
      'offer',
    );
    this.contractId = offered.contractId;
    this.milestones = offered.milestones.map((m) => ({ milestoneId: m.milestoneId, amount: m.amount, gross: 0 }));
  }

  private async accept(): Promise<void> {
    const accepted = await this.command('accept', this.worker);
    this.milestones = accepted.milestones.map((m) => ({ milestoneId: m.milestoneId, amount: m.amount, gross: m.gross as number }));
  }

  private async command(action: string, actor: ScenarioActor, body: object = {}, status = 200): Promise<ContractBody> {
    return expectStatus<ContractBody>(this.http.post(`/v1/contracts/${this.contractId}/${action}`, actor, body), status, `${action} on ${this.contractId}`);
  }

  private milestoneCommand(i: number, action: string, actor: ScenarioActor, body: object = {}): Promise<ContractBody> {
    return this.command(`milestones/${this.milestones[i].milestoneId}/${action}`, actor, body);
  }

  private async fund(i: number): Promise<void> {
    const method = this.random.pick(['card', 'bank_transfer', 'invoice'] as const);
    await this.milestoneCommand(i, 'prepay', this.client, { paymentReference: `pay-${i}-${this.random.int(0, 1e9)}`, method });
    this.scenario.noteFunding(this.milestones[i].gross);
  }

  private async deliver(i: number): Promise<void> {
    // Now and then the work is handed over off the platform (a withdrawal review reason).
    await this.milestoneCommand(i, 'deliver', this.worker, { deliverables: this.random.chance(0.1) ? [] : [DELIVERABLE] });
  }

  /** Funds (unless done), delivers, perhaps goes through a revision round, inspects and pays out. */
  private async complete(i: number, options: { funded?: boolean } = {}): Promise<void> {
    if (!options.funded) await this.fund(i);
    await this.deliver(i);
    if (this.random.chance(0.25)) {
      await this.milestoneCommand(i, 'request-revision', this.client, { reason: 'Please adjust the colours' });
      this.revisionRounds++;
      await this.deliver(i);
    }
    await this.milestoneCommand(i, 'inspect', this.client);
    const paid = await this.milestoneCommand(i, 'payout', settlement);
    this.paidOut = true;
    this.lastMoneyPosition = paid.position;
  }

  /** Support (or the platform) refunds the milestone, in full or the amount given. */
  private async refund(i: number, amount?: number): Promise<void> {
    const actor = this.random.chance(0.8) ? support : settlement;
    const refunded = await this.milestoneCommand(i, 'refund', actor, { reason: 'Agreed with both parties', ...(amount !== undefined ? { amount } : {}) });
    this.refunded = true;
    this.lastMoneyPosition = refunded.position;
  }

  /** A party proposes a lower amount for a funded milestone (sometimes after a first proposal was turned down); the other accepts. */
  private async reduceByTermsChange(i: number): Promise<void> {
    const m = this.milestones[i];
    const clientProposes = this.random.chance(0.5);
    const [proposer, answerer] = clientProposes ? [this.client, this.worker] : [this.worker, this.client];
    const reduced = this.random.int(Math.max(1_000, Math.floor(m.amount / 4)), m.amount - 1);
    const propose = async () => {
      const proposed = await this.command('terms-changes', proposer, { changes: [{ milestoneId: m.milestoneId, amount: reduced }], reason: 'Smaller scope' }, 201);
      return proposed.pendingTermsChange!.changeId;
    };
    if (this.random.chance(0.2)) await this.command(`terms-changes/${await propose()}/reject`, answerer, { reason: 'Not yet' });
    const accepted = await this.command(`terms-changes/${await propose()}/accept`, answerer);
    this.milestones[i] = { ...m, amount: reduced, gross: accepted.milestones[i].gross as number };
    this.refunded = true;
    this.lastMoneyPosition = accepted.position;
  }

  /** Funds some milestones, delivers some, and sometimes pays the first one out before the contract ends early. */
  private async progressBeforeTermination(count: number, options: { atLeastOneFunded?: boolean } = {}): Promise<void> {
    let first = 0;
    if (count > 1 && this.random.chance(0.4)) {
      await this.complete(0);
      first = 1;
    }
    for (let i = first; i < count; i++) {
      const mustFund = options.atLeastOneFunded && i === first;
      if (!mustFund && !this.random.chance(0.6)) continue;
      await this.fund(i);
      if (this.random.chance(0.4)) await this.deliver(i);
    }
  }

  private async terminateByAgreement(): Promise<void> {
    const clientAsks = this.random.chance(0.5);
    const [requester, answerer] = clientAsks ? [this.client, this.worker] : [this.worker, this.client];
    if (this.random.chance(0.15)) {
      await this.command('termination', requester, { reason: 'The project was cancelled' });
      await this.command('termination/reject', answerer, { reason: 'Let us finish it' });
    }
    await this.command('termination', requester, { reason: 'The project was cancelled' });
    const terminated = await this.command('termination/accept', answerer);
    this.noteTerminationMoney(terminated);
  }

  /** Support ends the contract, paying part of some funded milestones to the worker and refunding the rest. */
  private async terminateBySupport(): Promise<void> {
    const contract = await expectStatus<ContractBody>(this.http.get(`/v1/contracts/${this.contractId}`), 200, 'contract');
    const splits = contract.milestones
      .filter((m) => m.escrowBalance >= 1_000 && this.random.chance(0.7))
      .map((m) => ({ milestoneId: m.milestoneId, payOutGross: this.random.chance(0.2) ? m.escrowBalance : this.random.int(1_000, m.escrowBalance) }));
    const terminated = await this.command('termination', support, { reason: 'Dispute settled by support', splits });
    this.noteTerminationMoney(terminated, splits.length > 0);
  }

  /** Open escrow went back to the client (the withdrawal finds out how much), split parts to the worker. */
  private noteTerminationMoney(terminated: ContractBody, splitPaid = false): void {
    if (splitPaid) this.paidOut = true;
    this.refunded = true;
    this.lastMoneyPosition = terminated.position;
  }
}
