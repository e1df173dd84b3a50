import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  PAYMENT_REFERENCE_EVENT_SCHEMA_VERSIONS,
  PaymentReferenceCommand,
  PaymentReferenceEvent,
  PaymentReferenceHolder,
  PaymentReferenceState,
  paymentReferenceDecider,
} from '@escrow/domain/payment-reference';
import { DomainError } from '@escrow/domain/shared/domain-error';
import { EventStoreUnavailableError } from '@escrow/event-store/port';
import { AggregateDefinition, currentShape } from '../commands/aggregate';
import { CommandExecutor } from '../commands/command-executor';
import { isRefusal } from '../commands/command-refusals';
import type { CommandContext } from '../http/command-context';

export interface PaymentClaim extends PaymentReferenceHolder {
  paymentReference: string;
}

/** One stream per gateway payment reference; its name hides the reference's characters behind a hash. */
export const paymentReferenceStreamId = (paymentReference: string) =>
  'payment-reference-' + createHash('sha256').update(paymentReference).digest('hex').slice(0, 40);

export const paymentReferenceAggregate: AggregateDefinition<PaymentReferenceCommand, PaymentReferenceState, PaymentReferenceEvent> = {
  name: 'payment-reference',
  decider: paymentReferenceDecider,
  schemaVersions: PAYMENT_REFERENCE_EVENT_SCHEMA_VERSIONS,
  upcast: currentShape,
};

/**
 * The reference stream's events carry the prepayment's correlation and causation ids, not its idempotency key
 * (which stays with the contract's own append, where a retry is recognised) nor its If-Match (which names a
 * contract revision). A retried claim is recognised by the decider instead: the same milestone holds it already.
 */
const referenceContext = (context: CommandContext): CommandContext => {
  const { idempotencyKey: _key, ifMatch: _ifMatch, ...rest } = context;
  return { ...rest, causationId: context.causationId ?? context.requestId };
};

/** A release meeting a store that is briefly unavailable is tried this many times, waiting longer each time. */
const RELEASE_ATTEMPTS = 4;
const RELEASE_RETRY_MS = 100;

/**
 * Names the prepayment on the reference's stream: its key's seed when it has an Idempotency-Key (so its retries
 * are the same claimant, and a retry can release what an earlier attempt claimed), otherwise its request.
 */
const claimantOf = (context: CommandContext): string => context.keySeed ?? `request:${context.requestId}`;

/**
 * Claims and releases of gateway payments, decided by the payment-reference aggregate on its own stream. A
 * prepayment claims its reference after the contract decided to accept it and before the contract's append;
 * when the contract then refuses (the milestone was funded by a racing prepayment, say), the claim is released
 * with a recorded event, so the payment can fund another milestone.
 */
@Injectable()
export class PaymentReferences {
  private readonly logger = new Logger('PaymentReferences');

  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  /** Refused with 409 PAYMENT_REFERENCE_ALREADY_USED when another milestone holds the reference. */
  async claim(claim: PaymentClaim, context: CommandContext): Promise<void> {
    await this.executor.execute(
      paymentReferenceAggregate,
      paymentReferenceStreamId(claim.paymentReference),
      { type: 'ClaimPaymentReference', ...claim, claimant: claimantOf(context), actor: context.actor, at: context.at },
      referenceContext(context),
    );
  }

  /**
   * After a command that claimed `holder` (or whose earlier attempt under the same key may have) failed: releases the
   * claim when the failure is a definite refusal, nothing having been appended; after a store failure the append may
   * have happened, so the claim stays. `fundedByHolder` reads the holder's stream after the refusal.
   */
  async releaseIfRefused(
    error: unknown,
    holder: PaymentClaim | undefined,
    fundedByHolder: (paymentReference: string) => Promise<boolean>,
    context: CommandContext,
  ): Promise<void> {
    if (holder === undefined || !isRefusal(error)) return;
    await this.release(holder, await fundedByHolder(holder.paymentReference), error.code, context);
  }

  /**
   * Releases the claim of a prepayment the contract refused, unless the contract's stream records the payment
   * (`fundedByHolder`, read by the caller after the refusal). A store that is briefly unavailable is tried again
   * a few times; a release that still fails is logged, not thrown: the caller answers with the refusal.
   */
  async release(claim: PaymentClaim, fundedByHolder: boolean, reason: string, context: CommandContext): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.executor.execute(
          paymentReferenceAggregate,
          paymentReferenceStreamId(claim.paymentReference),
          { type: 'ReleasePaymentReference', ...claim, claimant: claimantOf(context), fundedByHolder, reason, actor: context.actor, at: context.at },
          referenceContext(context),
        );
        return;
      } catch (error) {
        if (error instanceof DomainError && error.code === 'PAYMENT_REFERENCE_IN_USE') return;
        if (error instanceof EventStoreUnavailableError && attempt < RELEASE_ATTEMPTS) {
          await sleep(RELEASE_RETRY_MS * attempt);
          continue;
        }
        this.logger.warn(
          `Claim of payment ${claim.paymentReference} by ${claim.contractId}/${claim.milestoneId} not released: ${(error as Error).message}`,
        );
        return;
      }
    }
  }
}
