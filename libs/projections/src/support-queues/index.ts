export { SUPPORT_QUEUES_PROJECTION, supportQueuesProjection } from './support-queues.projection';
export * from './support-queues.queries';
