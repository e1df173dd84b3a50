export { WITHDRAWALS_PROJECTION, findWithdrawal, withdrawalsOfAccount, withdrawalsProjection } from './withdrawals.projection';
export type { WithdrawalRow } from './withdrawals.projection';
