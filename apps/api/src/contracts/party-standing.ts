import { ContractCommand, ContractState } from '@escrow/domain/contract';
import { closedAccountsAmong } from '../accounts/closed-accounts';
import { CommandExecutor } from '../commands/command-executor';

/** The commands that start or fund a contract, which a closed party may not take part in. */
type PartyCommand = Extract<ContractCommand, { type: 'OfferContract' | 'AcceptOffer' | 'FundMilestone' }>;

const isPartyCommand = (command: ContractCommand): command is PartyCommand =>
  command.type === 'OfferContract' || command.type === 'AcceptOffer' || command.type === 'FundMilestone';

/**
 * Reads the parties' account streams and names the closed ones in the command, for the contract decider to
 * judge (a command decides from the streams it reads, never from a read model). An offer names its parties;
 * acceptance and funding take them from the contract, whose parties never change after the offer.
 */
export async function withPartyStanding(
  executor: CommandExecutor,
  command: ContractCommand,
  contract: () => Promise<ContractState | undefined>,
): Promise<ContractCommand> {
  if (!isPartyCommand(command)) return command;
  let parties: unknown[];
  if (command.type === 'OfferContract') {
    parties = [command.clientId, command.workerId];
  } else {
    const state = await contract();
    // No contract: the decider refuses with CONTRACT_NOT_FOUND before any account matters.
    if (!state) return command;
    parties = [state.clientId, state.workerId];
  }
  return { ...command, closedAccounts: await closedAccountsAmong(executor, parties) };
}
