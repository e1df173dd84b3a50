import type { PartyRef } from '@escrow/domain/contract';
import type {
  OverdueMilestone,
  PendingContactReminder,
  SilentDelivery,
  UnansweredTermination,
} from '@escrow/projections/support-queues';
import {
  BooleanField,
  CountField,
  DateField,
  EnumField,
  IdField,
  InstantField,
  NestedField,
  PositionField,
  TextField,
  YenField,
} from '../http/openapi/response-fields';
import { ListPageSchema } from '../http/openapi/operation-responses';
import { ParkedEventSchema } from '../projections/parked-event.responses';
import { ReviewQueueItemSchema } from '../withdrawals/review-queue.responses';

export class QueuePartySchema implements PartyRef {
  @EnumField(['client', 'worker']) party!: PartyRef['party'];
  @IdField() id!: string;
}

export class SilentDeliverySchema implements SilentDelivery {
  @IdField() contractId!: string;
  @IdField() milestoneId!: string;
  @IdField() clientId!: string;
  @IdField() workerId!: string;
  @YenField({ description: 'Gross held in the milestone\'s escrow' }) inEscrow!: number;
  @CountField({ description: '1 for the first delivery, 2 after one revision request, …' }) deliveryNumber!: number;
  @InstantField({ description: 'The latest delivery, awaiting inspection' }) deliveredAt!: string;
  @PositionField({ minimum: 1, description: 'Global position of the delivery: the queue order' }) deliveredPosition!: number;
  @CountField({ description: 'Whole days since the delivery, by the service\'s clock' }) daysSilent!: number;
  @InstantField({ description: 'From when support may inspect for the silent client: the delivery plus the 7 days of the contract\'s rule' })
  inspectableFrom!: string;
}

export class PendingContactReminderSchema implements PendingContactReminder {
  @IdField() contractId!: string;
  @IdField() reminderId!: string;
  @NestedField(() => QueuePartySchema, { description: 'The party who asked' }) requestedBy!: PartyRef;
  @NestedField(() => QueuePartySchema, { description: 'The party support is asked to prompt' }) counterparty!: PartyRef;
  @TextField({ nullable: true }) message!: string | null;
  @InstantField() requestedAt!: string;
  @PositionField({ minimum: 1, description: 'Global position of the request: the queue order' }) requestedPosition!: number;
  @CountField({ description: 'Seconds since the request, when answered' }) ageSeconds!: number;
}

export class SupportWithdrawalReviewSchema extends ReviewQueueItemSchema {
  @BooleanField({ description: 'Whether support asked the owner for more information (`infoRequests` > 0)' }) infoRequested!: boolean;
  @BooleanField({ description: 'Support asked the owner for more information and the owner has not answered the latest request yet' })
  awaitingOwner!: boolean;
}

export class UnansweredTerminationSchema implements UnansweredTermination {
  @IdField() contractId!: string;
  @IdField() clientId!: string;
  @IdField() workerId!: string;
  @NestedField(() => QueuePartySchema, { description: 'The party who asked to terminate' }) requestedBy!: PartyRef;
  @TextField() reason!: string;
  @InstantField() requestedAt!: string;
  @PositionField({ minimum: 1, description: 'Global position of the request: the queue order' }) requestedPosition!: number;
  @TextField({ description: 'Id of the `TerminationRequested` event; its timer is `terminate:{contractId}:{requestEventId}`' }) requestEventId!: string;
  @CountField({ description: 'Seconds since the request, when answered' }) ageSeconds!: number;
  @InstantField({ nullable: true, description: 'When it completes by itself under `TERMINATION_AUTO_COMPLETE_AFTER`; null when that is `off`' })
  completesAt!: string | null;
}

export class OverdueMilestoneSchema implements OverdueMilestone {
  @IdField() contractId!: string;
  @IdField() milestoneId!: string;
  @IdField() clientId!: string;
  @IdField() workerId!: string;
  @DateField() dueDate!: string;
  @CountField({ description: 'Whole days since the due date ended in Japan, by the service\'s clock (1 on the day after it)' }) daysOverdue!: number;
  @YenField({ description: 'Gross prepaid into its escrow; 0 when not yet prepaid' }) inEscrow!: number;
  @PositionField({ minimum: 1, description: 'Global position of the event that made the milestone (acceptance or change of terms)' }) listedPosition!: number;
  @CountField({ description: 'Its place among the milestones of that event' }) listedIndex!: number;
}

const TOTAL = { description: 'How many the whole queue holds now' };

export class SilentDeliveriesQueueSchema extends ListPageSchema(SilentDeliverySchema) {
  @CountField(TOTAL) total!: number;
}
export class ContactRemindersQueueSchema extends ListPageSchema(PendingContactReminderSchema) {
  @CountField(TOTAL) total!: number;
}
export class WithdrawalReviewsQueueSchema extends ListPageSchema(SupportWithdrawalReviewSchema) {
  @CountField(TOTAL) total!: number;
}
export class UnansweredTerminationsQueueSchema extends ListPageSchema(UnansweredTerminationSchema) {
  @CountField(TOTAL) total!: number;
}
export class ParkedEventsQueueSchema extends ListPageSchema(ParkedEventSchema) {
  @CountField(TOTAL) total!: number;
}
export class OverdueMilestonesQueueSchema extends ListPageSchema(OverdueMilestoneSchema) {
  @CountField(TOTAL) total!: number;
}

const EVERY_QUEUE = { optional: true, description: 'Present unless `queue` names another' };

export class SupportQueueListsSchema {
  @NestedField(() => SilentDeliveriesQueueSchema, { ...EVERY_QUEUE, description: 'Deliveries uninspected for at least 7 days, oldest delivery first' })
  silentDeliveries?: SilentDeliveriesQueueSchema;
  @NestedField(() => ContactRemindersQueueSchema, { ...EVERY_QUEUE, description: 'Contact reminders awaiting support\'s decision, oldest first' })
  contactReminders?: ContactRemindersQueueSchema;
  @NestedField(() => WithdrawalReviewsQueueSchema, { ...EVERY_QUEUE, description: 'Withdrawals in review, oldest request first' })
  withdrawalReviews?: WithdrawalReviewsQueueSchema;
  @NestedField(() => UnansweredTerminationsQueueSchema, { ...EVERY_QUEUE, description: 'Termination requests awaiting the other party, oldest first' })
  unansweredTerminations?: UnansweredTerminationsQueueSchema;
  @NestedField(() => ParkedEventsQueueSchema, { ...EVERY_QUEUE, description: 'Events a background process parked, not yet resolved, oldest first' })
  parkedEvents?: ParkedEventsQueueSchema;
  @NestedField(() => OverdueMilestonesQueueSchema, { ...EVERY_QUEUE, description: 'Undelivered milestones of active contracts past their due date, earliest due date first' })
  overdueMilestones?: OverdueMilestonesQueueSchema;
}

export class SupportQueuesSchema {
  @InstantField({ description: 'The instant of the service\'s clock the ages, the 7 days and the due dates were taken at' }) asOf!: string;
  @NestedField(() => SupportQueueListsSchema) queues!: SupportQueueListsSchema;
}
