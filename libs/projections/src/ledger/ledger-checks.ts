/**
 * The invariants of the books, as pure functions over rows the read models give (see ledger-checks.queries.ts).
 * Each check states a fact that must hold at a position and lists every subject (a transaction, an account, a
 * contract's escrow, a wallet, a payout) for which it does not. Sums are BigInt: exact whole yen whatever their size.
 */

import { type EscrowMovementKind, FORMAT_ESCROW_MOVEMENTS } from '@escrow/domain/escrow';
import { ESCROW_ACCOUNT_PREFIX, LEDGER_ACCOUNTS, normalBalanceOf, WALLET_ACCOUNT_PREFIX } from './chart-of-accounts';
import type { LedgerCheckRows } from './ledger-check-rows';

export const LEDGER_CHECK_NAMES = [
  'journal-balanced',
  'running-totals',
  'escrow-non-negative',
  'escrow-reconciles',
  'wallet-non-negative',
  'wallet-reconciles',
  'fee-revenue-reconciles',
] as const;
export type LedgerCheckName = (typeof LEDGER_CHECK_NAMES)[number];

/** What a violation is about; `subject` is its id: a position, a ledger account, a contract id, an account id, `contractId/milestoneId`. */
export const VIOLATION_SUBJECT_KINDS = ['journal', 'transaction', 'account', 'contract', 'wallet', 'payout'] as const;
export type ViolationSubjectKind = (typeof VIOLATION_SUBJECT_KINDS)[number];

/** Violations listed per check at most; `violationCount` counts them all. */
export const MAX_VIOLATIONS_LISTED = 100;

export interface LedgerViolation {
  subjectKind: ViolationSubjectKind;
  subject: string;
  /** Where it shows: the transaction, the posting that took a balance lowest; null for a figure as of the report's position. */
  position: number | null;
  /** The figure the check requires (for a non-negative check, the lower bound 0), in yen. */
  expected: number;
  /** The figure the books hold, in yen. */
  actual: number;
  detail: string;
}

export interface LedgerCheckResult {
  name: LedgerCheckName;
  description: string;
  passed: boolean;
  /** At most MAX_VIOLATIONS_LISTED, in the order found. */
  violations: LedgerViolation[];
  violationCount: number;
}

export interface LedgerChecksReport {
  /** Global position the checks are as of (every event up to it included). */
  position: number;
  passed: boolean;
  checks: LedgerCheckResult[];
}

/** The checks that compare the ledger with the fees read model. */
export const FEES_READ_MODEL_CHECKS: readonly LedgerCheckName[] = ['fee-revenue-reconciles'];

