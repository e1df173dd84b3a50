export * from './fees.projection';
export * from './fees.queries';
