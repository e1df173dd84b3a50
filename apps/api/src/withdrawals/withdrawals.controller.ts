import { Body, Controller, Get, Param, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UntypedReadResponses } from '../http/openapi/operation-responses';
import { LimitQuery } from '../http/openapi/query-parameters';
import { WALLET_REVIEW_QUEUE_PROJECTION } from '@escrow/projections/wallet-review-queue';
import { Command, CommandContext } from '../http/command-context';
import { BusController } from '../http/bus-controller';
import { CommandRoute } from '../http/decorators';
import { WithdrawalResponseSchema } from '../wallets/wallet.responses';
import { badRequest } from '../http/problem';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { RequestWithdrawalDto, ReviewReasonDto, TransferFailedDto, TransferPaidDto } from './withdrawal.dto';
import { ActOnWithdrawalCommand, GetReviewQueueQuery, RequestWithdrawalCommand, WithdrawalAction, WithdrawalResponse } from './withdrawal-handlers';

const MAX_QUEUE_PAGE = 500;

@ApiTags('withdrawals')
@Controller('v1')
export class WithdrawalsController extends BusController {
  private act(withdrawalId: string, action: WithdrawalAction, context: CommandContext): Promise<WithdrawalResponse> {
    return this.commands.execute(new ActOnWithdrawalCommand(withdrawalId, action, context));
  }

  @CommandRoute('accounts/:accountId/withdrawals', 201, WithdrawalResponseSchema, {
    summary: 'Request a withdrawal (出金) to a registered bank account',
    description:
      'Actor: the account owner. Screened on request: `scheduled` when no review reason applies, otherwise `in_review` with every reason. ' +
      'Refused with 409 INSUFFICIENT_BALANCE beyond the available balance.',
  })
  request(@Param('accountId') accountId: string, @Body() body: RequestWithdrawalDto, @Command() context: CommandContext): Promise<WithdrawalResponse> {
    const { amount, mode, bankAccountId } = body;
    return this.commands.execute(new RequestWithdrawalCommand(accountId, { amount, mode, bankAccountId }, context));
  }

  @Get('withdrawals/review-queue')
  @Access.staff()
  @ApiOperation({ summary: 'Open flagged withdrawals (出金審査), oldest first, with reasons, amount and age' })
  @AwaitsProjections(WALLET_REVIEW_QUEUE_PROJECTION)
  @UntypedReadResponses()
  @LimitQuery(MAX_QUEUE_PAGE, 100)
  reviewQueue(@Query('limit') limit = '100') {
    if (!/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_QUEUE_PAGE) {
      throw badRequest([{ field: 'limit', rule: 'range', message: `limit must be an integer from 1 to ${MAX_QUEUE_PAGE}` }]);
    }
    return this.queries.execute(new GetReviewQueueQuery(Number(limit), new Date().toISOString()));
  }

  @CommandRoute('withdrawals/:withdrawalId/approve', 200, WithdrawalResponseSchema, { summary: 'Approve a withdrawal in review', description: 'Actor role: support. It becomes scheduled; the money stays held until the transfer is reported.' })
  approve(@Param('withdrawalId') withdrawalId: string, @Body() body: ReviewReasonDto, @Command() context: CommandContext): Promise<WithdrawalResponse> {
    return this.act(withdrawalId, { type: 'ApproveWithdrawal', reason: body.reason }, context);
  }

  @CommandRoute('withdrawals/:withdrawalId/reject', 200, WithdrawalResponseSchema, { summary: 'Reject a withdrawal in review', description: 'Actor role: support. The amount returns to the available balance.' })
  reject(@Param('withdrawalId') withdrawalId: string, @Body() body: ReviewReasonDto, @Command() context: CommandContext): Promise<WithdrawalResponse> {
    return this.act(withdrawalId, { type: 'RejectWithdrawal', reason: body.reason }, context);
  }

  @CommandRoute('withdrawals/:withdrawalId/request-info', 200, WithdrawalResponseSchema, { summary: 'Ask the owner for more information', description: 'Actor role: support. The withdrawal stays in review.' })
  requestInfo(@Param('withdrawalId') withdrawalId: string, @Body() body: ReviewReasonDto, @Command() context: CommandContext): Promise<WithdrawalResponse> {
    return this.act(withdrawalId, { type: 'RequestWithdrawalInfo', reason: body.reason }, context);
  }

  @CommandRoute('withdrawals/:withdrawalId/paid', 200, WithdrawalResponseSchema, { summary: 'Report the bank transfer made', description: 'Actor role: system (payments gateway). The held amount leaves the wallet.' })
  paid(@Param('withdrawalId') withdrawalId: string, @Body() body: TransferPaidDto, @Command() context: CommandContext): Promise<WithdrawalResponse> {
    return this.act(withdrawalId, { type: 'MarkWithdrawalPaid', ...(body.transferReference !== undefined ? { transferReference: body.transferReference } : {}) }, context);
  }

  @CommandRoute('withdrawals/:withdrawalId/failed', 200, WithdrawalResponseSchema, { summary: 'Report the bank transfer failed', description: 'Actor role: system (payments gateway). The amount returns to the available balance.' })
  failed(@Param('withdrawalId') withdrawalId: string, @Body() body: TransferFailedDto, @Command() context: CommandContext): Promise<WithdrawalResponse> {
    return this.act(withdrawalId, { type: 'MarkWithdrawalFailed', reason: body.reason }, context);
  }
}