const yenNumber = (amount: bigint): number => {
  const value = Number(amount);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${amount} yen is beyond what a JSON number holds exactly`);
  return value;
};

const formatYen = (amount: bigint): string => `¥${amount.toLocaleString('en-US')}`.replace('¥-', '−¥');

const violation = (
  subjectKind: ViolationSubjectKind,
  subject: string,
  position: number | null,
  expected: bigint,
  actual: bigint,
  detail: string,
): LedgerViolation => ({ subjectKind, subject, position, expected: yenNumber(expected), actual: yenNumber(actual), detail });

type CheckOutcome = { violations: LedgerViolation[]; violationCount?: number };

const DESCRIPTIONS: Record<LedgerCheckName, string> = {
  'journal-balanced': 'Σ debits = Σ credits over every posting, and within the postings of every transaction (one money event)',
  'running-totals':
    "Each account's running totals and balance (what the trial balance and the statements show) equal the sums of its postings",
  'escrow-non-negative': "Each contract's escrow never went below ¥0 at any position up to this one",
  'escrow-reconciles': "Each contract's escrow balance = funded − paid out − refunded, summed by the type of event that posted it",
  'wallet-non-negative': 'Each wallet never went below ¥0 at any position up to this one',
  'wallet-reconciles':
    'Each wallet balance = credited − withdrawn + withdrawals returned (rejected, failed) − expired − forfeited, summed by event type',
  'fee-revenue-reconciles':
    'Fee revenue and fee tax payable in the ledger = Σ of the fees the payout events state (the fees read model), in total and payout by payout',
};

function result(name: LedgerCheckName, outcome: CheckOutcome, limit: number): LedgerCheckResult {
  const violationCount = outcome.violationCount ?? outcome.violations.length;
  return {
    name,
    description: DESCRIPTIONS[name],
    passed: violationCount === 0,
    violations: outcome.violations.slice(0, limit),
    violationCount,
  };
}

const sum = (values: Iterable<bigint>): bigint => {
  let total = 0n;
  for (const value of values) total += value;
  return total;
};

export function journalBalanced(rows: LedgerCheckRows): CheckOutcome {
  const debits = sum(rows.accounts.map((row) => row.debits));
  const credits = sum(rows.accounts.map((row) => row.credits));
  const violations: LedgerViolation[] = [];
  if (debits !== credits) {
    violations.push(
      violation(
        'journal',
        'journal',
        rows.position,
        debits,
        credits,
        `Σ credits ${formatYen(credits)} against Σ debits ${formatYen(debits)}`,
      ),
    );
  }
  const unbalanced = rows.unbalancedTransactions.rows.filter((row) => row.debits !== row.credits);
  for (const row of unbalanced) {
    violations.push(
      violation(
        'transaction',
        String(row.position),
        row.position,
        row.debits,
        row.credits,
        `the postings of ${row.eventType ?? 'an unrecorded event'} at position ${row.position} credit ${formatYen(row.credits)} against debits of ${formatYen(row.debits)}`,
      ),
    );
  }
  return {
    violations,
    violationCount: violations.length - unbalanced.length + Math.max(rows.unbalancedTransactions.total, unbalanced.length),
  };
}

export function runningTotals(rows: LedgerCheckRows): CheckOutcome {
  const violations: LedgerViolation[] = [];
  for (const row of rows.accounts) {
    const balance = normalBalanceOf(row.account) === 'debit' ? row.debits - row.credits : row.credits - row.debits;
    const figures: [string, bigint, bigint][] = [
      ['total debits', row.debits, row.totalDebits],
      ['total credits', row.credits, row.totalCredits],
      ['balance', balance, row.balance],
    ];
    for (const [figure, expected, actual] of figures) {
      if (expected === actual) continue;
      violations.push(
        violation(
          'account',
          row.account,
          null,
          expected,
          actual,
          `${row.account}: its latest posting says ${figure} ${formatYen(actual)}, its postings sum to ${formatYen(expected)}`,
        ),
      );
    }
  }
  return { violations };
}

const balancesOf = (rows: LedgerCheckRows, prefix: string): Map<string, bigint> =>
  new Map(rows.accounts.filter((row) => row.account.startsWith(prefix)).map((row) => [row.account, row.balance]));

/** Accounts of one kind that went below zero: the lowest balance they reached, and where. */
function nonNegative(rows: LedgerCheckRows, prefix: string, kind: 'contract' | 'wallet', what: (id: string) => string): CheckOutcome {
  const lowest = new Map<string, { lowest: bigint; position: number | null; eventType: string | null; negativePostings: number }>();
  for (const row of rows.lowestBalances) {
    if (row.account.startsWith(prefix) && row.lowest < 0n) lowest.set(row.account, { ...row });
  }
  // The balance as of the position counts even where the running balances were not read (they agree on sound books).
  for (const [account, balance] of balancesOf(rows, prefix)) {
    const known = lowest.get(account);
    if (balance < 0n && (known === undefined || balance < known.lowest)) {
      lowest.set(account, { lowest: balance, position: null, eventType: null, negativePostings: known?.negativePostings ?? 1 });
    }
  }
  const now = balancesOf(rows, prefix);
  const violations = [...lowest.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, low]) => {
      const id = account.slice(prefix.length);
      const where = low.position === null ? '' : ` at position ${low.position}${low.eventType ? ` (${low.eventType})` : ''}`;
      return violation(
        kind,
        id,
        low.position,
        0n,
        low.lowest,
        `${what(id)} went to ${formatYen(low.lowest)}${where}; below zero after ${low.negativePostings} posting(s); ${formatYen(now.get(account) ?? 0n)} as of position ${rows.position}`,
      );
    });
  return { violations };
}

export const escrowNonNegative = (rows: LedgerCheckRows) =>
  nonNegative(rows, ESCROW_ACCOUNT_PREFIX, 'contract', (id) => `the escrow of contract ${id}`);
export const walletNonNegative = (rows: LedgerCheckRows) =>
  nonNegative(rows, WALLET_ACCOUNT_PREFIX, 'wallet', (id) => `the wallet of account ${id}`);

/** How each event type moves an account of one kind: +1 adds its net credit to the expected balance, −1 takes its net debit. */
type Movements = Record<string, { label: string; sign: 1 | -1 }>;

const MOVEMENT_KINDS: Readonly<Record<EscrowMovementKind, { label: string; sign: 1 | -1 }>> = {
  funded: { label: 'funded', sign: 1 },
  paidOut: { label: 'paid out', sign: -1 },
  refunded: { label: 'refunded', sign: -1 },
};

const ESCROW_MOVEMENTS: Movements = {
  EscrowFunded: MOVEMENT_KINDS.funded,
  MilestonePaidOut: MOVEMENT_KINDS.paidOut,
  EscrowRefunded: MOVEMENT_KINDS.refunded,
  ...Object.fromEntries(Object.entries(FORMAT_ESCROW_MOVEMENTS).map(([type, reader]) => [type, MOVEMENT_KINDS[reader.kind]])),
};

const WALLET_MOVEMENTS: Movements = {
  WalletCredited: { label: 'credited', sign: 1 },
  WithdrawalRequested: { label: 'withdrawn', sign: -1 },
  WithdrawalRejected: { label: 'returned (rejected)', sign: 1 },
  WithdrawalFailed: { label: 'returned (failed)', sign: 1 },
  BalanceExpired: { label: 'expired', sign: -1 },
  BalanceForfeited: { label: 'forfeited', sign: -1 },
};

/** The balance from the running totals against the same figure summed by event type: two paths that must meet. */
function reconciles(
  rows: LedgerCheckRows,
  prefix: string,
  kind: 'contract' | 'wallet',
  movements: Movements,
  what: (id: string) => string,
): CheckOutcome {
  const byAccount = new Map<string, Map<string, bigint>>();
  const unexpected = new Map<string, string[]>();
  for (const row of rows.postingsByType) {
    if (!row.account.startsWith(prefix)) continue;
    const movement = movements[row.eventType];
    if (movement === undefined) {
      unexpected.set(row.account, [...(unexpected.get(row.account) ?? []), row.eventType]);
      continue;
    }
    const amounts = byAccount.get(row.account) ?? new Map<string, bigint>();
    const moved = movement.sign === 1 ? row.credits - row.debits : row.debits - row.credits;
    amounts.set(movement.label, (amounts.get(movement.label) ?? 0n) + moved);
    byAccount.set(row.account, amounts);
  }
  const balances = balancesOf(rows, prefix);
  const accounts = [...new Set([...byAccount.keys(), ...unexpected.keys(), ...balances.keys()])].sort();
  const violations: LedgerViolation[] = [];
  for (const account of accounts) {
    const amounts = byAccount.get(account) ?? new Map<string, bigint>();
    let expected = 0n;
    // Each label once: several event types (one per format) share a label, and its amount already sums them all.
    for (const [label, sign] of new Map(Object.values(movements).map((movement) => [movement.label, movement.sign]))) {
      const amount = amounts.get(label) ?? 0n;
      expected = sign === 1 ? expected + amount : expected - amount;
    }
    const actual = balances.get(account) ?? 0n;
    if (expected === actual) continue;
    const id = account.slice(prefix.length);
    const parts = [...new Set(Object.values(movements).map((movement) => movement.label))]
      .filter((label) => amounts.has(label))
      .map((label) => `${label} ${formatYen(amounts.get(label)!)}`);
    const others = unexpected.get(account);
    violations.push(
      violation(
        kind,
        id,
        null,
        expected,
        actual,
        `${what(id)} is ${formatYen(actual)} by its running balance, ${formatYen(expected)} by event type (${parts.join(', ') || 'no postings'})` +
          (others ? `; also posted by ${others.join(', ')}, which ${kind === 'contract' ? 'escrow' : 'a wallet'} never takes` : ''),
      ),
    );
  }
  return { violations };
}

export const escrowReconciles = (rows: LedgerCheckRows) =>
  reconciles(rows, ESCROW_ACCOUNT_PREFIX, 'contract', ESCROW_MOVEMENTS, (id) => `the escrow of contract ${id}`);
export const walletReconciles = (rows: LedgerCheckRows) =>
  reconciles(rows, WALLET_ACCOUNT_PREFIX, 'wallet', WALLET_MOVEMENTS, (id) => `the wallet of account ${id}`);

export function feeRevenueReconciles(rows: LedgerCheckRows): CheckOutcome {
  if (rows.fees === undefined) throw new Error('fee-revenue-reconciles needs the rows of the fees read model');
  const { stated: statedFees, payoutMismatches } = rows.fees;
  const balances = new Map(rows.accounts.map((row) => [row.account, row.balance]));
  const violations: LedgerViolation[] = [];
  const totals: [string, bigint][] = [
    [LEDGER_ACCOUNTS.feeRevenue, statedFees.feeExTax],
    [LEDGER_ACCOUNTS.feeTaxPayable, statedFees.feeTax],
  ];
  for (const [account, stated] of totals) {
    const posted = balances.get(account) ?? 0n;
    if (posted !== stated) {
      violations.push(
        violation(
          'account',
          account,
          null,
          stated,
          posted,
          `${account} holds ${formatYen(posted)}; the payout events state ${formatYen(stated)} in total`,
        ),
      );
    }
  }
  const totalsFound = violations.length;
  const mismatches = payoutMismatches.rows.filter(
    (row) => (row.statedFeeExTax ?? 0n) !== (row.postedFeeExTax ?? 0n) || (row.statedFeeTax ?? 0n) !== (row.postedFeeTax ?? 0n),
  );
  for (const row of mismatches) {
    const stated = (row.statedFeeExTax ?? 0n) + (row.statedFeeTax ?? 0n);
    const posted = (row.postedFeeExTax ?? 0n) + (row.postedFeeTax ?? 0n);
    const described = `fee ${formatYen(row.postedFeeExTax ?? 0n)} + tax ${formatYen(row.postedFeeTax ?? 0n)} posted`;
    violations.push(
      row.contractId === null
        ? violation(
            'transaction',
            String(row.position),
            row.position,
            0n,
            posted,
            `${described} at position ${row.position}, where no payout was recorded`,
          )
        : violation(
            'payout',
            `${row.contractId}/${row.milestoneId}`,
            row.position,
            stated,
            posted,
            `the payout at position ${row.position} states fee ${formatYen(row.statedFeeExTax ?? 0n)} + tax ${formatYen(row.statedFeeTax ?? 0n)}; ${described}`,
          ),
    );
  }
  return { violations, violationCount: totalsFound + Math.max(payoutMismatches.total, mismatches.length) };
}

const CHECKS: Record<LedgerCheckName, (rows: LedgerCheckRows) => CheckOutcome> = {
  'journal-balanced': journalBalanced,
  'running-totals': runningTotals,
  'escrow-non-negative': escrowNonNegative,
  'escrow-reconciles': escrowReconciles,
  'wallet-non-negative': walletNonNegative,
  'wallet-reconciles': walletReconciles,
  'fee-revenue-reconciles': feeRevenueReconciles,
};

/**
 * Every check over the rows, each listing at most `limit` violations; without the fees rows, every check but those
 * that need them (`uncheckedChecksOf` names those).
 */
export function ledgerChecksReport(rows: LedgerCheckRows, limit = MAX_VIOLATIONS_LISTED): LedgerChecksReport {
  const names = LEDGER_CHECK_NAMES.filter((name) => rows.fees !== undefined || !FEES_READ_MODEL_CHECKS.includes(name));
  const checks = names.map((name) => result(name, CHECKS[name](rows), limit));
  return { position: rows.position, passed: checks.every((check) => check.passed), checks };
}

/** The checks a report does not hold (those that need a read model that had not reached its position). */
export const uncheckedChecksOf = (report: LedgerChecksReport): LedgerCheckName[] =>
  LEDGER_CHECK_NAMES.filter((name) => !report.checks.some((check) => check.name === name));

/** The names of the checks that failed, in report order. */
export const failedChecksOf = (report: LedgerChecksReport): LedgerCheckName[] =>
  report.checks.filter((check) => !check.passed).map((check) => check.name);
