import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { requireRole } from '@escrow/domain/shared/account-actor-guards';
import { DomainError } from '@escrow/domain/shared/domain-error';
import type { MarkWithdrawalFailed, MarkWithdrawalPaid } from '@escrow/domain/wallet';
import { walletStreamId } from '@escrow/domain/wallet';
import { payoutRunItem } from '@escrow/projections/payout-runs';
import { AccountIndexes } from '../accounts/account-indexes';
import { LegacyIndexBackfill } from '../accounts/legacy-index-backfill';
import { CommandExecutor } from '../commands/command-executor';
import { ConcurrencyConflictError } from '../commands/command-refusals';
import { DerivedIds } from '../commands/envelope';
import type { CommandContext } from '../http/command-context';
import { HTTP_STATUS_OF_DOMAIN_ERROR } from '../http/problem';
import { hashRequest, IdempotencyKeyReusedError } from '../idempotency';
import { walletAggregate } from '../wallets/wallet-aggregate';
import { WalletReadModels } from '../wallets/wallet-read-models';

export const PAYOUT_REPORT_OUTCOMES = ['paid', 'failed'] as const;
export type PayoutReportOutcome = (typeof PAYOUT_REPORT_OUTCOMES)[number];
export const PAYOUT_REPORT_RESULTS = ['recorded', 'already_recorded', 'refused'] as const;
export type PayoutReportResult = (typeof PAYOUT_REPORT_RESULTS)[number];

export interface PayoutReportItem {
  withdrawalId: string;
  outcome: PayoutReportOutcome;
  transferReference?: string;
  reason?: string;
}

export interface PayoutReportItemResult {
  withdrawalId: string;
  outcome: PayoutReportOutcome;
  result: PayoutReportResult;
  status?: number;
  code?: string;
  detail?: string;
  position?: number;
}

export interface PayoutReportAnswer {
  payoutDate: string;
  recorded: number;
  alreadyRecorded: number;
  refused: number;
  results: PayoutReportItemResult[];
}

/**
 * The Idempotency-Key of one item of a gateway report: the run, the withdrawal and the outcome. The same report
 * sent again is recognised on the wallet stream as a retry and appends nothing; the same key with another
 * reference or reason is a reuse, refused.
 */
export const payoutReportKey = (payoutDate: string, item: Pick<PayoutReportItem, 'withdrawalId' | 'outcome'>): string =>
  `payout-run:${payoutDate}:${item.withdrawalId}:${item.outcome}`;

const REPORT_ROUTE = '/v1/payout-runs/:payoutDate/reports';

/** What an item reports, as a plain object: what a resent item must repeat to be the same report. */
const reportedFields = ({ withdrawalId, outcome, transferReference, reason }: PayoutReportItem) => ({ withdrawalId, outcome, transferReference, reason });

export class ReportPayoutRunCommand {
  constructor(
    readonly payoutDate: string,
    readonly items: readonly PayoutReportItem[],
    readonly context: CommandContext,
  ) {}
}

/**
 * The payments gateway's report of a run: each item becomes the MarkWithdrawalPaid or MarkWithdrawalFailed of the
 * ordinary pipeline, naming the run's payout date, under a key derived from the run, the withdrawal and the
 * outcome, in its caller's scope. The run's read model only tells which wallet stream to address (the
 * withdrawal's address stream when the read model does not list it yet); the wallet decides whether the
 * withdrawal is due on that date and still to be sent. Items are decided one by one, each on its own stream:
 * one refused leaves the others recorded, and the answer lists each item's result.
 */
@CommandHandler(ReportPayoutRunCommand)
export class ReportPayoutRunCommandHandler implements ICommandHandler<ReportPayoutRunCommand, PayoutReportAnswer> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AccountIndexes) private readonly indexes: AccountIndexes,
    @Inject(LegacyIndexBackfill) private readonly backfill: LegacyIndexBackfill,
    @Inject(WalletReadModels) private readonly readModels: WalletReadModels,
    @Inject(DerivedIds) private readonly derivedIds: DerivedIds,
  ) {}

  async execute({ payoutDate, items, context }: ReportPayoutRunCommand): Promise<PayoutReportAnswer> {
    // The whole report is the gateway's: another actor is refused before any item, as each item's decider would.
    requireRole(context.actor, 'system', 'report a bank transfer');
    await this.backfill.ready();
    const results: PayoutReportItemResult[] = [];
    for (const item of items) results.push(await this.report(payoutDate, item, context));
    const count = (result: PayoutReportResult) => results.filter((entry) => entry.result === result).length;
    return { payoutDate, recorded: count('recorded'), alreadyRecorded: count('already_recorded'), refused: count('refused'), results };
  }

  private async report(payoutDate: string, item: PayoutReportItem, context: CommandContext): Promise<PayoutReportItemResult> {
    const { withdrawalId, outcome } = item;
    const accountId = payoutRunItem(this.readModels.db, payoutDate, withdrawalId)?.accountId ?? (await this.indexes.accountOfWithdrawal(withdrawalId));
    if (accountId === undefined) {
      return { withdrawalId, outcome, result: 'refused', status: 404, code: 'WITHDRAWAL_NOT_FOUND', detail: `No withdrawal ${withdrawalId}.` };
    }
    const base = { accountId, actor: context.actor, at: context.at, withdrawalId, payoutDate };
    const command: MarkWithdrawalPaid | MarkWithdrawalFailed =
      outcome === 'paid'
        ? { ...base, type: 'MarkWithdrawalPaid', ...(item.transferReference !== undefined ? { transferReference: item.transferReference } : {}) }
        : { ...base, type: 'MarkWithdrawalFailed', reason: item.reason ?? '' };
    try {
      const done = await this.executor.execute(walletAggregate, walletStreamId(accountId), command, this.itemContext(payoutDate, item, context));
      return { withdrawalId, outcome, result: done.kind === 'replayed' ? 'already_recorded' : 'recorded', position: done.position };
    } catch (error) {
      if (error instanceof DomainError) {
        return { withdrawalId, outcome, result: 'refused', status: HTTP_STATUS_OF_DOMAIN_ERROR[error.kind], code: error.code, detail: error.message };
      }
      if (error instanceof IdempotencyKeyReusedError) {
        const detail = `This withdrawal was already reported ${outcome} in this run with another ${outcome === 'paid' ? 'transferReference' : 'reason'}.`;
        return { withdrawalId, outcome, result: 'refused', status: 422, code: error.code, detail };
      }
      if (error instanceof ConcurrencyConflictError) return { withdrawalId, outcome, result: 'refused', status: 409, code: error.code, detail: error.message };
      throw error;
    }
  }

  /** The item's own command context: the request's caller, time and correlation, under the item's key. */
  private itemContext(payoutDate: string, item: PayoutReportItem, context: CommandContext): CommandContext {
    const idempotencyKey = payoutReportKey(payoutDate, item);
    return {
      actor: context.actor,
      callingService: context.callingService,
      idempotencyKey,
      keySeed: this.derivedIds.seedOf(context.callingService, context.actor, idempotencyKey),
      requestHash: hashRequest({ method: 'POST', route: REPORT_ROUTE, params: { payoutDate }, body: reportedFields(item), actor: context.actor }),
      correlationId: context.correlationId,
      requestId: context.requestId,
      at: context.at,
    };
  }
}
