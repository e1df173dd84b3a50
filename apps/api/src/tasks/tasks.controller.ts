import { Body, Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { evolveTask, initialTaskState, mayReadTaskHistory, type TaskCommand, type TaskEvent, type TaskView, taskStreamId, taskView } from '@escrow/domain/task';
import { MAX_INSTANT_LENGTH } from '@escrow/domain/shared/limits';
import type { FormatFold, FormatHistory } from '@escrow/projections/format-history/format-history';
import { Access } from '../auth/access-policy';
import { CommandExecutor } from '../commands/command-executor';
import { newIdFor } from '../commands/envelope';
import { EmptyDto, OptionalReasonDto, ReasonDto } from '../contracts/contract.dto';
import { readFormatHistory } from '../formats/format-history';
import { FormatHistorySchema } from '../formats/format-history.responses';
import { BusController } from '../http/bus-controller';
import { Command, CommandContext } from '../http/command-context';
import { CommandRoute } from '../http/decorators';
import { QueryResponses } from '../http/openapi/operation-responses';
import { ProblemError } from '../http/problem';
import { ExecuteTaskCommand, GetTaskQuery, TaskResponse, taskAggregate, taskNotFound } from './task-commands';
import { PostTaskDto, SubmitTaskWorkDto } from './task.dto';
import { TaskResponseSchema } from './task.responses';

/** asOf: a stream revision or an instant (checked in full by the history). */
const REVISION_OR_INSTANT = '^([0-9]{1,15}|[0-9]{4}-[0-9]{2}-[0-9]{2}(T.+)?)$';

export const TASK_FOLD: FormatFold<ReturnType<typeof initialTaskState>, TaskView> = {
  format: 'task',
  initialState: initialTaskState,
  evolve: (state, event) => evolveTask(state, event as TaskEvent),
  view: taskView,
};

const base = (taskId: string, context: CommandContext) => ({ taskId, actor: context.actor, at: context.at });

@ApiTags('tasks')
@Controller('v1/tasks')
export class TasksController extends BusController {
  constructor(
    @Inject(CommandBus) commands: CommandBus,
    @Inject(QueryBus) queries: QueryBus,
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
  ) {
    super(commands, queries);
  }

  private run(command: TaskCommand, context: CommandContext): Promise<TaskResponse> {
    return this.commands.execute(new ExecuteTaskCommand(command, context));
  }

  @CommandRoute('/', 201, TaskResponseSchema, {
    summary: 'Post a task (タスク形式) and prepay unit price × slots',
    description: 'Actor: the client. unitPrice is tax-inclusive, at least ¥5; the prepayment names its gateway payment, which funds nothing else.',
  })
  post(@Body() body: PostTaskDto, @Command() context: CommandContext): Promise<TaskResponse> {
    return this.run({ type: 'PostTask', ...base(newIdFor(context, 'task'), context), ...body }, context);
  }

  @CommandRoute(':taskId/submissions', 201, TaskResponseSchema, {
    summary: 'Submit work into an open slot of the task',
    description: 'Actor: a worker (not the task\'s client), until the application deadline; the answer names the new submission last in submissions.',
  })
  submit(@Param('taskId') taskId: string, @Body() body: SubmitTaskWorkDto, @Command() context: CommandContext): Promise<TaskResponse> {
    return this.run({ type: 'SubmitTaskWork', ...base(taskId, context), submissionId: newIdFor(context, 'submission'), ...body }, context);
  }

  @CommandRoute(':taskId/submissions/:submissionId/approve', 200, TaskResponseSchema, {
    summary: 'Approve a submission; it is paid at once',
    description: 'Actor: the task\'s client. The worker receives the unit price minus the flat 20% fee and tax on the fee.',
  })
  approve(@Param('taskId') taskId: string, @Param('submissionId') submissionId: string, @Body() _body: EmptyDto, @Command() context: CommandContext): Promise<TaskResponse> {
    return this.run({ type: 'ApproveTaskSubmission', ...base(taskId, context), submissionId }, context);
  }

  @CommandRoute(':taskId/submissions/:submissionId/reject', 200, TaskResponseSchema, {
    summary: 'Reject a submission (非承認), within the rejection cap',
    description:
      'Actor: the task\'s client, with a reason, before the automatic approval. At most max(3, floor(30% of the approved submissions)) ' +
      'rejections per task: one beyond is a 409 TASK_REJECTION_CAP_REACHED. While the task is open the slot takes a new submission.',
  })
  reject(@Param('taskId') taskId: string, @Param('submissionId') submissionId: string, @Body() body: ReasonDto, @Command() context: CommandContext): Promise<TaskResponse> {
    return this.run({ type: 'RejectTaskSubmission', ...base(taskId, context), submissionId, reason: body.reason }, context);
  }

  @CommandRoute(':taskId/close', 200, TaskResponseSchema, {
    summary: 'Close the task: no more submissions',
    description: 'Actor: the task\'s client. Once nothing is pending the unused slots are refunded to the client, once.',
  })
  close(@Param('taskId') taskId: string, @Body() body: OptionalReasonDto, @Command() context: CommandContext): Promise<TaskResponse> {
    return this.run({ type: 'CloseTask', ...base(taskId, context), ...body }, context);
  }

  @Get(':taskId')
  @Access.work('task', 'taskId')
  @ApiOperation({ summary: 'The task: slots, submissions and escrow', description: 'Whole for the client and staff; a worker sees only their own submissions.' })
  @QueryResponses(TaskResponseSchema)
  get(@Param('taskId') taskId: string, @Command() context: CommandContext): Promise<TaskResponse> {
    return this.queries.execute(new GetTaskQuery(taskId, context.actor));
  }

  @Get(':taskId/history')
  @Access.work('task', 'taskId')
  @ApiOperation({
    summary: 'Every event of the task: who did it, the task and its money after it, the postings it caused',
    description:
      'Money per line: slots (the prepayment and the refund) and submission:<id> (each payout). Read by the client and staff: it holds every ' +
      'submission whole. See docs/formats.md.',
  })
  @QueryResponses(FormatHistorySchema)
  @ApiQuery({
    name: 'asOf',
    required: false,
    description: 'A stream revision (a whole number) or an ISO-8601 instant: the history and state up to it',
    schema: { type: 'string', pattern: REVISION_OR_INSTANT, maxLength: MAX_INSTANT_LENGTH },
  })
  async history(@Param('taskId') taskId: string, @Command() context: CommandContext, @Query('asOf') asOf?: string): Promise<FormatHistory<TaskView>> {
    const current = await this.executor.read(taskAggregate, taskStreamId(taskId));
    if (current && !mayReadTaskHistory(context.actor, current.state)) {
      throw new ProblemError(403, 'NOT_A_PARTY', 'Forbidden', `Only the client of task ${taskId} and staff may read its history, which holds every submission.`);
    }
    return readFormatHistory(this.executor, { fold: TASK_FOLD, streamId: taskStreamId(taskId), id: taskId, asOf, notFound: () => taskNotFound(taskId) });
  }
}
