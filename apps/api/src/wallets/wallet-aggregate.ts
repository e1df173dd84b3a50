import { WALLET_EVENT_SCHEMA_VERSIONS, WalletCommand, WalletEvent, WalletState, walletDecider } from '@escrow/domain/wallet';
import { AggregateDefinition, currentShape } from '../commands/aggregate';

/** One stream per account: `wallet-{accountId}`. */
export const walletAggregate: AggregateDefinition<WalletCommand, WalletState, WalletEvent> = {
  name: 'wallet',
  decider: walletDecider,
  schemaVersions: WALLET_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};
