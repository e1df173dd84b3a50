import fc from 'fast-check';
import { getFeeSchedule, payoutFee } from '../../money';
import { fold } from '../../shared/decider';
import { hourlyDecider } from '../decider';
import type { HourlyEvent, HourlyWeekPaidOutData } from '../events';
import { accepted, CLIENT, funded, offered, SUPPORT, SYSTEM, WORKER } from '../testing';
import { addDays } from '../../calendar/civil-time';
import { reviewWindowClosesAt, reviewWindowOpensAt, weekBeginsAt, weekEndsAt, grossOfMinutes } from '../weeks';
import type { HourlyCommand } from '../commands';

const SCHEDULE = getFeeSchedule('crowdworks-2019-10')!;
const FIRST_WEEK = '2026-11-02';

/** Runs commands through the decider, folding what each records, as the executor does. */
const run = (events: HourlyEvent[], command: HourlyCommand): HourlyEvent[] => {
  const produced = hourlyDecider.decide(command, fold(hourlyDecider.evolve, hourlyDecider.initialState(), events));
  return [...events, ...produced];
};

/** A contract with a week of quarter hours recorded and settled for each entry, each week funded first. */
const weeksPaid = (weeks: { minutes: number; disputed: number; awarded: number }[]): HourlyWeekPaidOutData[] => {
  let events: HourlyEvent[] = [offered, { ...accepted, data: { ...accepted.data, weeklyLimitHours: 40 } }, funded(10_000_000, 'pay-0', 10_000_000)];
  weeks.forEach((week, index) => {
    const weekStart = addDays(FIRST_WEEK, 7 * index);
    const base = { contractId: 'h1' };
    events = run(events, {
      type: 'RecordHourlyWork',
      ...base,
      actor: WORKER,
      at: weekEndsAt(weekStart),
      reportId: `r-${index}`,
      weekStart,
      periodStart: weekBeginsAt(weekStart),
      periodEnd: weekEndsAt(weekStart),
      minutes: week.minutes,
    });
    if (week.disputed > 0) {
      events = run(events, { type: 'DisputeHourlyWork', ...base, actor: CLIENT, at: reviewWindowOpensAt(weekStart), weekStart, minutes: week.disputed, reason: 'too many' });
    }
    events = run(events, { type: 'SettleHourlyWeek', ...base, actor: SYSTEM, at: reviewWindowClosesAt(weekStart), weekStart });
    if (week.disputed > 0) {
      events = run(events, { type: 'SettleHourlyDispute', ...base, actor: SUPPORT, at: reviewWindowClosesAt(weekStart), weekStart, awardedMinutes: week.awarded, reason: 'decided' });
    }
  });
  return events.filter((event) => event.type === 'HourlyWeekPaidOut').map((event) => event.data as HourlyWeekPaidOutData);
};

const quarterHours = (max: number) => fc.integer({ min: 1, max: max / 15 }).map((quarters) => quarters * 15);
const week = quarterHours(2_400).chain((minutes) =>
  fc.integer({ min: 0, max: minutes / 15 }).chain((disputedQuarters) =>
    fc.integer({ min: 0, max: disputedQuarters }).map((awardedQuarters) => ({ minutes, disputed: disputedQuarters * 15, awarded: awardedQuarters * 15 })),
  ),
);

describe('hourly fee properties', () => {
  it('charges each week the fixed-price fee of its own gross alone, whatever earlier weeks paid (tiers restart weekly)', () => {
    fc.assert(
      fc.property(fc.array(week, { minLength: 1, maxLength: 5 }), (weeks) => {
        const payouts = weeksPaid(weeks);
        weeks.forEach((each, index) => {
          const weekStart = addDays(FIRST_WEEK, 7 * index);
          const ofWeek = payouts.filter((payout) => payout.weekStart === weekStart);
          const paidMinutes = each.minutes - each.disputed + each.awarded;
          const gross = ofWeek.reduce((sum, payout) => sum + payout.gross, 0);
          expect(gross).toBe(grossOfMinutes(2_000, paidMinutes, '0.10'));
          const alone = payoutFee(SCHEDULE, '0.10', 0, gross);
          expect(ofWeek.reduce((sum, payout) => sum + payout.fee, 0)).toBe(alone.fee);
          if (ofWeek.length > 0) expect(ofWeek[0].cumulativeGrossBefore).toBe(0);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('gives a week the same payouts whether or not other weeks came before it', () => {
    fc.assert(
      fc.property(fc.array(week, { minLength: 1, maxLength: 4 }), week, (earlier, last) => {
        const alone = weeksPaid([last]).map(({ weekStart: _w, ...figures }) => figures);
        const after = weeksPaid([...earlier, last])
          .filter((payout) => payout.weekStart === addDays(FIRST_WEEK, 7 * earlier.length))
          .map(({ weekStart: _w, ...figures }) => figures);
        expect(after).toEqual(alone);
      }),
      { numRuns: 60 },
    );
  });
});
