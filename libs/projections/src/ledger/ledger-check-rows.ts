/** The rows the ledger checks read (ledger-checks.queries.ts) and judge (ledger-checks.ts). Sums are exact BigInt yen. */

/** Rows bounded by the query: the first few found and how many there are. */
export interface BoundedRows<Row> {
  rows: Row[];
  total: number;
}

/** One account as of the position: the sums of its postings, and the running totals its latest posting carries. */
export interface AccountSumsRow {
  account: string;
  debits: bigint;
  credits: bigint;
  totalDebits: bigint;
  totalCredits: bigint;
  balance: bigint;
}

/** The postings of one escrow or wallet account by the type of event that made them. */
export interface PostingsByTypeRow {
  account: string;
  eventType: string;
  debits: bigint;
  credits: bigint;
}

/** The lowest running balance of an escrow or wallet account that went below zero, and the posting that took it there. */
export interface LowestBalanceRow {
  account: string;
  lowest: bigint;
  position: number;
  eventType: string;
  negativePostings: number;
}

/** A transaction whose postings do not balance. */
export interface UnbalancedTransactionRow {
  position: number;
  eventType: string | null;
  debits: bigint;
  credits: bigint;
}

/**
 * A payout whose fees as its event states them (the fees read model) differ from what the ledger posted at its
 * position, or fee postings at a position with no payout; null on the side that has nothing.
 */
export interface PayoutFeeMismatchRow {
  position: number;
  contractId: string | null;
  milestoneId: string | null;
  statedFeeExTax: bigint | null;
  statedFeeTax: bigint | null;
  postedFeeExTax: bigint | null;
  postedFeeTax: bigint | null;
}

export interface LedgerCheckRows {
  position: number;
  accounts: AccountSumsRow[];
  unbalancedTransactions: BoundedRows<UnbalancedTransactionRow>;
  /** Escrow and wallet accounts only. */
  postingsByType: PostingsByTypeRow[];
  /** Escrow and wallet accounts only, those whose balance went below zero. */
  lowestBalances: LowestBalanceRow[];
  /** From the fees read model; absent when it has not reached the position, and then the checks that need it do not run. */
  fees?: {
    /** Σ of every payout's fee (ex tax) and fee tax as the payout events state them, up to the position. */
    stated: { feeExTax: bigint; feeTax: bigint };
    payoutMismatches: BoundedRows<PayoutFeeMismatchRow>;
  };
}
