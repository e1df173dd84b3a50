import { accountStreamId } from '@escrow/domain/account';
import { ContractCommand, contractStreamId } from '@escrow/domain/contract';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { accountAggregate } from '../src/accounts/account-aggregate';
import { CommandExecutor } from '../src/commands/command-executor';
import { contractAggregate } from '../src/contracts/contract-commands';
import type { CommandContext } from '../src/http/command-context';
import { paymentReferenceStreamId } from '../src/payments/payment-references';
import { TestService } from './harness';
import {
  closureEligibility,
  contractBetween,
  gateway,
  readyToWithdraw,
  settlement,
  support,
  uniqueId,
  user,
  walletOf,
  withdraw,
} from './wallets.fixtures';

/**
 * 退会 is final: a closed account takes part in no new offer, contract, funding or credit, and every balance
 * has a way out before closing. Refusals that need an offer made just before the closure (the window in which
 * a concurrent offer can still be recorded, see docs/wallets.md) are set up by deciding those commands on the
 * streams as they were read before the closure, which is what a racing request does.
 */
describe('closure finality (退会) over HTTP', () => {
  let service: TestService;
  let store: EventStore;
  let executor: CommandExecutor;
  beforeAll(async () => {
    service = await TestService.start();
    store = service.app.get<EventStore>(EVENT_STORE);
    executor = service.app.get(CommandExecutor);
  });
  afterAll(() => service.stop());

  const streamTypes = async (streamId: string) => (await store.readStream(streamId)).map((event) => event.type);
  const revisionOf = async (contractId: string) => (await store.readStream(contractStreamId(contractId))).length - 1;

  async function close(accountId: string) {
    const closed = await service.post(`/v1/accounts/${accountId}/close`, user(accountId), {}).expect(200);
    expect(closed.body).toMatchObject({ accountId, closed: true });
    expect(await streamTypes(`wallet-${accountId}`)).toContain('WalletClosed');
  }

  /** Decides and appends contract commands as a request that read the parties' accounts before their closure. */
  async function decidedBeforeClosure(contractId: string, commands: ContractCommand[]) {
    for (const command of commands) {
      const context = { actor: command.actor, requestHash: 'racing', correlationId: uniqueId('race'), requestId: uniqueId('race'), at: new Date().toISOString() };
      await executor.execute(contractAggregate, contractStreamId(contractId), { ...command, closedAccounts: [] } as ContractCommand, context as CommandContext);
    }
  }

  const offerCommand = (contractId: string, clientId: string, workerId: string): ContractCommand => ({
    type: 'OfferContract',
    contractId,
    actor: user(clientId),
    at: new Date().toISOString(),
    clientId,
    workerId,
    title: 'Offered while the closure was decided',
    milestones: [{ milestoneId: `${contractId}-m1`, title: 'Only', amount: 10_000, dueDate: '2026-12-31' }],
  });
  const acceptCommand = (contractId: string, workerId: string): ContractCommand => ({
    type: 'AcceptOffer',
    contractId,
    actor: user(workerId),
    at: new Date().toISOString(),
  });
  const fundCommand = (contractId: string, clientId: string): ContractCommand => ({
    type: 'FundMilestone',
    contractId,
    actor: user(clientId),
    at: new Date().toISOString(),
    milestoneId: `${contractId}-m1`,
    paymentReference: uniqueId('gw'),
    method: 'card',
  });

  const offer = (clientId: string, workerId: string) =>
    service.post('/v1/contracts', user(clientId), {
      clientId,
      workerId,
      title: 'Landing page',
      milestones: [{ title: 'Only', amount: 10_000, dueDate: '2026-12-31' }],
    });

  it('a closed account cannot be offered to, nor offer; nothing is appended', async () => {
    const closedWorker = uniqueId('worker');
    const closedClient = uniqueId('client');
    await close(closedWorker);
    await close(closedClient);
    const head = await store.headPosition();

    const offeredTo = await offer(uniqueId('client'), closedWorker).expect(409);
    expect(offeredTo.body).toMatchObject({ code: 'WORKER_ACCOUNT_CLOSED', details: { accountId: closedWorker } });
    const offeredBy = await offer(closedClient, uniqueId('worker')).expect(409);
    expect(offeredBy.body).toMatchObject({ code: 'CLIENT_ACCOUNT_CLOSED', details: { accountId: closedClient } });
    expect(await store.headPosition()).toBe(head);
  });

  it('a closed worker cannot accept an offer recorded just before the closure; the client can still withdraw it', async () => {
    const clientId = uniqueId('client');
    const workerId = uniqueId('worker');
    await close(workerId);
    const contractId = uniqueId('contract');
    await decidedBeforeClosure(contractId, [offerCommand(contractId, clientId, workerId)]);

    const accepted = await service.post(`/v1/contracts/${contractId}/accept`, user(workerId)).expect(409);
    expect(accepted.body.code).toBe('WORKER_ACCOUNT_CLOSED');
    expect(await revisionOf(contractId)).toBe(0);
    await service.post(`/v1/contracts/${contractId}/withdraw`, user(clientId), {}).expect(200);
  });

  it('an offer from a client closed since cannot be accepted', async () => {
    const clientId = uniqueId('client');
    const workerId = uniqueId('worker');
    await close(clientId);
    const contractId = uniqueId('contract');
    await decidedBeforeClosure(contractId, [offerCommand(contractId, clientId, workerId)]);

    const accepted = await service.post(`/v1/contracts/${contractId}/accept`, user(workerId)).expect(409);
    expect(accepted.body.code).toBe('CLIENT_ACCOUNT_CLOSED');
    expect(await revisionOf(contractId)).toBe(0);
  });

  it.each([
    ['client', 'CLIENT_ACCOUNT_CLOSED'],
    ['worker', 'WORKER_ACCOUNT_CLOSED'],
  ])('no milestone is funded once the %s is closed, and the payment stays unclaimed', async (closedParty, code) => {
    const clientId = uniqueId('client');
    const workerId = uniqueId('worker');
    await close(closedParty === 'client' ? clientId : workerId);
    const contractId = uniqueId('contract');
    await decidedBeforeClosure(contractId, [offerCommand(contractId, clientId, workerId), acceptCommand(contractId, workerId)]);

    const paymentReference = uniqueId('gw');
    const funded = await service
      .post(`/v1/contracts/${contractId}/milestones/${contractId}-m1/prepay`, user(clientId), { paymentReference, method: 'card' })
      .expect(409);
    expect(funded.body.code).toBe(code);
    expect(await revisionOf(contractId)).toBe(1);
    expect(await streamTypes(paymentReferenceStreamId(paymentReference))).toEqual([]);
  });

  it('a closed worker is credited nothing by a contract funded just before the closure: the credit is refused', async () => {
    const clientId = uniqueId('client');
    const workerId = uniqueId('worker');
    await close(workerId);
    const contractId = uniqueId('contract');
    await decidedBeforeClosure(contractId, [
      offerCommand(contractId, clientId, workerId),
      acceptCommand(contractId, workerId),
      fundCommand(contractId, clientId),
    ]);
    const milestone = `/v1/contracts/${contractId}/milestones/${contractId}-m1`;
    await service.post(`${milestone}/deliver`, user(workerId), { deliverables: [] }).expect(200);
    await service.post(`${milestone}/inspect`, user(clientId)).expect(200);
    const paid = await service.post(`${milestone}/payout`, settlement).expect(200);

    const wallet = await walletOf(service, workerId, paid.body.position);
    expect(wallet).toMatchObject({ available: 0, totalCredited: 0, closed: true });
    expect(await streamTypes(`wallet-${workerId}`)).toEqual(['WalletClosed']);
  });

  it('money that reached an account closed before its wallet recorded closures can still leave; closing again closes the wallet', async () => {
    const clientId = uniqueId('client');
    const workerId = uniqueId('worker');
    const bank = await readyToWithdraw(service, workerId);
    // The account stream alone records the closure, as closures recorded before wallets were closed with them.
    const at = new Date().toISOString();
    await executor.execute(
      accountAggregate,
      accountStreamId(workerId),
      { type: 'CloseAccount', accountId: workerId, actor: user(workerId), at, blockers: [] },
      { actor: user(workerId), requestHash: 'older', correlationId: uniqueId('old'), requestId: uniqueId('old'), at } as CommandContext,
    );
    const contractId = uniqueId('contract');
    await decidedBeforeClosure(contractId, [
      offerCommand(contractId, clientId, workerId),
      acceptCommand(contractId, workerId),
      fundCommand(contractId, clientId),
    ]);
    const milestone = `/v1/contracts/${contractId}/milestones/${contractId}-m1`;
    await service.post(`${milestone}/deliver`, user(workerId), { deliverables: [] }).expect(200);
    await service.post(`${milestone}/inspect`, user(clientId)).expect(200);
    const paid = await service.post(`${milestone}/payout`, settlement).expect(200);
    expect((await walletOf(service, workerId, paid.body.position)).available).toBe(8_580);

    const withdrawal = await withdraw(service, workerId, bank, 8_580).expect(201);
    expect(withdrawal.body).toMatchObject({ amount: 8_580, netAmount: 8_480, available: 0 });

    const again = await service.post(`/v1/accounts/${workerId}/close`, user(workerId), {}).expect(409);
    expect(again.body.code).toBe('ACCOUNT_CLOSED');
    expect((await streamTypes(`wallet-${workerId}`)).at(-1)).toBe('WalletClosed');
  });

  /** A client whose wallet holds a ¥500 refund, with no contract left open. */
  async function clientWithFiveHundredYen() {
    const clientId = uniqueId('client');
    // ¥455 + 10% tax = ¥500, refunded in full by the termination.
    const contract = await contractBetween(service, clientId, uniqueId('worker'), [455]);
    const terminated = await service.post(`/v1/contracts/${contract.contractId}/termination`, support, { reason: 'Project cancelled' }).expect(200);
    expect((await walletOf(service, clientId, terminated.body.position)).available).toBe(500);
    return clientId;
  }

  async function expectClosureRefused(accountId: string, reasons: string[]) {
    expect(await closureEligibility(service, accountId)).toMatchObject({ eligible: false, reasons });
    const refused = await service.post(`/v1/accounts/${accountId}/close`, user(accountId), {}).expect(409);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_CLOSURE_BLOCKED', details: { reasons } });
  }

  /** Waits until every projection and process has applied the head of the log. */
  async function settled(): Promise<void> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const statuses = (await service.get('/v1/projections').expect(200)).body.data as { position: number; headPosition: number }[];
      if (statuses.every((status) => status.position === statuses[0].headPosition)) return;
      if (Date.now() > deadline) throw new Error(`projections did not settle: ${JSON.stringify(statuses)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const ledgerBalance = async (account: string) => {
    const res = await service.get(`/v1/ledger/accounts/${account}`);
    return res.status === 404 ? 0 : (res.body.balance as number);
  };

  it('a ¥500 balance blocks closure with its reason, leaves by one final withdrawal of all of it, and then the account closes', async () => {
    const clientId = await clientWithFiveHundredYen();
    await expectClosureRefused(clientId, ['WALLET_BALANCE_BELOW_MINIMUM']);

    const bank = await readyToWithdraw(service, clientId);
    const part = await withdraw(service, clientId, bank, 400).expect(400);
    expect(part.body.code).toBe('WITHDRAWAL_BELOW_MINIMUM');
    const final = await withdraw(service, clientId, bank, 500).expect(201);
    expect(final.body).toMatchObject({ status: 'scheduled', amount: 500, bankFee: 100, netAmount: 400, available: 0 });
    await expectClosureRefused(clientId, ['WITHDRAWAL_IN_PROGRESS']);

    await service.post(`/v1/withdrawals/${final.body.withdrawalId}/paid`, gateway, {}).expect(200);
    expect(await closureEligibility(service, clientId)).toMatchObject({ eligible: true, reasons: [] });
    await close(clientId);
    await settled();
    expect(await ledgerBalance(`wallet:${clientId}`)).toBe(0);
  });

  it('a ¥500 balance forfeited by the owner’s recorded choice lets the account close; the ledger books it and balances', async () => {
    await settled();
    const forfeitedBefore = await ledgerBalance('forfeited-balances');
    const clientId = await clientWithFiveHundredYen();
    await expectClosureRefused(clientId, ['WALLET_BALANCE_BELOW_MINIMUM']);

    const noReason = await service.post(`/v1/accounts/${clientId}/wallet/forfeit`, user(clientId), {}).expect(400);
    expect(noReason.body.code).toBe('VALIDATION_FAILED');
    const stranger = await service.post(`/v1/accounts/${clientId}/wallet/forfeit`, user('someone-else'), { reason: 'mine now' }).expect(403);
    expect(stranger.body.code).toBe('ACTOR_NOT_ALLOWED');

    const forfeited = await service
      .post(`/v1/accounts/${clientId}/wallet/forfeit`, user(clientId), { reason: 'Closing my account; below the withdrawal minimum' })
      .expect(200);
    expect(forfeited.body).toMatchObject({ forfeitedNow: 500, available: 0, forfeited: 500 });
    const again = await service.post(`/v1/accounts/${clientId}/wallet/forfeit`, user(clientId), { reason: 'again' }).expect(409);
    expect(again.body.code).toBe('NOTHING_TO_FORFEIT');

    await close(clientId);
    await settled();
    expect(await ledgerBalance(`wallet:${clientId}`)).toBe(0);
    expect((await ledgerBalance('forfeited-balances')) - forfeitedBefore).toBe(500);
    const statement = (await service.get('/v1/ledger/accounts/forfeited-balances?limit=1000').expect(200)).body;
    expect(statement.data.at(-1)).toMatchObject({ eventType: 'BalanceForfeited', streamId: `wallet-${clientId}`, credit: 500 });
    const trial = (await service.get('/v1/ledger/trial-balance').expect(200)).body;
    expect(trial).toMatchObject({ balanced: true });
    expect(trial.totalDebits).toBe(trial.totalCredits);
  });

  it('a balance at or above the minimum cannot be forfeited: it is withdrawn', async () => {
    const clientId = uniqueId('client');
    const contract = await contractBetween(service, clientId, uniqueId('worker'), [10_000]);
    const terminated = await service.post(`/v1/contracts/${contract.contractId}/termination`, support, { reason: 'Project cancelled' }).expect(200);
    await walletOf(service, clientId, terminated.body.position);
    await expectClosureRefused(clientId, ['WALLET_BALANCE']);
    const refused = await service.post(`/v1/accounts/${clientId}/wallet/forfeit`, support, { reason: 'asked by phone' }).expect(409);
    expect(refused.body.code).toBe('BALANCE_WITHDRAWABLE');
  });
});
