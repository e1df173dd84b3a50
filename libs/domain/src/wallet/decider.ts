import type { Decider } from '../shared/decider';
import type { WalletCommand } from './commands';
import { decideWallet } from './decide';
import type { WalletEvent } from './events';
import { WalletState, evolveWallet, initialWalletState } from './state';

/** The wallet aggregate with the default withdrawal fee policy; call decideWallet for another policy. */
export const walletDecider: Decider<WalletCommand, WalletState, WalletEvent> = {
  decide: (command, state) => decideWallet(command, state),
  evolve: evolveWallet,
  initialState: initialWalletState,
};
