export * from './account-contracts';
export * from './bank-account-holders';
export * from './index-backfill';
export * from './withdrawal-address';
