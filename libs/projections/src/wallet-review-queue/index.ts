export { WALLET_REVIEW_QUEUE_PROJECTION, reviewQueue, walletReviewQueueProjection } from './review-queue.projection';
export type { ReviewQueueEntry } from './review-queue.projection';
