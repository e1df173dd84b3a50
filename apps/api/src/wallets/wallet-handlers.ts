import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ChooseWithdrawalMode, ExpireBalances, ForfeitBalance, WalletState, WalletView, initialWalletState, walletStreamId, walletView } from '@escrow/domain/wallet';
import { CommandExecutor, CommandOutcome } from '../commands/command-executor';
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

/** A wallet stream folded up to its last event. */
type FoldedWallet = Pick<CommandOutcome<WalletState>, 'state' | 'revision' | 'position'>;

/** Every account has a wallet: one with no event yet is empty. */
const NO_WALLET_EVENTS_YET: FoldedWallet = { state: initialWalletState(), revision: -1, position: 0 };

export function walletResponse(accountId: string, { state, revision, position }: FoldedWallet, asOf: string): WalletResponse {
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

@QueryHandler(GetWalletQuery)
export class GetWalletQueryHandler implements IQueryHandler<GetWalletQuery, WalletResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(WalletReadModels) private readonly readModels: WalletReadModels,
  ) {}

  async execute({ accountId, minPosition, asOf }: GetWalletQuery): Promise<WalletResponse> {
    await this.readModels.creditsAt(minPosition);
    const wallet = await this.executor.read(walletAggregate, walletStreamId(accountId));
    return walletResponse(accountId, wallet ?? NO_WALLET_EVENTS_YET, asOf);
  }
}

/** The commands that take from a wallet's balance, and the event each records it with, named in the answer. */
const TAKEN_NOW = {
  ExpireBalances: { event: 'BalanceExpired', answeredAs: 'expiredNow' },
  ForfeitBalance: { event: 'BalanceForfeited', answeredAs: 'forfeitedNow' },
} as const;

export class TakeFromBalanceCommand {
  constructor(
    readonly command: ExpireBalances | ForfeitBalance,
    readonly context: CommandContext,
  ) {}
}

type TakingCommand = keyof typeof TAKEN_NOW;

/** The wallet after the command, with the amount it took now (0 when it took nothing) as `expiredNow` or `forfeitedNow`. */
export type TakeFromBalanceResponse<Type extends TakingCommand> = WalletResponse & { [Name in (typeof TAKEN_NOW)[Type]['answeredAs']]: number };

type AnyTakeFromBalanceResponse = TakeFromBalanceResponse<'ExpireBalances'> | TakeFromBalanceResponse<'ForfeitBalance'>;

/**
 * Expiry of balances older than 180 days (the platform's job) and the forfeit of a balance below the withdrawal
 * minimum (the owner, or support): the wallet decides; either appends at most one event, which carries the total
 * of its lots.
 */
@CommandHandler(TakeFromBalanceCommand)
export class TakeFromBalanceCommandHandler implements ICommandHandler<TakeFromBalanceCommand, AnyTakeFromBalanceResponse> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ command, context }: TakeFromBalanceCommand): Promise<AnyTakeFromBalanceResponse> {
    const outcome = await this.executor.execute(walletAggregate, walletStreamId(command.accountId), command, context);
    const taken = outcome.appended.find((appended) => appended.type === TAKEN_NOW[command.type].event);
    const amount = taken ? (taken.data as { amount: number }).amount : 0;
    const wallet = walletResponse(command.accountId, outcome, context.at);
    return command.type === 'ExpireBalances' ? { ...wallet, expiredNow: amount } : { ...wallet, forfeitedNow: amount };
  }
}

export class ChooseWithdrawalModeCommand {
  constructor(
    readonly command: ChooseWithdrawalMode,
    readonly context: CommandContext,
  ) {}
}

/** The owner (or support) chooses the withdrawal mode; the answer is the wallet, showing the mode in force. */
@CommandHandler(ChooseWithdrawalModeCommand)
export class ChooseWithdrawalModeCommandHandler implements ICommandHandler<ChooseWithdrawalModeCommand, WalletResponse> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ command, context }: ChooseWithdrawalModeCommand): Promise<WalletResponse> {
    const outcome = await this.executor.execute(walletAggregate, walletStreamId(command.accountId), command, context);
    return walletResponse(command.accountId, outcome, context.at);
  }
}
