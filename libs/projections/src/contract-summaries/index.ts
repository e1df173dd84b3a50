export * from './contract-summaries.projection';
export * from './contract-summaries.queries';
