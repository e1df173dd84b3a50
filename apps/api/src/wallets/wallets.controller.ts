import { Body, Controller, Get, Param, Req } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Command, CommandContext, commandContextOf } from '../http/command-context';
import { BusController } from '../http/bus-controller';
import { CommandRoute } from '../http/decorators';
import { QueryResponses } from '../http/openapi/operation-responses';
import { AutomaticWithdrawalResponseSchema, ExpireBalancesResponseSchema, ForfeitBalanceResponseSchema, WalletResponseSchema } from './wallet.responses';
import { MIN_POSITION_HEADER, MIN_POSITION_QUERY, MIN_POSITION_SCHEMA, takeMinPosition } from '../projections/min-position.interceptor';
import type { TakeFromBalanceResponse, WalletResponse } from './wallet-handlers';
import { ChooseWithdrawalModeDto, ExpireBalancesDto, ForfeitBalanceDto, RequestAutomaticWithdrawalDto } from './wallet.dto';
import { AutomaticWithdrawalResponse, RequestAutomaticWithdrawalCommand } from '../withdrawals/automatic-withdrawal-handler';
import { ChooseWithdrawalModeCommand, GetWalletQuery, TakeFromBalanceCommand } from './wallet-handlers';

@ApiTags('wallets')
@Controller('v1/accounts/:accountId/wallet')
export class WalletsController extends BusController {
  @Get()
  @Access.account('accountId')
  @ApiOperation({
    summary: 'Wallet balances: available, pending (held by withdrawals), expiring within 30 days, lots oldest first',
    description:
      "Credits are made by the credit process shortly after a payout or refund; pass that event's position as minPosition to see it.",
  })
  @QueryResponses(WalletResponseSchema)
  @ApiQuery({
    name: MIN_POSITION_QUERY,
    required: false,
    schema: MIN_POSITION_SCHEMA,
    description: 'Wait (up to 5 s) until the credits of every payout and refund up to this global position are in',
  })
  @ApiHeader({ name: MIN_POSITION_HEADER, required: false, description: `Same as the ${MIN_POSITION_QUERY} query parameter` })
  wallet(@Param('accountId') accountId: string, @Req() request: FastifyRequest): Promise<WalletResponse> {
    return this.queries.execute(new GetWalletQuery(accountId, takeMinPosition(request) ?? 0, commandContextOf(request).at));
  }

  @CommandRoute('expire', 200, ExpireBalancesResponseSchema, { summary: 'Expire balances older than 180 days', description: "Actor role: system (the platform's expiry job)." })
  expire(@Param('accountId') accountId: string, @Body() body: ExpireBalancesDto, @Command() context: CommandContext): Promise<TakeFromBalanceResponse<'ExpireBalances'>> {
    return this.commands.execute(
      new TakeFromBalanceCommand({ type: 'ExpireBalances', accountId, actor: context.actor, at: context.at, asOf: body.asOf ?? context.at }, context),
    );
  }

  @CommandRoute('forfeit', 200, ForfeitBalanceResponseSchema, {
    summary: 'Forfeit a balance below the withdrawal minimum',
    description:
      'Actor: the account owner, or support with the owner\'s request on record (role user with X-Actor-Id = the account, or role support). ' +
      'Gives up the whole available balance when it is below the ¥1,000 withdrawal minimum (any balance once the account is closed); ' +
      'the other way out is one final withdrawal of all of it. Recorded as BalanceForfeited and booked to the ledger account forfeited-balances. ' +
      'Refused with 409 BALANCE_WITHDRAWABLE at or above the minimum and 409 NOTHING_TO_FORFEIT on an empty balance.',
  })
  forfeit(@Param('accountId') accountId: string, @Body() body: ForfeitBalanceDto, @Command() context: CommandContext): Promise<TakeFromBalanceResponse<'ForfeitBalance'>> {
    return this.commands.execute(new TakeFromBalanceCommand({ type: 'ForfeitBalance', accountId, actor: context.actor, at: context.at, reason: body.reason }, context));
  }

  @CommandRoute('withdrawal-mode', 200, WalletResponseSchema, {
    summary: 'Choose the withdrawal mode: how the balance leaves at each standard withdrawal cut-off',
    description:
      "Actor: the account owner, or support on the owner's behalf. `on_cutoff` (随時出金, the default): all of the balance from ¥1,000; " +
      '`over_50000` (50,000円以上出金): all of it from ¥50,000; `carry_over` (キャリーオーバー): never automatically. ' +
      'Recorded as WithdrawalModeChosen; choosing the mode in force again records nothing. Answers the wallet.',
  })
  chooseWithdrawalMode(@Param('accountId') accountId: string, @Body() body: ChooseWithdrawalModeDto, @Command() context: CommandContext): Promise<WalletResponse> {
    return this.commands.execute(
      new ChooseWithdrawalModeCommand({ type: 'ChooseWithdrawalMode', accountId, actor: context.actor, at: context.at, mode: body.mode }, context),
    );
  }

  @CommandRoute('automatic-withdrawal', 200, AutomaticWithdrawalResponseSchema, {
    summary: "Apply the account's withdrawal mode at a cut-off",
    description:
      "Actor role: system (the cut-off scheduler, or an operator). When the balance at the cut-off meets the mode's threshold, requests a " +
      "standard withdrawal of all of it to the bank account registered last, screened and charged as any withdrawal, paid on the cut-off's " +
      'payout date; otherwise records nothing. The withdrawal id is `automatic-{cutoff}-{accountId}`: a repeat answers already_requested. ' +
      'Refused with 400 NOT_A_WITHDRAWAL_CUTOFF for a date that is not a 15th or a month end and 409 CUTOFF_NOT_REACHED before the cut-off.',
  })
  automaticWithdrawal(
    @Param('accountId') accountId: string,
    @Body() body: RequestAutomaticWithdrawalDto,
    @Command() context: CommandContext,
  ): Promise<AutomaticWithdrawalResponse> {
    return this.commands.execute(new RequestAutomaticWithdrawalCommand(accountId, body.cutoff, context));
  }
}
