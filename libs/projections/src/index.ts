export * from './projection';
export * from './runtime';
export * from './registry';
export * from './ledger';
export * from './fees';
export * from './contract-summaries';
export * from './completion-rates';
