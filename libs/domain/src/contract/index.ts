import type { Decider } from '../shared/decider';
import type { ContractCommand } from './commands';
import { decideContract } from './decide';
import type { ContractEvent } from './events';
import { evolveContract } from './evolve';
import { type ContractState, initialContractState } from './state';

export * from './commands';
export * from './events';
export * from './view';
export * from './money-sheet';
export * from './state-diff';
export { contractStreamId, CONTRACT_STREAM_PREFIX } from './stream';
export { type EventUpcaster, type UpcasterRegistry, CONTRACT_EVENT_UPCASTERS, upcastContractEvent } from './upcast';
export {
  type ContractState,
  type MilestoneState,
  type MilestoneProgress,
  type MilestoneClosure,
  initialContractState,
  escrowBalanceOf,
  fundingDueOf,
} from './state';
export { decideContract } from './decide';
export { evolveContract } from './evolve';
export { SUPPORT_INSPECTION_GRACE_MS } from './decide/escrow';
export {
  type ContractFact,
  type FastCompletionRuleOut,
  type WalletCreditPlan,
  FAST_COMPLETION_WINDOW_MS,
  fastCompletionRuledOutBy,
  walletCreditFor,
} from './credit-flags';
export { MAX_MILESTONES, MIN_MILESTONES, MAX_MILESTONE_AMOUNT, type FieldError } from './validation';

export const contractDecider: Decider<ContractCommand, ContractState, ContractEvent> = {
  decide: decideContract,
  evolve: evolveContract,
  initialState: initialContractState,
};
