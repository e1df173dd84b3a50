import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Command, CommandContext } from '../http/command-context';
import { CommandHeaders } from '../http/openapi-decorators';
import { MIN_POSITION_HEADER, MIN_POSITION_QUERY, takeMinPosition } from '../projections/min-position.interceptor';
import { ExpireBalancesDto } from './wallet.dto';
import { ExpireBalancesCommand, GetWalletQuery } from './wallet-handlers';

@ApiTags('wallets')
@Controller('v1/accounts/:accountId/wallet')
export class WalletsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Get()
  @Access.account('accountId')
  @ApiOperation({
    summary: 'Wallet balances: available, pending (held by withdrawals), expiring within 30 days, lots oldest first',
    description:
      "Credits are made by the credit process shortly after a payout or refund; pass that event's position as minPosition to see it.",
  })
  @ApiQuery({
    name: MIN_POSITION_QUERY,
    required: false,
    description: 'Wait (up to 5 s) until the credits of every payout and refund up to this global position are in',
  })
  @ApiHeader({ name: MIN_POSITION_HEADER, required: false, description: `Same as the ${MIN_POSITION_QUERY} query parameter` })
  wallet(@Param('accountId') accountId: string, @Req() request: FastifyRequest) {
    return this.queries.execute(new GetWalletQuery(accountId, takeMinPosition(request) ?? 0, new Date().toISOString()));
  }

  @Post('expire')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: 'Expire balances older than 180 days', description: "Actor role: system (the platform's expiry job)." })
  expire(@Param('accountId') accountId: string, @Body() body: ExpireBalancesDto, @Command() context: CommandContext) {
    return this.commands.execute(new ExpireBalancesCommand(accountId, body.asOf, context));
  }
}
