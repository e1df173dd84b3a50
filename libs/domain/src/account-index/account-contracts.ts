import type { Decider, DomainEvent } from '../shared/decider';
import { invalid, unknownCommand } from '../shared/domain-error';
import { IndexCommandBase, requireIdentifiers } from './index-commands';

/**
 * One stream per account listing every offer and contract it is a party to, and on which side. Closure reads
 * the contract streams it names to learn what is still open, what escrow is unsettled and which payouts and
 * refunds are still on their way to the wallet. An offer records its two parties here before the contract
 * stream records the offer, so no contract is ever missing from its parties' lists; an entry whose offer the
 * contract then refused names an empty contract stream, which holds nothing open.
 */
export type ContractSide = 'client' | 'worker';

export interface RecordAccountContract extends IndexCommandBase<'RecordAccountContract'> {
  accountId: string;
  contractId: string;
  side: ContractSide;
}

export type AccountContractsCommand = RecordAccountContract;

export interface AccountContractEntry {
  contractId: string;
  side: ContractSide;
}

export type AccountContractRecorded = DomainEvent<'AccountContractRecorded', AccountContractEntry & { accountId: string }>;
export type AccountContractsEvent = AccountContractRecorded;

export const ACCOUNT_CONTRACTS_EVENT_SCHEMA_VERSIONS: Readonly<Record<AccountContractsEvent['type'], number>> = {
  AccountContractRecorded: 1,
};

/**
 * The entries newest first, as a chain that each event extends without copying: an account anyone may offer
 * to can gather many entries, and folding them must cost the same per entry however many came before.
 */
interface EntryChain {
  entry: AccountContractEntry;
  earlier: EntryChain | null;
}

export interface AccountContractsState {
  latest: EntryChain | null;
  count: number;
}

export const initialAccountContractsState = (): AccountContractsState => ({ latest: null, count: 0 });

export function evolveAccountContracts(state: AccountContractsState, event: AccountContractsEvent): AccountContractsState {
  if (event.type !== 'AccountContractRecorded') return state;
  return { latest: { entry: { contractId: event.data.contractId, side: event.data.side }, earlier: state.latest }, count: state.count + 1 };
}

/** Every entry, oldest first. */
export function entriesOf(state: AccountContractsState): AccountContractEntry[] {
  const entries: AccountContractEntry[] = [];
  for (let link = state.latest; link !== null; link = link.earlier) entries.push(link.entry);
  return entries.reverse();
}

const SIDES: readonly ContractSide[] = ['client', 'worker'];

export function decideAccountContracts(command: AccountContractsCommand, state: AccountContractsState): AccountContractsEvent[] {
  if (command.type !== 'RecordAccountContract') {
    throw unknownCommand('account contracts', command);
  }
  requireIdentifiers(command, ['accountId', 'contractId']);
  if (!SIDES.includes(command.side)) {
    throw invalid('VALIDATION_FAILED', 'Invalid side.', { errors: [{ field: 'side', rule: 'oneOf', message: 'must be client or worker' }] });
  }
  const { accountId, contractId, side } = command;
  for (let link = state.latest; link !== null; link = link.earlier) {
    if (link.entry.contractId === contractId && link.entry.side === side) return [];
  }
  return [{ type: 'AccountContractRecorded', data: { accountId, contractId, side } }];
}

/** Each contract id the account is party to, once. */
export const contractIdsOf = (state: AccountContractsState): string[] => [...new Set(entriesOf(state).map((entry) => entry.contractId))];

export const accountContractsDecider: Decider<AccountContractsCommand, AccountContractsState, AccountContractsEvent> = {
  decide: decideAccountContracts,
  evolve: evolveAccountContracts,
  initialState: initialAccountContractsState,
};
