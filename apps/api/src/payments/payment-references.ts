import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { conflict } from '@escrow/domain/shared/domain-error';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@escrow/event-store/port';
import { CommandContext, uuidFromHex } from '../http/command-context';

export const PAYMENT_REFERENCE_CLAIMED = 'PaymentReferenceClaimed';

export interface PaymentClaim {
  paymentReference: string;
  contractId: string;
  milestoneId: string;
}

/** One stream per gateway payment reference; its name hides the reference's characters behind a hash. */
export const paymentReferenceStreamId = (paymentReference: string) =>
  'payment-reference-' + createHash('sha256').update(paymentReference).digest('hex').slice(0, 40);

/**
 * A payment reported by the payments gateway funds one milestone only. The first prepayment to name a reference
 * claims it with a stream that must not exist yet, so two contracts can never count the same payment, even when
 * their prepayments race. A claim is made only after the contract has decided to accept the prepayment, and a
 * retry of the same prepayment finds its own claim and goes on.
 */
@Injectable()
export class PaymentReferences {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async claim(claim: PaymentClaim, context: CommandContext): Promise<void> {
    const streamId = paymentReferenceStreamId(claim.paymentReference);
    try {
      await this.store.append(
        streamId,
        [
          {
            id: uuidFromHex(createHash('sha256').update(`${streamId}\u0000claim`).digest('hex')),
            type: PAYMENT_REFERENCE_CLAIMED,
            data: { ...claim },
            metadata: {
              schemaVersion: 1,
              occurredAt: context.at,
              actor: context.actor,
              correlationId: context.correlationId,
              // Linked to its prepayment by causation; the idempotency key stays with the contract's own append.
              causationId: context.causationId ?? context.requestId,
            },
          },
        ],
        'no_stream',
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const [existing] = await this.store.readStream(streamId, { maxCount: 1 });
      const claimed = existing?.data as unknown as PaymentClaim | undefined;
      if (claimed?.contractId === claim.contractId && claimed.milestoneId === claim.milestoneId) return;
      throw conflict('PAYMENT_REFERENCE_ALREADY_USED', `Payment ${claim.paymentReference} has already funded another milestone.`, {
        paymentReference: claim.paymentReference,
      });
    }
  }
}
