import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, Clock } from '@escrow/clock';
import type { Actor } from '@escrow/domain/shared/actor';
import { type ExpiryNoticeDays, walletStreamId } from '@escrow/domain/wallet';
import { Timer, TIMERS_PROJECTION } from '@escrow/projections/timers';
import { SERVICE_ITSELF } from '../auth/api-clients';
import { CommandExecutor } from '../commands/command-executor';
import { DerivedIds } from '../commands/envelope';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ContractResponse, ExecuteContractCommand } from '../contracts/contract-commands';
import { ExecuteHourlyCommand, HourlyContractResponse } from '../hourly/hourly-commands';
import type { CommandContext } from '../http/command-context';
import { hashReaction } from '../idempotency';
import { ProjectionRuntime } from '../projections/projection-runtime';
import { ExecuteTaskCommand, TaskResponse } from '../tasks/task-commands';
import { walletAggregate } from '../wallets/wallet-aggregate';
import { AutomaticWithdrawalResponse, RequestAutomaticWithdrawalCommand } from '../withdrawals/automatic-withdrawal-handler';
import { classifyTimerFailure } from './timer-failures';
import { TimerIssued, TimerScheduler } from './timer-scheduler';

/** The platform's settlement principal, as it appears on the payouts the timers make. */
export const SETTLEMENT_ACTOR: Actor = { id: 'settlement', role: 'system' };

/** The platform's principal for expiries and their notices. */
export const BALANCE_EXPIRY_ACTOR: Actor = { id: 'balance-expiry', role: 'system' };

/** The platform's principal for the withdrawals made at cut-offs under each account's withdrawal mode. */
export const AUTOMATIC_WITHDRAWAL_ACTOR: Actor = { id: 'automatic-withdrawal', role: 'system' };
/** The platform's principal that completes termination requests left unanswered. */
export const TERMINATION_ACTOR: Actor = { id: 'termination', role: 'system' };
/** The platform's principal that inspects deliveries left unanswered, when the deployment turns it on. */
export const AUTO_INSPECTION_ACTOR: Actor = { id: 'auto-inspection', role: 'system' };
/** The platform's principal that approves a task's pending submissions two weeks after its deadline. */
export const TASK_AUTO_APPROVAL_ACTOR: Actor = { id: 'task-auto-approval', role: 'system' };

/** The platform's principal that closes hourly contracts' review windows and pays their weeks. */
export const HOURLY_SETTLEMENT_ACTOR: Actor = { id: 'hourly-settlement', role: 'system' };

/** How long the scheduler waits for the due table to show a timer it just issued as done before looking again. */
const TABLE_WAIT_MS = 5_000;

