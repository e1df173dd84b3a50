import { addYen } from '../wallet/yen-arithmetic';
import { escrowMoneyOf } from './money';
import { formatEscrowMovementOf } from './format-movements';
import type { EscrowMovement } from './movement';
import { walletCreditForMovement } from './wallet-credit';

/** Where an account stands in one hourly contract, task or competition, as the format's rules judge its state. */
export interface WorkStanding {
  /** The work is still open with the account as its client (it may still be charged or refunded). */
  openAsClient: boolean;
  /** The work is still open with the account as a worker in it (it may still be paid). */
  openAsWorker: boolean;
}

/** A piece of work an account is party to, read from its stream: its standing and its recorded events. */
export interface WorkOnRecord {
  standing: WorkStanding;
  /** The client whose escrow the work holds. */
  clientId: string;
  events: readonly { id: string; type: string; data: object }[];
}

/** What the account's other works hold against its closure: the same four facts a fixed-price contract adds. */
export interface WorkClosureFacts {
  openAsClient: number;
  openAsWorker: number;
  /** Escrow still held in the works the account is the client of, in yen. */
  unsettledEscrow: number;
  /** Payouts to the account and refunds to it its wallet has not credited yet, in yen. */
  creditsOnTheirWay: number;
}

/**
 * Judges the works an account is party to with the wallet's record of the credits it received (one per source event
 * id): open works count as open contracts, the escrow a client's work still holds as unsettled, and money on its way
 * to the account's wallet as balance, so an account never closes with a task's slots still prepaid or a week's pay
 * about to land.
 */
export function workClosureFacts(accountId: string, works: readonly WorkOnRecord[], creditedSources: Readonly<Record<string, number>>): WorkClosureFacts {
  const facts: WorkClosureFacts = { openAsClient: 0, openAsWorker: 0, unsettledEscrow: 0, creditsOnTheirWay: 0 };
  for (const work of works) {
    if (work.standing.openAsClient) facts.openAsClient += 1;
    if (work.standing.openAsWorker) facts.openAsWorker += 1;
    const movements = work.events.flatMap((event) => {
      const movement = formatEscrowMovementOf(event);
      return movement ? [{ event, movement }] : [];
    });
    if (work.clientId === accountId) {
      facts.unsettledEscrow = addYen(facts.unsettledEscrow, escrowMoneyOf(movements.map(({ movement }): EscrowMovement => movement)).totals.inEscrow);
    }
    for (const { event, movement } of movements) {
      const credit = walletCreditForMovement(event.id, movement);
      if (credit?.accountId === accountId && !Object.hasOwn(creditedSources, event.id)) facts.creditsOnTheirWay = addYen(facts.creditsOnTheirWay, credit.amount);
    }
  }
  return facts;
}
