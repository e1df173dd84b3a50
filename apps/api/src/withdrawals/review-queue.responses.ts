import { WITHDRAWAL_MODES, WITHDRAWAL_REVIEW_REASONS } from '@escrow/domain/wallet';
import type { WithdrawalReviewReason } from '@escrow/domain/wallet';
import {
  CountField,
  EnumField,
  EnumListField,
  IdField,
  InstantField,
  PositionField,
  TextField,
  YenField,
} from '../http/openapi/response-fields';
import type { ReviewQueueItem } from './withdrawal-handlers';

export class ReviewQueueItemSchema implements ReviewQueueItem {
  @TextField() withdrawalId!: string;
  @IdField() accountId!: string;
  @YenField({ description: 'Taken from the balance' }) amount!: number;
  @YenField({ description: 'What the bank account receives: amount − fees' }) netAmount!: number;
  @EnumField(WITHDRAWAL_MODES) mode!: string;
  @EnumListField(WITHDRAWAL_REVIEW_REASONS, { description: 'Every reason the withdrawal is in review' }) reasons!: WithdrawalReviewReason[];
  @InstantField() requestedAt!: string;
  @PositionField({ minimum: 1, description: 'Global position of the request: the queue order' }) requestedPosition!: number;
  @CountField({ description: 'Times support asked the owner for more information' }) infoRequests!: number;
  @InstantField({ nullable: true, description: 'When support last asked the owner for more information' }) lastInfoRequestedAt!: string | null;
  @InstantField({ nullable: true, description: 'When the owner answered the latest request; null while it awaits the owner' }) infoProvidedAt!: string | null;
  @TextField({ nullable: true, description: 'The owner\'s answer to the latest request' }) infoAnswer!: string | null;
  @CountField({ description: 'Seconds since the request, when answered' }) ageSeconds!: number;
}
