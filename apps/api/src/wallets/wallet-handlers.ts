import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { WalletState, WalletView, initialWalletState, walletStreamId, walletView } from '@escrow/domain/wallet';
import { CommandExecutor } from '../commands/command-executor';
import type { CommandContext } from '../http/command-context';
import { walletAggregate } from './wallet-aggregate';
import { WalletReadModels } from './wallet-read-models';

export type WalletResponse = Omit<WalletView, 'accountId'> & {
  accountId: string;
  /** Stream revision of the wallet (-1 while it has no event). */
  revision: number;
  /** Global position of the wallet's last event (0 while it has none). */
  position: number;
};

export function walletResponse(accountId: string, state: WalletState, asOf: string, revision: number, position: number): WalletResponse {
  return { ...walletView(state, asOf), accountId, revision, position };
}

export class GetWalletQuery {
  constructor(
    readonly accountId: string,
    /** Answer only once the credits of every payout and refund up to this global position are in. */
    readonly minPosition: number,
    readonly asOf: string,
  ) {}
}

/** Every account has a wallet: one with no event yet is empty. */
@QueryHandler(GetWalletQuery)
export class GetWalletQueryHandler implements IQueryHandler<GetWalletQuery, WalletResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(WalletReadModels) private readonly readModels: WalletReadModels,
  ) {}

  async execute({ accountId, minPosition, asOf }: GetWalletQuery): Promise<WalletResponse> {
    await this.readModels.creditsAt(minPosition);
    const wallet = await this.executor.read(walletAggregate, walletStreamId(accountId));
    if (!wallet) return walletResponse(accountId, initialWalletState(), asOf, -1, 0);
    return walletResponse(accountId, wallet.state, asOf, wallet.revision, wallet.position);
  }
}

export class ExpireBalancesCommand {
  constructor(
    readonly accountId: string,
    /** Expire what is due at this instant; the command's time when omitted. */
    readonly asOf: string | undefined,
    readonly context: CommandContext,
  ) {}
}

export type ExpireBalancesResponse = WalletResponse & { expiredNow: number };

@CommandHandler(ExpireBalancesCommand)
export class ExpireBalancesCommandHandler implements ICommandHandler<ExpireBalancesCommand, ExpireBalancesResponse> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ accountId, asOf, context }: ExpireBalancesCommand): Promise<ExpireBalancesResponse> {
    const outcome = await this.executor.execute(
      walletAggregate,
      walletStreamId(accountId),
      { type: 'ExpireBalances', accountId, actor: context.actor, at: context.at, asOf: asOf ?? context.at },
      context,
    );
    // One ExpireBalances appends at most one BalanceExpired, which carries the total of its lots.
    const expired = outcome.appended.find((event) => event.type === 'BalanceExpired');
    const expiredNow = expired ? (expired.data as { amount: number }).amount : 0;
    return { ...walletResponse(accountId, outcome.state, context.at, outcome.revision, outcome.position), expiredNow };
  }
}

export class ForfeitBalanceCommand {
  constructor(
    readonly accountId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

export type ForfeitBalanceResponse = WalletResponse & { forfeitedNow: number };

/** The owner (or support) gives up a balance below the withdrawal minimum; the wallet decides. */
@CommandHandler(ForfeitBalanceCommand)
export class ForfeitBalanceCommandHandler implements ICommandHandler<ForfeitBalanceCommand, ForfeitBalanceResponse> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ accountId, reason, context }: ForfeitBalanceCommand): Promise<ForfeitBalanceResponse> {
    const outcome = await this.executor.execute(
      walletAggregate,
      walletStreamId(accountId),
      { type: 'ForfeitBalance', accountId, actor: context.actor, at: context.at, reason },
      context,
    );
    const forfeited = outcome.appended.find((event) => event.type === 'BalanceForfeited');
    const forfeitedNow = forfeited ? (forfeited.data as { amount: number }).amount : 0;
    return { ...walletResponse(accountId, outcome.state, context.at, outcome.revision, outcome.position), forfeitedNow };
  }
}
