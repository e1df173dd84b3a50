import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  ACCOUNT_CONTRACTS_EVENT_SCHEMA_VERSIONS,
  AccountContractsCommand,
  AccountContractsEvent,
  AccountContractsState,
  BANK_ACCOUNT_HOLDER_EVENT_SCHEMA_VERSIONS,
  BankAccountHolderCommand,
  BankAccountHolderEvent,
  BankAccountHoldersState,
  WITHDRAWAL_ADDRESS_EVENT_SCHEMA_VERSIONS,
  WithdrawalAddressCommand,
  WithdrawalAddressEvent,
  WithdrawalAddressState,
  accountContractsDecider,
  bankAccountHoldersDecider,
  contractIdsOf,
  otherHolders,
  withdrawalAddressDecider,
} from '@escrow/domain/account-index';
import { AggregateDefinition, currentShape } from '../commands/aggregate';
import { CommandExecutor } from '../commands/command-executor';
import type { CommandContext } from '../http/command-context';

/** The hex digest that names an index stream, so any characters of the indexed value stay out of stream names. */
const digestOf = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 40);

export const bankAccountHoldersStreamId = (fingerprint: string) => `bank-account-holders-${digestOf(fingerprint)}`;
export const withdrawalAddressStreamId = (withdrawalId: string) => `withdrawal-address-${digestOf(withdrawalId)}`;
export const partyContractsStreamId = (accountId: string) => `party-contracts-${digestOf(accountId)}`;

export const bankAccountHoldersAggregate: AggregateDefinition<BankAccountHolderCommand, BankAccountHoldersState, BankAccountHolderEvent> = {
  name: 'bank-account-holders',
  decider: bankAccountHoldersDecider,
  schemaVersions: BANK_ACCOUNT_HOLDER_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};

export const withdrawalAddressAggregate: AggregateDefinition<WithdrawalAddressCommand, WithdrawalAddressState, WithdrawalAddressEvent> = {
  name: 'withdrawal-address',
  decider: withdrawalAddressDecider,
  schemaVersions: WITHDRAWAL_ADDRESS_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};

export const partyContractsAggregate: AggregateDefinition<AccountContractsCommand, AccountContractsState, AccountContractsEvent> = {
  name: 'party-contracts',
  decider: accountContractsDecider,
  schemaVersions: ACCOUNT_CONTRACTS_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};

/**
 * An index entry carries the command's correlation and causation ids, not its idempotency key (which stays with
 * the command's own append, where a retry is recognised), nor the key's seed (its event ids are its own), nor its
 * If-Match (which names another stream's revision). A retried entry is recognised by the index's decider
 * instead: the same entry is there already.
 */
export const indexContext = (context: CommandContext): CommandContext => {
  const { idempotencyKey: _key, keySeed: _seed, ifMatch: _ifMatch, ...rest } = context;
  return { ...rest, causationId: context.causationId ?? context.requestId };
};

export interface BankAccountHolding {
  fingerprint: string;
  accountId: string;
  bankAccountId: string;
}

/**
 * Writes and reads the index streams commands decide from: the holders of a bank account, the account of a
 * withdrawal, the contracts of an account. Each entry is written before the append of the command it indexes,
 * so the index never misses a fact; an entry whose command was then refused is judged harmless by its readers.
 */
@Injectable()
export class AccountIndexes {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async recordBankAccountHolder(holding: BankAccountHolding, context: CommandContext): Promise<void> {
    await this.executor.execute(
      bankAccountHoldersAggregate,
      bankAccountHoldersStreamId(holding.fingerprint),
      { type: 'RecordBankAccountHolder', ...holding, actor: context.actor, at: context.at },
      indexContext(context),
    );
  }

  /** The other accounts the index names as holders of the bank account. */
  async otherHoldersOf(fingerprint: string, accountId: string): Promise<string[]> {
    const holders = await this.executor.read(bankAccountHoldersAggregate, bankAccountHoldersStreamId(fingerprint));
    return holders ? otherHolders(holders.state, accountId) : [];
  }

  async addressWithdrawal(withdrawalId: string, accountId: string, context: CommandContext): Promise<void> {
    await this.executor.execute(
      withdrawalAddressAggregate,
      withdrawalAddressStreamId(withdrawalId),
      { type: 'AddressWithdrawal', withdrawalId, accountId, actor: context.actor, at: context.at },
      indexContext(context),
    );
  }

  async accountOfWithdrawal(withdrawalId: string): Promise<string | undefined> {
    const address = await this.executor.read(withdrawalAddressAggregate, withdrawalAddressStreamId(withdrawalId));
    return address?.state.accountId ?? undefined;
  }

  /** Records an offer with both its parties, each on its own side. */
  async recordContractParties(contract: { contractId: string; clientId: string; workerId: string }, context: CommandContext): Promise<void> {
    const sides = [
      { accountId: contract.clientId, side: 'client' as const },
      { accountId: contract.workerId, side: 'worker' as const },
    ];
    for (const { accountId, side } of sides) await this.recordWorkParty({ escrowId: contract.contractId, accountId, side }, context);
  }

  /**
   * Records that an account takes part in a piece of work under its escrow id (`escrowIdOf`: a contract's own id, or
   * `<format>~<id>`), before the work's stream records it, so closure finds it. Recording it again adds nothing.
   */
  async recordWorkParty(party: { escrowId: string; accountId: string; side: 'client' | 'worker' }, context: CommandContext): Promise<void> {
    await this.executor.execute(
      partyContractsAggregate,
      partyContractsStreamId(party.accountId),
      { type: 'RecordAccountContract', accountId: party.accountId, contractId: party.escrowId, side: party.side, actor: context.actor, at: context.at },
      indexContext(context),
      // Anyone may offer to any account: offers must never contend for its index, which readers take as a set.
      { anyRevision: true },
    );
  }

  async contractsOf(accountId: string): Promise<string[]> {
    const index = await this.executor.read(partyContractsAggregate, partyContractsStreamId(accountId));
    return index ? contractIdsOf(index.state) : [];
  }
}
