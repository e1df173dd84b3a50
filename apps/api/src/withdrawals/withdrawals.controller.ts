import { Body, Controller, Get, Param, Query } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { WALLET_REVIEW_QUEUE_PROJECTION } from '@escrow/projections/wallet-review-queue';
import { Command, CommandContext } from '../http/command-context';
import { BusController } from '../http/bus-controller';
import { CommandRoute } from '../http/decorators';
import { positionCursor } from '../http/list-cursor';
import { ListPage, PAGE_PARAMETERS, pageOf, readPage } from '../http/list-page';
import { ListResponses, PageParameters } from '../http/openapi/operation-responses';
import { AwaitsProjections } from '../projections/min-position.interceptor';
import { ReadQuery } from '../projections/read-query';
import { ReviewQueueItemSchema } from './review-queue.responses';
import { InfoAnswerDto, RequestWithdrawalDto, ReviewReasonDto, TransferFailedDto, TransferPaidDto } from './withdrawal.dto';
import { QueryResponses } from '../http/openapi/operation-responses';
import { WithdrawalResponseSchema } from '../wallets/wallet.responses';
import {
  ActOnWithdrawalCommand,
  GetReviewQueueQuery,
  GetWithdrawalQuery,
  RequestWithdrawalCommand,
  ReviewQueueItem,
  WithdrawalAction,
  WithdrawalResponse,
} from './withdrawal-handlers';

export const REVIEW_QUEUE_PAGE = { default: 100, max: 500 };
/** The queue is in the order of the requests' global positions: fixed, and later requests come after. */
const REVIEW_QUEUE_CURSOR = positionCursor('review-queue');

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
  @PageParameters(REVIEW_QUEUE_PAGE)
  @ListResponses(ReviewQueueItemSchema)
  async reviewQueue(@Query() query: Record<string, unknown>, @Command() context: CommandContext): Promise<ListPage<ReviewQueueItem>> {
    const read = new ReadQuery(query, PAGE_PARAMETERS);
    const page = readPage(query, read, REVIEW_QUEUE_CURSOR, REVIEW_QUEUE_PAGE);
    read.done();
    const items: ReviewQueueItem[] = await this.queries.execute(new GetReviewQueueQuery(page.after ?? 0, page.limit + 1, context.at));
    return pageOf(items, page.limit, REVIEW_QUEUE_CURSOR, (item) => item.requestedPosition);
  }

  @Get('withdrawals/:withdrawalId')
  // Every authenticated caller reaches the query, which lets only the withdrawal's owner and staff read it.
  @Access.authenticated()
  @ApiOperation({ summary: 'A withdrawal (出金): its status, fees, payout date, review reasons and steps', description: 'Readable by the account owner and staff; another user is refused with 403 NOT_A_PARTY.' })
  @QueryResponses(WithdrawalResponseSchema)
  withdrawal(@Param('withdrawalId') withdrawalId: string, @Command() context: CommandContext) {
    return this.queries.execute(new GetWithdrawalQuery(withdrawalId, context.actor));
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

  @CommandRoute('withdrawals/:withdrawalId/provide-info', 200, WithdrawalResponseSchema, {
    summary: 'Answer support\'s request for information on a withdrawal in review',
    description:
      'Actor: the account owner. Once per request for information; the withdrawal stays in review for support to approve or reject. ' +
      'Refused with 409 WITHDRAWAL_INFO_NOT_REQUESTED when support asked nothing, WITHDRAWAL_INFO_ALREADY_PROVIDED when the latest request was answered, ' +
      'WITHDRAWAL_NOT_IN_REVIEW once it left review.',
  })
  provideInfo(@Param('withdrawalId') withdrawalId: string, @Body() body: InfoAnswerDto, @Command() context: CommandContext): Promise<WithdrawalResponse> {
    return this.act(withdrawalId, { type: 'AnswerWithdrawalInfoRequest', answer: body.answer }, context);
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
