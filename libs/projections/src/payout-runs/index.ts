export { PAYOUT_ITEM_STATES, PAYOUT_RUNS_PROJECTION, payoutRunsProjection } from './payout-runs.projection';
export type { PayoutItemState } from './payout-runs.projection';
export { PAYOUT_RUN_STATES, payoutRun, payoutRunItem, payoutRunItems, payoutRuns } from './payout-runs.queries';
export type { PayoutRun, PayoutRunFilter, PayoutRunItem, PayoutRunState, PayoutStateTotal } from './payout-runs.queries';
