import type { Decider } from '../shared/decider';
import type { AccountCommand } from './commands';
import { decideAccount } from './decide';
import type { AccountEvent } from './events';
import { AccountState, evolveAccount, initialAccountState } from './state';

export const accountDecider: Decider<AccountCommand, AccountState, AccountEvent> = {
  decide: decideAccount,
  evolve: evolveAccount,
  initialState: initialAccountState,
};
