import { accountActivityProjection } from './account-activity/account-activity.projection';
import { bankAccountsProjection } from './bank-accounts/bank-accounts.projection';
import { completionRatesProjection } from './completion-rates/completion-rates.projection';
import { contractSummariesProjection } from './contract-summaries/contract-summaries.projection';
import { feesProjection } from './fees/fees.projection';
import { ledgerProjection } from './ledger/ledger.projection';
import { payoutRunsProjection } from './payout-runs/payout-runs.projection';
import type { Projection } from './projection';
import { supportQueuesProjection } from './support-queues/support-queues.projection';
import { timersProjection } from './timers/timers.projection';
import { walletReviewQueueProjection } from './wallet-review-queue/review-queue.projection';
import { withdrawalsProjection } from './withdrawals/withdrawals.projection';

/**
 * Every projection the service runs, and the rebuild tool rebuilds. A new read model is added here and
 * nowhere else.
 */
export const PROJECTIONS: readonly Projection[] = [
  ledgerProjection,
  feesProjection,
  contractSummariesProjection,
  completionRatesProjection,
  bankAccountsProjection,
  withdrawalsProjection,
  walletReviewQueueProjection,
  payoutRunsProjection,
  accountActivityProjection,
  timersProjection,
  supportQueuesProjection,
];

export const PROJECTION_NAMES: readonly string[] = PROJECTIONS.map((projection) => projection.name);
