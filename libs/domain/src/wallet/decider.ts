import type { Decider } from '../shared/decider';
import type { WalletCommand } from './commands';
import { decideWalletWith } from './decide';
import type { WalletEvent } from './events';
import { WalletState, evolveWallet, initialWalletState } from './state';
import { DEFAULT_WITHDRAWAL_FEE_POLICY, WithdrawalFeePolicy } from './withdrawal-fees';

/** The wallet aggregate under a withdrawal fee policy (a deployment with other bank fees or another minimum). */
export const walletDeciderWith = (feePolicy: WithdrawalFeePolicy): Decider<WalletCommand, WalletState, WalletEvent> => ({
  decide: decideWalletWith(feePolicy),
  evolve: evolveWallet,
  initialState: initialWalletState,
});

/** The wallet aggregate under the default withdrawal fee policy. */
export const walletDecider: Decider<WalletCommand, WalletState, WalletEvent> = walletDeciderWith(DEFAULT_WITHDRAWAL_FEE_POLICY);
