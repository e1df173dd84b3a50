import { closedAccountsAmong } from '../accounts/closed-accounts';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { escrowIdOf } from '@escrow/domain/escrow';
import { DomainError } from '@escrow/domain/shared/domain-error';
import {
  TASK_EVENT_SCHEMA_VERSIONS,
  TASK_SLOTS_LINE,
  type TaskCommand,
  type TaskEvent,
  type TaskState,
  type TaskView,
  taskDecider,
  taskStreamId,
  taskViewFor,
} from '@escrow/domain/task';
import type { Actor } from '@escrow/domain/shared/actor';
import { AccountIndexes } from '../accounts/account-indexes';
import { AggregateDefinition, currentShape } from '../commands/aggregate';
import { CommandExecutor, CommandOutcome } from '../commands/command-executor';
import type { CommandContext } from '../http/command-context';
import { PaymentClaim, PaymentReferences } from '../payments/payment-references';

export const taskAggregate: AggregateDefinition<TaskCommand, TaskState, TaskEvent> = {
  name: 'task',
  decider: taskDecider,
  schemaVersions: TASK_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};

export type TaskResponse = TaskView & { revision: number; position: number };

/** The task as `reader` may see it (a worker only their own submissions), with its revision and position. */
const taskResponse = ({ state, revision, position }: Pick<CommandOutcome<TaskState>, 'state' | 'revision' | 'position'>, reader: Actor): TaskResponse => {
  const view = taskViewFor(state, reader);
  if (view === null) throw taskNotFound(state.taskId);
  return { ...view, revision, position };
};

export const taskNotFound = (taskId: string) => new DomainError('not_found', 'TASK_NOT_FOUND', `Task ${taskId} does not exist.`);

/** The gateway payment of a task's prepayment, held by the task's escrow as one line for all its slots. */
const claimOf = (taskId: string, paymentReference: string): PaymentClaim => ({ paymentReference, contractId: escrowIdOf('task', taskId), milestoneId: TASK_SLOTS_LINE });

export class ExecuteTaskCommand {
  constructor(
    readonly command: TaskCommand,
    readonly context: CommandContext,
  ) {}
}

/**
 * Runs a task command. Posting (which prepays) and submitting first read the acting account's stream: a closed account
 * takes part in nothing new. A posting claims its gateway payment before the task's append, as a milestone prepayment
 * does, and releases it when the task refuses it after all, so one payment funds one thing once. The client and each
 * worker who submits are recorded in their party-contracts index, where closure finds the task.
 */
@CommandHandler(ExecuteTaskCommand)
export class ExecuteTaskCommandHandler implements ICommandHandler<ExecuteTaskCommand, TaskResponse> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PaymentReferences) private readonly payments: PaymentReferences,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
  ) {}

  async execute({ command, context }: ExecuteTaskCommand): Promise<TaskResponse> {
    const streamId = taskStreamId(command.taskId);
    const decided = await this.withStanding(command);
    let claimed: PaymentClaim | undefined;
    try {
      const outcome = await this.executor.execute(taskAggregate, streamId, decided, context, {
        beforeAppend: async (events) => {
          for (const event of events) {
            // Closure finds the task in each party's index, recorded before the task's stream names them.
            if (event.type === 'TaskPosted') await this.indexes.recordWorkParty({ escrowId: escrowIdOf('task', event.data.taskId), accountId: event.data.clientId, side: 'client' }, context);
            if (event.type === 'TaskWorkSubmitted') await this.indexes.recordWorkParty({ escrowId: escrowIdOf('task', event.data.taskId), accountId: event.data.workerId, side: 'worker' }, context);
            if (event.type !== 'TaskFunded') continue;
            const claim = claimOf(event.data.taskId, event.data.paymentReference);
            await this.payments.claim(claim, context);
            claimed = claim;
          }
        },
      });
      return taskResponse(outcome, context.actor);
    } catch (error) {
      // Only a definite refusal releases: after a store failure the append may have happened.
      const holder = claimed ?? (decided.type === 'PostTask' ? claimOf(decided.taskId, decided.paymentReference) : undefined);
      await this.payments.releaseIfRefused(error, holder, async (reference) => (await this.executor.read(taskAggregate, streamId))?.state.paymentReference === reference, context);
      throw error;
    }
  }

  /** Names the acting account in the command when its stream shows it closed, for the decider to judge. */
  private async withStanding(command: TaskCommand): Promise<TaskCommand> {
    if (command.type !== 'PostTask' && command.type !== 'SubmitTaskWork') return command;
    if (command.actor.role !== 'user') return command;
    return { ...command, closedAccounts: await closedAccountsAmong(this.executor, [command.actor.id]) };
  }
}

export class GetTaskQuery {
  constructor(
    readonly taskId: string,
    readonly reader: Actor,
  ) {}
}

@QueryHandler(GetTaskQuery)
export class GetTaskQueryHandler implements IQueryHandler<GetTaskQuery, TaskResponse> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ taskId, reader }: GetTaskQuery): Promise<TaskResponse> {
    const current = await this.executor.read(taskAggregate, taskStreamId(taskId));
    if (!current) throw taskNotFound(taskId);
    return taskResponse(current, reader);
  }
}
