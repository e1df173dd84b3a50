/**
 * The chart of accounts of the ledger. Every account has a normal balance: the side on which it grows.
 * `gateway-clearing` is the only debit-normal account (money the platform received from the payments
 * gateway); every other account records where that money now is or went, and grows by credits. At every
 * position the debit-normal balances therefore equal the credit-normal balances.
 */

export type NormalBalance = 'debit' | 'credit';

export const LEDGER_ACCOUNTS = {
  /** Prepayments received from the payments gateway (client payments in). */
  gatewayClearing: 'gateway-clearing',
  /** Released escrow owed to a wallet until the wallet records the credit (WalletCredited). */
  payableToWallets: 'payable-to-wallets',
  /** System fees, tax-exclusive (システム利用料). */
  feeRevenue: 'fee-revenue',
  /** Consumption tax charged on system fees, owed to the tax office. */
  feeTaxPayable: 'fee-tax-payable',
  /** Withdrawals taken from a wallet and not yet paid, rejected or failed. */
  withdrawalsInProgress: 'withdrawals-in-progress',
  /** What the banks received for paid withdrawals (amount − fees). */
  bankPayouts: 'bank-payouts',
  /** Bank transfer fees and quick-withdrawal fees kept from paid withdrawals. */
  withdrawalFeeRevenue: 'withdrawal-fee-revenue',
  /** Wallet balances that expired unwithdrawn. */
  expiredBalances: 'expired-balances',
  /** Wallet balances below the withdrawal minimum that their owner chose to give up (BalanceForfeited). */
  forfeitedBalances: 'forfeited-balances',
} as const;

export const ESCROW_ACCOUNT_PREFIX = 'escrow:';
export const WALLET_ACCOUNT_PREFIX = 'wallet:';

/** Prepaid escrow of one contract, all milestones together. */
export const escrowAccount = (contractId: string): string => ESCROW_ACCOUNT_PREFIX + contractId;

/** Available balance of one account's wallet (worker earnings, client refunds). */
export const walletAccount = (accountId: string): string => WALLET_ACCOUNT_PREFIX + accountId;

export const normalBalanceOf = (account: string): NormalBalance =>
  account === LEDGER_ACCOUNTS.gatewayClearing ? 'debit' : 'credit';

const FIXED_ACCOUNTS: ReadonlySet<string> = new Set(Object.values(LEDGER_ACCOUNTS));

/** True for a name the ledger can post to: a fixed account or `escrow:{id}` / `wallet:{id}`. */
export const isLedgerAccountName = (account: string): boolean =>
  FIXED_ACCOUNTS.has(account) ||
  ((account.startsWith(ESCROW_ACCOUNT_PREFIX) || account.startsWith(WALLET_ACCOUNT_PREFIX)) && account.indexOf(':') < account.length - 1);
