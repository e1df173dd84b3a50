export * from './chart-of-accounts';
export * from './postings';
export * from './ledger.projection';
export * from './ledger.queries';
export * from './ledger-check-rows';
export * from './ledger-checks';
export * from './ledger-checks.queries';
