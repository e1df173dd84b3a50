export { ACCOUNT_ACTIVITY_PROJECTION, accountActivity, accountActivityProjection } from './account-activity.projection';
export type { AccountActivity } from './account-activity.projection';
