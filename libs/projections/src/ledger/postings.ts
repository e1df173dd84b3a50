/**
 * The double-entry postings of each money event. Pure: the same event always gives the same postings,
 * so a rebuild reproduces the ledger exactly. Every event's postings balance (Σ debits = Σ credits);
 * an event that would not balance, or carries an amount that is not whole yen, is refused loudly
 * rather than posted wrong.
 */

import type { EscrowFundedData, EscrowRefundedData, MilestonePaidOutData } from '@escrow/domain/contract';
import { type EscrowMovement, FORMAT_ESCROW_MOVEMENTS, formatEscrowMovementOf } from '@escrow/domain/escrow';
import type {
  BalanceExpiredData,
  BalanceForfeitedData,
  WalletCreditedData,
  WithdrawalAmounts,
  WithdrawalFailedData,
  WithdrawalPaidData,
  WithdrawalRejectedData,
  WithdrawalRequestedData,
} from '@escrow/domain/wallet';
import { escrowAccount, LEDGER_ACCOUNTS, walletAccount } from './chart-of-accounts';

export interface Posting {
  account: string;
  debit: number;
  credit: number;
}

/** The event types that move money, hence produce postings: the fixed-price contract's and the wallet's, then the other formats'. */
export const MONEY_EVENT_TYPES: readonly string[] = [
  'EscrowFunded',
  'MilestonePaidOut',
  'EscrowRefunded',
  'WalletCredited',
  'WithdrawalRequested',
  'WithdrawalRejected',
  'WithdrawalFailed',
  'WithdrawalPaid',
  'BalanceExpired',
  'BalanceForfeited',
  ...Object.keys(FORMAT_ESCROW_MOVEMENTS),
];

export class UnbalancedPostingsError extends Error {
  constructor(
    readonly eventType: string,
    readonly debits: string,
    readonly credits: string,
  ) {
    super(`${eventType} would post debits ${debits} against credits ${credits}`);
    this.name = 'UnbalancedPostingsError';
  }
}

const assertYenAmount = (value: unknown, field: string, eventType: string): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${eventType}.${field} must be a whole number of yen >= 0, got ${String(value)}`);
  }
  return value;
};

/** An exact sum of whole yen as a number, refused when it would leave the range numbers hold exactly. */
const exactYen = (sum: bigint, what: string, eventType: string): number => {
  const value = Number(sum);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${eventType}.${what} is too large to post: ${sum}`);
  return value;
};

/**
 * Collects lines, one per account, and checks the balance when done. Sums are BigInt: exact integer yen,
 * as cheap as the ledger's running totals need them to be.
 */
class Journal {
  private readonly lines = new Map<string, Posting>();

  constructor(private readonly eventType: string) {}

  debit(account: string, amount: unknown, field: string): this {
    return this.add(account, assertYenAmount(amount, field, this.eventType), 0);
  }

  credit(account: string, amount: unknown, field: string): this {
    return this.add(account, 0, assertYenAmount(amount, field, this.eventType));
  }

  done(): Posting[] {
    let debits = 0n;
    let credits = 0n;
    const postings: Posting[] = [];
    for (const line of this.lines.values()) {
      debits += BigInt(line.debit);
      credits += BigInt(line.credit);
      if (line.debit !== 0 || line.credit !== 0) postings.push(line);
    }
    if (debits !== credits) throw new UnbalancedPostingsError(this.eventType, debits.toString(), credits.toString());
    return postings;
  }

  private add(account: string, debit: number, credit: number): this {
    const line = this.lines.get(account);
    if (line === undefined) {
      this.lines.set(account, { account, debit, credit });
    } else {
      line.debit = exactYen(BigInt(line.debit) + BigInt(debit), `debit of ${account}`, this.eventType);
      line.credit = exactYen(BigInt(line.credit) + BigInt(credit), `credit of ${account}`, this.eventType);
    }
    return this;
  }
}

const withdrawalFees = (data: WithdrawalAmounts, eventType: string): number =>
  exactYen(
    BigInt(assertYenAmount(data.bankFee, 'bankFee', eventType)) + BigInt(assertYenAmount(data.quickFee, 'quickFee', eventType)),
    'bankFee + quickFee',
    eventType,
  );

