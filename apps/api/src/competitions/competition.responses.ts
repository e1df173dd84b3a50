import type { AdoptionState, CompetitionStatus, PrizeState, ProposalState } from '@escrow/domain/competition';
import type { Deliverable } from '@escrow/domain/contract';
import type { PayoutFigures } from '@escrow/domain/escrow';
import { CountField, EnumField, everyValueOf, IdField, InstantField, NestedField, PositionField, TextField, YenField } from '../http/openapi/response-fields';
import { FeeTierPortionSchema } from '../read-models/fee-report.responses';
import type { CompetitionResponse } from './competition-commands';

const STATUSES = everyValueOf<Exclude<CompetitionStatus, 'none'>>()(['draft', 'open', 'closed']);
const PRIZE_STATUSES = everyValueOf<PrizeState['status']>()(['prepaid', 'adopted', 'refunded']);
const REFUND_CAUSES = everyValueOf<NonNullable<PrizeState['refundCause']>>()(['not_published', 'no_proposals', 'no_proposal_met_brief']);

export class CompetitionPayoutSchema implements PayoutFigures {
  @YenField({ description: 'The prize gross released to the worker, before the fee' }) gross!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField({ description: 'feeExTax + feeTax' }) fee!: number;
  @YenField({ description: 'gross − fee: what the worker receives' }) net!: number;
  @NestedField(() => FeeTierPortionSchema, { list: true }) tiers!: FeeTierPortionSchema[];
  @YenField({ description: 'Always 0: each adoption counts its tiers from ¥0' }) cumulativeGrossBefore!: number;
  @YenField() cumulativeGrossAfter!: number;
  @YenField() cumulativeFeeAfter!: number;
  @TextField() scheduleId!: string;
  @TextField() taxRate!: string;
}

export class CompetitionAdoptionSchema implements AdoptionState {
  @IdField() prizeId!: string;
  @InstantField() adoptedAt!: string;
  @NestedField(() => CompetitionPayoutSchema) payout!: CompetitionPayoutSchema;
}

export class CompetitionDeliverableSchema implements Deliverable {
  @TextField() uri!: string;
  @TextField({ optional: true }) sha256?: string;
}

export class CompetitionProposalSchema implements ProposalState {
  @IdField() proposalId!: string;
  @IdField() workerId!: string;
  @TextField() title!: string;
  @TextField({ nullable: true }) description!: string | null;
  @NestedField(() => CompetitionDeliverableSchema, { list: true }) deliverables!: CompetitionDeliverableSchema[];
  @InstantField() submittedAt!: string;
  @NestedField(() => CompetitionAdoptionSchema, { nullable: true }) adoption!: CompetitionAdoptionSchema | null;
}

export class CompetitionPrizeSchema implements PrizeState {
  @IdField({ description: 'prize-<n>: the n-th prize prepaid' }) prizeId!: string;
  @YenField({ description: 'The gross prepaid' }) amount!: number;
  @TextField() paymentReference!: string;
  @EnumField(PRIZE_STATUSES) status!: PrizeState['status'];
  @IdField({ nullable: true, description: 'The proposal it paid, once adopted' }) proposalId!: string | null;
  @EnumField(REFUND_CAUSES, { nullable: true }) refundCause!: PrizeState['refundCause'];
}

/** A competition as its client and staff read it; a worker's command answers with the worker's own proposals only. */
export class CompetitionResponseSchema implements CompetitionResponse {
  @EnumField(STATUSES) status!: Exclude<CompetitionStatus, 'none'>;
  @IdField() competitionId!: string;
  @IdField() clientId!: string;
  @TextField() title!: string;
  @TextField() brief!: string;
  @YenField({ description: 'Tax-exclusive prize of one adoption' }) prize!: number;
  @YenField({ description: 'The prize with tax at the rate fixed when drafted: each prepayment and each adoption' }) prizeGross!: number;
  @TextField() taxRate!: string;
  @TextField() feeScheduleId!: string;
  @InstantField() deadline!: string;
  @InstantField({ nullable: true }) draftedAt!: string | null;
  @InstantField({ nullable: true }) publishedAt!: string | null;
  @InstantField({ nullable: true }) closedAt!: string | null;
  @EnumField(['client', 'support'], { nullable: true }) closedBy!: 'client' | 'support' | null;
  @TextField({ nullable: true }) closeReason!: string | null;
  @NestedField(() => CompetitionPrizeSchema, { list: true }) prizes!: CompetitionPrizeSchema[];
  @NestedField(() => CompetitionProposalSchema, { list: true }) proposals!: CompetitionProposalSchema[];
  @CountField() adoptions!: number;
  @YenField({ description: 'Prepaid prizes neither adopted nor refunded' }) inEscrow!: number;
  @PositionField({ description: 'Stream revision: send it in If-Match to act on this state' }) revision!: number;
  @PositionField({ description: 'Global log position of the last event' }) position!: number;
}
