import { Global, Module } from '@nestjs/common';
import { AccountIndexes } from './account-indexes';
import { LegacyIndexBackfill } from './legacy-index-backfill';

/** The index streams commands decide from, shared by the contract, account and withdrawal handlers. */
@Global()
@Module({ providers: [AccountIndexes, LegacyIndexBackfill], exports: [AccountIndexes, LegacyIndexBackfill] })
export class AccountIndexesModule {}
