import { ACCOUNT_EVENT_SCHEMA_VERSIONS, AccountCommand, AccountEvent, AccountState, accountDecider } from '@escrow/domain/account';
import { AggregateDefinition, currentShape } from '../commands/aggregate';

/** One stream per account: `account-{accountId}`. */
export const accountAggregate: AggregateDefinition<AccountCommand, AccountState, AccountEvent> = {
  name: 'account',
  decider: accountDecider,
  schemaVersions: ACCOUNT_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};
