import { reviewWindowClosesAt } from '@escrow/domain/hourly';
import type { RecordedEventOf } from '../runtime/declared-projection';
import type { RowReader } from '../runtime/row-change-buffer';
import { insertIfAbsent, type RowChange, update } from '../runtime/row-changes';

const TIMERS = 'timers';

/** The timer that closes one work week's review window: one per contract and week, whatever made it due first. */
export const hourlyWeekTimerId = (contractId: string, weekStart: string): string => `hourly-week:${contractId}:${weekStart}`;

const weekTimer = (contractId: string, weekStart: string, event: { id: string; position: number }): RowChange =>
  insertIfAbsent(TIMERS, {
    timer_id: hourlyWeekTimerId(contractId, weekStart),
    kind: 'hourly_week',
    subject: JSON.stringify({ contractId, weekStart }),
    due_at: reviewWindowClosesAt(weekStart),
    state: 'pending',
    cause_event_id: event.id,
    created_position: event.position,
  });

const doneIfPending = (read: RowReader, timerId: string, position: number): RowChange[] =>
  read.rows(TIMERS, { timer_id: timerId }).some((row) => row.state === 'pending') ? [update(TIMERS, { timer_id: timerId }, { state: 'done', closed_position: position })] : [];

/**
 * The hourly contract's timers in the due table: a week with hours falls due at the close of its review window, when
 * its undisputed hours are paid; so does the last week of an ending contract, hours or not, when the contract can end.
 */
export const HOURLY_TIMER_MAPPINGS = {
  HourlyWorkRecorded: ({ data, id, position }: RecordedEventOf<'HourlyWorkRecorded'>) => weekTimer(data.contractId, data.weekStart, { id, position }),
  HourlyContractEnding: ({ data, id, position }: RecordedEventOf<'HourlyContractEnding'>) => weekTimer(data.contractId, data.endsAfterWeek, { id, position }),
  HourlyReviewWindowClosed: ({ data, position }: RecordedEventOf<'HourlyReviewWindowClosed'>, read: RowReader) =>
    doneIfPending(read, hourlyWeekTimerId(data.contractId, data.weekStart), position),
  // The last week's timer of a contract that ended with no hours in that week, or ended when support settled a dispute.
  HourlyContractEnded: ({ data, position }: RecordedEventOf<'HourlyContractEnded'>, read: RowReader) =>
    doneIfPending(read, hourlyWeekTimerId(data.contractId, data.endsAfterWeek), position),
};