/**
 * The scheduler of this process: runs only where the processors run (`ROLE=all|processors`), from application
 * bootstrap (after the projection runtime, whose due table it reads) to shutdown. It issues each due timer's
 * command as the service itself, under the timer's id as idempotency key, so that a repeat, a crash between
 * the command and the table's update, or a second replica appends nothing twice.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private scheduler: TimerScheduler | undefined;
  private readonly logger = new Logger('Scheduler');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(DerivedIds) private readonly derivedIds: DerivedIds,
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    const scheduler = new TimerScheduler({
      db: this.runtime.db,
      clock: this.clock,
      settlement: this.config.scheduler.settlement,
      expiresBalances: this.config.scheduler.balanceExpiry === 'when_due',
      withdrawsAtCutoffs: this.config.scheduler.automaticWithdrawals === 'on',
      terminationAnswerWithinMs: this.config.scheduler.terminationAnswerWithinMs,
      autoInspectionAfterMs: this.config.scheduler.autoInspectionAfterMs,
      pollMs: this.config.scheduler.pollMs,
      issue: (timer, at) => this.issue(timer, at),
      classify: classifyTimerFailure,
      waitForTable: (position) => this.runtime.waitFor(position, { timeoutMs: TABLE_WAIT_MS, projections: [TIMERS_PROJECTION] }),
      onRefused: (timer, refusal) => this.logger.warn(`Timer ${timer.timerId} refused for good, not retried: ${refusal.code} ${refusal.message}`),
      onPassingFailure: (timer, error, failures) =>
        this.logger.warn(`Timer ${timer?.timerId ?? '(reading the due table)'} failed ${failures} time(s) in a row; retried after a back-off: ${error instanceof Error ? error.message : String(error)}`),
    });
    this.scheduler = scheduler;
    this.runtime.onLogGrew(() => scheduler.wake());
    scheduler.start();
    this.logger.log(
      `Timers running: settlement ${this.describeSettlement()}; balance expiry ${this.config.scheduler.balanceExpiry === 'when_due' ? 'and its notices when due' : 'manual'}; ` +
        `automatic withdrawals at cut-offs ${this.config.scheduler.automaticWithdrawals}; ` +
        `unanswered terminations ${this.config.scheduler.terminationAnswerWithinMs === null ? 'off' : `complete after ${this.config.scheduler.terminationAnswerWithinMs} ms`}; ` +
        `automatic inspection ${this.config.scheduler.autoInspectionAfterMs === null ? 'off' : `after ${this.config.scheduler.autoInspectionAfterMs} ms`}`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler?.stop();
  }

  /** Look for due timers now (a test moved the clock). */
  wake(): void {
    this.scheduler?.wake();
  }

  private describeSettlement(): string {
    const policy = this.config.scheduler.settlement;
    return policy.kind === 'daily' ? `daily at ${policy.at} Japan time` : policy.kind;
  }

  private issue(timer: Timer, at: Date): Promise<TimerIssued> {
    switch (timer.kind) {
      case 'settlement':
        return this.payOut(timer, at);
      case 'expiry':
      case 'expiry_notice':
        return this.expire(timer, at);
      case 'withdrawal_cutoff':
        return this.withdrawAtCutoff(timer, at);
      case 'termination':
        return this.completeTermination(timer, at);
      case 'inspection':
        return this.inspect(timer, at);
      case 'task_auto_approval':
        return this.approveTaskSubmissions(timer, at);
      case 'hourly_week':
        return this.settleHourlyWeek(timer, at);
    }
  }

  /** Closes a work week's review window: pays its undisputed hours, and ends an ending contract after its last week. */
  private async settleHourlyWeek(timer: Timer, at: Date): Promise<TimerIssued> {
    const { contractId, weekStart } = timer.subject as { contractId: string; weekStart: string };
    const context = timerContext(this.derivedIds, timer, HOURLY_SETTLEMENT_ACTOR, at);
    const answer: HourlyContractResponse = await this.commands.execute(
      new ExecuteHourlyCommand({ type: 'SettleHourlyWeek', contractId, weekStart, actor: context.actor, at: context.at }, context),
    );
    return { position: answer.position, recorded: true };
  }

  /**
   * The account's withdrawal mode applied at the cut-off. A cut-off that finds nothing to withdraw (below the
   * threshold, `carry_over`, no bank account) records nothing; the scheduler notes it so as not to look again.
   */
  private async withdrawAtCutoff(timer: Timer, at: Date): Promise<TimerIssued> {
    const { accountId, cutoff } = timer.subject as { accountId: string; cutoff: string };
    const context = timerContext(this.derivedIds, timer, AUTOMATIC_WITHDRAWAL_ACTOR, at);
    const answer: AutomaticWithdrawalResponse = await this.commands.execute(new RequestAutomaticWithdrawalCommand(accountId, cutoff, context));
    return { position: answer.position, recorded: answer.outcome === 'requested' || answer.outcome === 'already_requested' };
  }

  /** Completes the request on the requester's terms; the decider refuses it if it was answered or is not yet due. */
  private async completeTermination(timer: Timer, at: Date): Promise<TimerIssued> {
    const { contractId, requestedAt } = timer.subject as { contractId: string; requestedAt: string };
    const answerWithinMs = this.config.scheduler.terminationAnswerWithinMs;
    if (answerWithinMs === null) throw new Error('termination timers are not issued while TERMINATION_AUTO_COMPLETE_AFTER is off');
    const context = timerContext(this.derivedIds, timer, TERMINATION_ACTOR, at);
    const answer: ContractResponse = await this.commands.execute(
      new ExecuteContractCommand(
        { type: 'CompleteUnansweredTermination', contractId, requestedAt, answerWithinMs, actor: context.actor, at: context.at },
        context,
      ),
    );
    return { position: answer.position, recorded: true };
  }

  /** Inspects for a silent client; the decider refuses it once the client inspected or asked for a revision. */
  private async inspect(timer: Timer, at: Date): Promise<TimerIssued> {
    const { contractId, milestoneId } = timer.subject as { contractId: string; milestoneId: string };
    const afterMs = this.config.scheduler.autoInspectionAfterMs;
    if (afterMs === null) throw new Error('inspection timers are not issued while AUTO_INSPECTION_AFTER is off');
    const context = timerContext(this.derivedIds, timer, AUTO_INSPECTION_ACTOR, at);
    const answer: ContractResponse = await this.commands.execute(
      new ExecuteContractCommand({ type: 'AutoInspectMilestone', contractId, milestoneId, afterMs, actor: context.actor, at: context.at }, context),
    );
    return { position: answer.position, recorded: true };
  }

  /** Approves a task's pending submissions and closes it; the decider refuses it before it is due or once the task is settled. */
  private async approveTaskSubmissions(timer: Timer, at: Date): Promise<TimerIssued> {
    const { taskId } = timer.subject as { taskId: string };
    const context = timerContext(this.derivedIds, timer, TASK_AUTO_APPROVAL_ACTOR, at);
    const answer: TaskResponse = await this.commands.execute(new ExecuteTaskCommand({ type: 'AutoApproveTaskSubmissions', taskId, actor: context.actor, at: context.at }, context));
    return { position: answer.position, recorded: true };
  }

  private async payOut(timer: Timer, at: Date): Promise<TimerIssued> {
    const { contractId, milestoneId } = timer.subject as { contractId: string; milestoneId: string };
    const context = timerContext(this.derivedIds, timer, SETTLEMENT_ACTOR, at);
    const answer: ContractResponse = await this.commands.execute(
      new ExecuteContractCommand({ type: 'PayOutMilestone', contractId, milestoneId, actor: context.actor, at: context.at }, context),
    );
    // A payout either records one or is refused: a milestone paid already is a 409.
    return { position: answer.position, recorded: true };
  }

  /** The expiry of the credits that expire at the timer's instant (and any older), or its notice. */
  private async expire(timer: Timer, at: Date): Promise<TimerIssued> {
    const { accountId, expiresAt, daysBefore } = timer.subject as { accountId: string; expiresAt: string; daysBefore?: ExpiryNoticeDays };
    const context = timerContext(this.derivedIds, timer, BALANCE_EXPIRY_ACTOR, at);
    const base = { accountId, actor: context.actor, at: context.at };
    const command =
      timer.kind === 'expiry'
        ? { ...base, type: 'ExpireBalances' as const, asOf: expiresAt }
        : { ...base, type: 'NoticeBalanceExpiry' as const, expiresAt, daysBefore: daysBefore as ExpiryNoticeDays };
    const outcome = await this.executor.execute(walletAggregate, walletStreamId(accountId), command, context);
    return { position: outcome.position, recorded: outcome.kind !== 'unchanged' };
  }
}

/**
 * The context of a due timer's command: the service's own namespace (`SERVICE_ITSELF`, which no API client can
 * be), the timer's id as idempotency key (so every attempt, on any replica, is one command), in the correlation
 * of the timer and caused by the event that made it due.
 */
export function timerContext(derivedIds: DerivedIds, timer: Timer, actor: Actor, at: Date): CommandContext {
  return {
    actor,
    callingService: SERVICE_ITSELF,
    idempotencyKey: timer.timerId,
    keySeed: derivedIds.seedOf(SERVICE_ITSELF, actor, timer.timerId),
    requestHash: hashReaction(timer.timerId),
    correlationId: timer.timerId,
    causationId: timer.causeEventId,
    requestId: timer.timerId,
    at: at.toISOString(),
  };
}
