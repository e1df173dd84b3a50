import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '@escrow/clock';
import { INDEX_BACKFILL_EVENT_SCHEMA_VERSIONS, IndexBackfillCommand, IndexBackfillEvent, IndexBackfillState, indexBackfillDecider } from '@escrow/domain/account-index';
import type { Actor } from '@escrow/domain/shared/actor';
import { EVENT_STORE, EventStore, RecordedEvent } from '@escrow/event-store/port';
import { SERVICE_ITSELF } from '../auth/api-clients';
import { AggregateDefinition, currentShape } from '../commands/aggregate';
import { CommandExecutor } from '../commands/command-executor';
import type { CommandContext } from '../http/command-context';
import { AccountIndexes } from './account-indexes';

export const INDEX_BACKFILL_STREAM = 'index-backfill';
export const INDEX_BACKFILL_ACTOR: Actor = { id: 'index-backfill', role: 'system' };
const PAGE = 1_000;

export const indexBackfillAggregate: AggregateDefinition<IndexBackfillCommand, IndexBackfillState, IndexBackfillEvent> = {
  name: 'index-backfill',
  decider: indexBackfillDecider,
  schemaVersions: INDEX_BACKFILL_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * Brings the index streams up to events recorded before they existed. Logs written since carry their index
 * entries already; an older log is read once from position zero to its head, every bank account registration,
 * withdrawal request and offer in it is recorded in its index (the index deciders add nothing for an entry
 * they hold, so a pass repeated after a crash or by a racing process changes nothing), and the
 * `index-backfill` stream records the pass. A store with no event yet needs no pass and records none.
 *
 * Every command that reads an index waits for this first; the pass runs once per process at most, and not at
 * all once the store records it.
 */
@Injectable()
export class LegacyIndexBackfill {
  private readonly logger = new Logger('IndexBackfill');
  private done = false;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Resolves once the indexes hold every fact of the log; a failed pass is tried again by the next caller. */
  async ready(): Promise<void> {
    if (this.done) return;
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private async pass(): Promise<void> {
    const recorded = await this.executor.read(indexBackfillAggregate, INDEX_BACKFILL_STREAM);
    if (recorded?.state.backfilledUpTo != null) {
      this.done = true;
      return;
    }
    const head = await this.store.headPosition();
    if (head === 0) {
      // Every event this store will hold is written with its index entries.
      this.done = true;
      return;
    }
    let entries = 0;
    if (!(await this.writtenWithIndexes(head))) entries = await this.indexUpTo(head);
    const at = this.clock.now().toISOString();
    await this.executor.execute(
      indexBackfillAggregate,
      INDEX_BACKFILL_STREAM,
      { type: 'RecordIndexBackfill', upToPosition: head, actor: INDEX_BACKFILL_ACTOR, at },
      this.contextFor(`index-backfill:${head}`, randomUUID(), at),
    );
    this.logger.log(`Index streams brought up to position ${head} (${entries} facts indexed from the log).`);
    this.done = true;
  }

  /**
   * Whether the log was written with its index entries: an index entry is written before the fact it indexes,
   * so a log whose first indexed kind of fact is in its index already holds every later one too, and needs
   * no pass over the whole of it.
   */
  private async writtenWithIndexes(head: number): Promise<boolean> {
    for (let after = 0; after < head; ) {
      const page = await this.store.readAll({ after, maxCount: PAGE });
      if (page.length === 0) return true;
      for (const event of page) {
        if (event.position > head) return true;
        const indexed = await this.isIndexed(event);
        if (indexed !== undefined) return indexed;
      }
      after = page[page.length - 1].position;
    }
    return true;
  }

  /** Whether the index holds the event's fact; undefined when the event is not one the indexes hold. */
  private async isIndexed(event: RecordedEvent): Promise<boolean | undefined> {
    const data = event.data;
    switch (event.type) {
      case 'BankAccountRegistered': {
        const [fingerprint, accountId] = [text(data.fingerprint), text(data.accountId)];
        if (!fingerprint || !accountId) return undefined;
        return (await this.indexes.otherHoldersOf(fingerprint, '')).includes(accountId);
      }
      case 'WithdrawalRequested': {
        const withdrawalId = text(data.withdrawalId);
        return withdrawalId ? (await this.indexes.accountOfWithdrawal(withdrawalId)) !== undefined : undefined;
      }
      case 'ContractOffered': {
        const [contractId, clientId] = [text(data.contractId), text(data.clientId)];
        if (!contractId || !clientId) return undefined;
        return (await this.indexes.contractsOf(clientId)).includes(contractId);
      }
      default:
        return undefined;
    }
  }

  /** Indexes every fact of the log up to `head`; returns how many. */
  private async indexUpTo(head: number): Promise<number> {
    let after = 0;
    let entries = 0;
    while (after < head) {
      const page = await this.store.readAll({ after, maxCount: PAGE });
      if (page.length === 0) break;
      for (const event of page) {
        if (event.position > head) break;
        if (await this.index(event)) entries += 1;
      }
      after = page[page.length - 1].position;
    }
    return entries;
  }

  /** Records the event's fact in its index; false when the event is not one the indexes hold. */
  private async index(event: RecordedEvent): Promise<boolean> {
    const data = event.data;
    const context = this.contextFor(`index-backfill:${event.id}`, event.metadata.correlationId, event.metadata.occurredAt, event.id);
    switch (event.type) {
      case 'BankAccountRegistered': {
        const [fingerprint, accountId, bankAccountId] = [text(data.fingerprint), text(data.accountId), text(data.bankAccountId)];
        if (!fingerprint || !accountId || !bankAccountId) return false;
        await this.indexes.recordBankAccountHolder({ fingerprint, accountId, bankAccountId }, context);
        return true;
      }
      case 'WithdrawalRequested': {
        const [withdrawalId, accountId] = [text(data.withdrawalId), text(data.accountId)];
        if (!withdrawalId || !accountId) return false;
        await this.indexes.addressWithdrawal(withdrawalId, accountId, context);
        return true;
      }
      case 'ContractOffered': {
        const [contractId, clientId, workerId] = [text(data.contractId), text(data.clientId), text(data.workerId)];
        if (!contractId || !clientId || !workerId) return false;
        await this.indexes.recordContractParties({ contractId, clientId, workerId }, context);
        return true;
      }
      default:
        return false;
    }
  }

  private contextFor(purpose: string, correlationId: string, at: string, causationId?: string): CommandContext {
    return {
      actor: INDEX_BACKFILL_ACTOR,
      callingService: SERVICE_ITSELF,
      requestHash: createHash('sha256').update(purpose).digest('hex'),
      correlationId,
      requestId: randomUUID(),
      ...(causationId !== undefined ? { causationId } : {}),
      at,
    };
  }
}
