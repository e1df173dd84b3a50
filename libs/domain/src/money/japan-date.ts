const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/**
 * The calendar date in Japan (UTC+9, no daylight saving) of an ISO date or timestamp. Rates change at
 * midnight in Japan, so '2019-09-30T15:00:00Z' is already 2019-10-01. A bare date is taken as a
 * Japanese date; a timestamp must carry its offset so it is never read in the server's zone.
 */
export const toJapanCalendarDate = (isoDateOrTimestamp: string): string => {
  if (DATE_ONLY.test(isoDateOrTimestamp)) {
    assertRealDate(isoDateOrTimestamp);
    return isoDateOrTimestamp;
  }
  if (!TIMESTAMP_WITH_OFFSET.test(isoDateOrTimestamp)) {
    throw new Error(`expected an ISO date (YYYY-MM-DD) or timestamp with offset, got ${isoDateOrTimestamp}`);
  }
  const instant = new Date(isoDateOrTimestamp).getTime();
  if (Number.isNaN(instant)) throw new Error(`not a valid timestamp: ${isoDateOrTimestamp}`);
  return new Date(instant + JST_OFFSET_MS).toISOString().slice(0, 10);
};

const assertRealDate = (isoDate: string): void => {
  const parsed = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== isoDate) {
    throw new Error(`not a calendar date: ${isoDate}`);
  }
};
