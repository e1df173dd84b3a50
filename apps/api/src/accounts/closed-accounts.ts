import { accountStreamId } from '@escrow/domain/account';
import { CommandExecutor } from '../commands/command-executor';
import { accountAggregate } from './account-aggregate';

const isAccountId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= 128;

/**
 * The accounts among `ids` whose own streams show them closed, each once: what a command names for its decider to judge
 * (a closed account takes part in nothing new), read from the account streams, never from a read model. Anything that
 * is not an account id is left for the decider's own validation.
 */
export async function closedAccountsAmong(executor: CommandExecutor, ids: readonly unknown[]): Promise<string[]> {
  const closed: string[] = [];
  for (const accountId of new Set(ids.filter(isAccountId))) {
    const account = await executor.read(accountAggregate, accountStreamId(accountId));
    if (account?.state.closed) closed.push(accountId);
  }
  return closed;
}
