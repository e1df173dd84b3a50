import type { ContractState } from '../contract/state';
import { escrowBalanceOf } from '../contract/state';
import { addYen } from '../wallet/yen-arithmetic';

/** A recorded event of a contract stream, as closure reads it: the id names the wallet credit it causes. */
export interface ContractStreamFact {
  id: string;
  type: string;
  data: object;
}

/** A contract an account is party to, read from its stream. */
export interface ContractOnRecord {
  state: ContractState;
  events: readonly ContractStreamFact[];
}

/** What an account's contracts hold against its closure, counted from the contract streams themselves. */
export interface ContractClosureFacts {
  /** Offers and contracts not yet ended (declined, withdrawn, completed or terminated) with this account as client. */
  openContractsAsClient: number;
  openContractsAsWorker: number;
  /** Escrow of these contracts neither paid out nor refunded, in yen. */
  unsettledEscrow: number;
  /**
   * Payouts to this account as worker and refunds to it as client whose wallet credit is not recorded yet
   * (the credit process has not reached them), in yen: money about to land counts as balance.
   */
  creditsOnTheirWay: number;
}

const OPEN_STATUSES = new Set<ContractState['status']>(['offered', 'active']);

/** The money event's wallet credit for `accountId`, in yen, or 0 when it credits another account or nothing. */
function creditFor(accountId: string, fact: ContractStreamFact): number {
  const data = fact.data as { workerId?: unknown; clientId?: unknown; net?: unknown; amount?: unknown };
  if (fact.type === 'MilestonePaidOut' && data.workerId === accountId && typeof data.net === 'number' && data.net > 0) return data.net;
  if (fact.type === 'EscrowRefunded' && data.clientId === accountId && typeof data.amount === 'number' && data.amount > 0) return data.amount;
  return 0;
}

/**
 * Judges the contracts an account is party to, with the wallet's record of the credits it has received (one
 * per source event id). An empty contract stream (an offer refused after its parties' index recorded it)
 * holds nothing.
 */
export function contractClosureFacts(
  accountId: string,
  contracts: readonly ContractOnRecord[],
  creditedSources: Readonly<Record<string, number>>,
): ContractClosureFacts {
  const facts: ContractClosureFacts = { openContractsAsClient: 0, openContractsAsWorker: 0, unsettledEscrow: 0, creditsOnTheirWay: 0 };
  for (const { state, events } of contracts) {
    if (state.status === 'none') continue;
    const asClient = state.clientId === accountId;
    const asWorker = state.workerId === accountId;
    if (!asClient && !asWorker) continue;
    if (OPEN_STATUSES.has(state.status)) {
      if (asClient) facts.openContractsAsClient += 1;
      if (asWorker) facts.openContractsAsWorker += 1;
    }
    facts.unsettledEscrow = addYen(facts.unsettledEscrow, ...state.milestones.map(escrowBalanceOf));
    for (const fact of events) {
      const credit = creditFor(accountId, fact);
      if (credit > 0 && !Object.prototype.hasOwnProperty.call(creditedSources, fact.id)) {
        facts.creditsOnTheirWay = addYen(facts.creditsOnTheirWay, credit);
      }
    }
  }
  return facts;
}