/** One amount moved from one account (debited) to another (credited). */
const transfer = (eventType: string, from: string, to: string, amount: unknown): Posting[] =>
  new Journal(eventType).debit(from, amount, 'amount').credit(to, amount, 'amount').done();

/** The postings of one event, in a fixed order; [] for an event that moves no money. */
export function postingsFor(event: { type: string; data: unknown }): Posting[] {
  const { type } = event;
  switch (type) {
    case 'EscrowFunded': {
      const data = event.data as EscrowFundedData;
      return transfer(type, LEDGER_ACCOUNTS.gatewayClearing, escrowAccount(data.contractId), data.amount);
    }
    case 'MilestonePaidOut': {
      const data = event.data as MilestonePaidOutData;
      return new Journal(type)
        .debit(escrowAccount(data.contractId), data.gross, 'gross')
        .credit(LEDGER_ACCOUNTS.payableToWallets, data.net, 'net')
        .credit(LEDGER_ACCOUNTS.feeRevenue, data.feeExTax, 'feeExTax')
        .credit(LEDGER_ACCOUNTS.feeTaxPayable, data.feeTax, 'feeTax')
        .done();
    }
    case 'EscrowRefunded': {
      const data = event.data as EscrowRefundedData;
      return transfer(type, escrowAccount(data.contractId), LEDGER_ACCOUNTS.payableToWallets, data.amount);
    }
    case 'WalletCredited': {
      const data = event.data as WalletCreditedData;
      return transfer(type, LEDGER_ACCOUNTS.payableToWallets, walletAccount(data.accountId), data.amount);
    }
    case 'WithdrawalRequested': {
      const data = event.data as WithdrawalRequestedData;
      return transfer(type, walletAccount(data.accountId), LEDGER_ACCOUNTS.withdrawalsInProgress, data.amount);
    }
    case 'WithdrawalRejected':
    case 'WithdrawalFailed': {
      const data = event.data as WithdrawalRejectedData | WithdrawalFailedData;
      return transfer(type, LEDGER_ACCOUNTS.withdrawalsInProgress, walletAccount(data.accountId), data.amount);
    }
    case 'WithdrawalPaid': {
      const data = event.data as WithdrawalPaidData;
      return new Journal(type)
        .debit(LEDGER_ACCOUNTS.withdrawalsInProgress, data.amount, 'amount')
        .credit(LEDGER_ACCOUNTS.bankPayouts, data.netAmount, 'netAmount')
        .credit(LEDGER_ACCOUNTS.withdrawalFeeRevenue, withdrawalFees(data, type), 'bankFee + quickFee')
        .done();
    }
    case 'BalanceExpired': {
      const data = event.data as BalanceExpiredData;
      return transfer(type, walletAccount(data.accountId), LEDGER_ACCOUNTS.expiredBalances, data.amount);
    }
    case 'BalanceForfeited': {
      const data = event.data as BalanceForfeitedData;
      return transfer(type, walletAccount(data.accountId), LEDGER_ACCOUNTS.forfeitedBalances, data.amount);
    }
    default: {
      const movement = formatEscrowMovementOf(event);
      return movement === undefined ? [] : movementPostings(type, movement);
    }
  }
}

/** The postings of an hourly contract's, a task's or a competition's money: the same accounts as a fixed-price contract's. */
function movementPostings(eventType: string, movement: EscrowMovement): Posting[] {
  const escrow = escrowAccount(movement.escrowId);
  switch (movement.kind) {
    case 'funded':
      return transfer(eventType, LEDGER_ACCOUNTS.gatewayClearing, escrow, movement.amount);
    case 'paidOut':
      return new Journal(eventType)
        .debit(escrow, movement.payout.gross, 'gross')
        .credit(LEDGER_ACCOUNTS.payableToWallets, movement.payout.net, 'net')
        .credit(LEDGER_ACCOUNTS.feeRevenue, movement.payout.feeExTax, 'feeExTax')
        .credit(LEDGER_ACCOUNTS.feeTaxPayable, movement.payout.feeTax, 'feeTax')
        .done();
    case 'refunded':
      return transfer(eventType, escrow, LEDGER_ACCOUNTS.payableToWallets, movement.amount);
  }
}
