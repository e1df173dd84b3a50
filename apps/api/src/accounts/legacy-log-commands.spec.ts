import { randomUUID } from 'node:crypto';
import { accountDecider, accountStreamId } from '@escrow/domain/account';
import { contractDecider, contractStreamId } from '@escrow/domain/contract';
import type { DomainEvent } from '@escrow/domain/shared/decider';
import { walletStreamId } from '@escrow/domain/wallet';
import { ACCOUNT_ID, GATEWAY, OWNER, REVIEWER, creditCommand, historyOf, withdrawalCommand } from '@escrow/domain/wallet/wallet.fixtures';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import type { Actor } from '@escrow/domain/shared/actor';
import { CommandExecutor } from '../commands/command-executor';
import type { AppConfig } from '../config/app-config';
import type { CommandContext } from '../http/command-context';
import { ActOnWithdrawalCommand, ActOnWithdrawalCommandHandler, RequestWithdrawalCommand, RequestWithdrawalCommandHandler } from '../withdrawals/withdrawal-handlers';
import { AccountIndexes } from './account-indexes';
import { ClosureFactsService } from './closure-facts';
import { LegacyIndexBackfill } from './legacy-index-backfill';
import { systemClock } from '@escrow/clock';

const CREDITED_AT = '2026-04-01T00:00:00Z';
const REQUESTED_AT = '2026-04-10T01:00:00Z';
const NOW = '2026-04-11T01:00:00Z';
const CLIENT_ID = 'acc-client-1';
const FINGERPRINT = 'fp-bank-1';

/** Appends events as a version of the service without index streams did: no index entry beside them. */
async function appendLegacy(store: InMemoryEventStore, streamId: string, events: DomainEvent[]) {
  await store.append(
    streamId,
    events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: { schemaVersion: 1, occurredAt: CREDITED_AT, actor: OWNER, correlationId: randomUUID(), causationId: randomUUID() },
    })),
    'any',
  );
}

const registration = (accountId: string) =>
  accountDecider.decide(
    {
      type: 'RegisterBankAccount',
      accountId,
      actor: { id: accountId, role: 'user' },
      at: CREDITED_AT,
      bankAccountId: 'bank-1',
      bankCode: '0036',
      branchCode: '251',
      accountNumber: '1234567',
      holderName: 'ヤマダ タロウ',
      fingerprint: FINGERPRINT,
    },
    accountDecider.initialState(),
  );

const contextOf = (actor: Actor): CommandContext => ({
  actor,
  callingService: 'test',
  requestHash: randomUUID(),
  correlationId: randomUUID(),
  requestId: randomUUID(),
  at: NOW,
});

describe('commands on a log recorded before the index streams', () => {
  let store: InMemoryEventStore;
  let executor: CommandExecutor;
  let indexes: AccountIndexes;
  let backfill: LegacyIndexBackfill;

  beforeEach(async () => {
    store = new InMemoryEventStore();
    executor = new CommandExecutor(store);
    indexes = new AccountIndexes(executor);
    backfill = new LegacyIndexBackfill(store, executor, indexes, systemClock);
    const approved = accountDecider.decide(
      { type: 'ReportIdentityVerification', accountId: ACCOUNT_ID, actor: { id: 'identity', role: 'system' }, at: CREDITED_AT, status: 'approved' },
      accountDecider.initialState(),
    );
    await appendLegacy(store, accountStreamId(ACCOUNT_ID), [...registration(ACCOUNT_ID), ...approved]);
    await appendLegacy(store, accountStreamId('acc-other'), registration('acc-other'));
    await appendLegacy(
      store,
      walletStreamId(ACCOUNT_ID),
      historyOf([creditCommand('payout-1', 10_000, CREDITED_AT), withdrawalCommand('wd-legacy', 5_000, REQUESTED_AT, { shared: true })]),
    );
    const offer = contractDecider.decide(
      {
        type: 'OfferContract',
        contractId: 'c-legacy',
        actor: { id: CLIENT_ID, role: 'user' },
        at: CREDITED_AT,
        clientId: CLIENT_ID,
        workerId: ACCOUNT_ID,
        title: 'Logo',
        milestones: [{ milestoneId: 'm-1', title: 'Logo', amount: 10_000, dueDate: '2026-12-31' }],
      },
      contractDecider.initialState(),
    );
    await appendLegacy(store, contractStreamId('c-legacy'), offer);
  });

  it('reviews a withdrawal requested before withdrawals had an address', async () => {
    const handler = new ActOnWithdrawalCommandHandler(executor, indexes, backfill);
    const approved = await handler.execute(new ActOnWithdrawalCommand('wd-legacy', { type: 'ApproveWithdrawal', reason: 'checked' }, contextOf(REVIEWER)));
    expect(approved).toMatchObject({ withdrawalId: 'wd-legacy', accountId: ACCOUNT_ID, status: 'scheduled' });
    const paid = await handler.execute(new ActOnWithdrawalCommand('wd-legacy', { type: 'MarkWithdrawalPaid' }, contextOf(GATEWAY)));
    expect(paid).toMatchObject({ status: 'paid', available: 5_000 });
  });

  it('screens a new withdrawal against bank accounts registered before the holders index', async () => {
    const config = { partnerBankCode: '0036' } as AppConfig;
    const handler = new RequestWithdrawalCommandHandler(executor, indexes, backfill, config);
    const requested = await handler.execute(new RequestWithdrawalCommand(ACCOUNT_ID, { amount: 2_000, mode: 'standard', bankAccountId: 'bank-1' }, contextOf(OWNER)));
    expect(requested).toMatchObject({ status: 'in_review', reasons: ['SHARED_BANK_ACCOUNT'] });
  });

  it('blocks closure on an offer made before the party-contracts index', async () => {
    const closureFacts = new ClosureFactsService(executor, indexes, backfill);
    expect((await closureFacts.gather(CLIENT_ID)).facts).toMatchObject({ openContractsAsClient: 1, openContractsAsWorker: 0 });
    expect((await closureFacts.gather(ACCOUNT_ID)).facts).toMatchObject({ openContractsAsWorker: 1, walletAvailable: 5_000, withdrawalsInProgress: 1 });
  });
});
