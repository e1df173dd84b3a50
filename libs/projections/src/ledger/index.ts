export * from './chart-of-accounts';
export * from './postings';
export * from './ledger.projection';
export * from './ledger.queries';
