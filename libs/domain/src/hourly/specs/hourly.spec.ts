import type { HourlyEvent, HourlyWeekPaidOutData } from '../events';
import { hourlyContractView } from '../view';
import {
  ACCEPTED_AT,
  accepted,
  active,
  CLIENT,
  command,
  ESTIMATED_WEEK_GROSS,
  funded,
  given,
  offered,
  PARTIES,
  recorded,
  SUPPORT,
  SYSTEM,
  WEEK_1,
  WEEK_1_REVIEW_CLOSES,
  WEEK_1_REVIEW_OPENS,
  WEEK_2,
  WORKER,
} from '../testing';

const TIERS = (first: number, second = 0, third = 0) => [
  { rate: '0.20', from: 0, upTo: 100_000, grossInTier: first },
  { rate: '0.10', from: 100_000, upTo: 200_000, grossInTier: second },
  { rate: '0.05', from: 200_000, upTo: null, grossInTier: third },
];

const paidOut = (weekStart: string, minutes: number, figures: Omit<HourlyWeekPaidOutData, 'contractId' | 'clientId' | 'workerId' | 'weekStart' | 'minutes' | 'scheduleId' | 'taxRate'>): HourlyEvent => ({
  type: 'HourlyWeekPaidOut',
  data: { ...PARTIES, weekStart, minutes, scheduleId: 'crowdworks-2019-10', taxRate: '0.10', ...figures },
});

const record = (fields: { weekStart?: string; minutes?: number; reportId?: string; periodStart?: string; periodEnd?: string; at?: string } = {}) =>
  command('RecordHourlyWork', WORKER, {
    reportId: 'r-1',
    weekStart: WEEK_1,
    periodStart: '2026-11-02T00:00:00Z',
    periodEnd: '2026-11-02T12:00:00Z',
    minutes: 600,
    at: '2026-11-02T13:00:00Z',
    ...fields,
  });

const settleWeek = (weekStart = WEEK_1, at = WEEK_1_REVIEW_CLOSES) => command('SettleHourlyWeek', SYSTEM, { weekStart, at });
const dispute = (minutes: number, at = WEEK_1_REVIEW_OPENS) => command('DisputeHourlyWork', CLIENT, { weekStart: WEEK_1, minutes, reason: 'Not worked', at });

const closed = (weekStart: string, recordedMinutes: number, heldMinutes: number, paidMinutes: number, closedAt = WEEK_1_REVIEW_CLOSES): HourlyEvent => ({
  type: 'HourlyReviewWindowClosed',
  data: { ...PARTIES, weekStart, recordedMinutes, heldMinutes, paidMinutes, closedAt },
});

/** 10 hours at ¥2,000: ¥20,000 plus 10 % tax = ¥22,000 gross; 20 % fee ¥4,400 plus its tax ¥440. */
const PAID_TEN_HOURS = paidOut(WEEK_1, 600, {
  cause: 'review_window_closed',
  gross: 22_000,
  feeExTax: 4_400,
  feeTax: 440,
  fee: 4_840,
  net: 17_160,
  tiers: TIERS(22_000),
  cumulativeGrossBefore: 0,
  cumulativeGrossAfter: 22_000,
  cumulativeFeeAfter: 4_840,
});

describe('hourly contract: offer and acceptance', () => {
  it('records the client\'s offer of a rate and a weekly limit', () => {
    given([])
      .when(command('OfferHourlyContract', CLIENT, { clientId: CLIENT.id, workerId: WORKER.id, title: 'Support desk', hourlyRate: 2_000, weeklyLimitHours: 40, at: '2026-11-01T01:00:00Z' }))
      .then([offered]);
  });

  it.each([
    ['a rate below ¥100', { hourlyRate: 99 }, 'INVALID_HOURLY_RATE'],
    ['a fractional rate', { hourlyRate: 1_500.5 }, 'INVALID_HOURLY_RATE'],
    ['a limit above the 168 hours of a week', { weeklyLimitHours: 169 }, 'INVALID_WEEKLY_LIMIT'],
    ['a limit of no hours', { weeklyLimitHours: 0 }, 'INVALID_WEEKLY_LIMIT'],
  ])('refuses %s', (_name, change, code) => {
    given([])
      .when(command('OfferHourlyContract', CLIENT, { clientId: CLIENT.id, workerId: WORKER.id, title: 'Support desk', hourlyRate: 2_000, weeklyLimitHours: 40, ...change }))
      .thenThrows('invalid', code);
  });

  it('refuses an offer made on another client\'s behalf', () => {
    given([])
      .when(command('OfferHourlyContract', WORKER, { clientId: CLIENT.id, workerId: WORKER.id, title: 'Support desk', hourlyRate: 2_000, weeklyLimitHours: 40 }))
      .thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
  });

  it('fixes the schedule, the tax rate and the estimated week (rate × limit, with tax) at the worker\'s acceptance', () => {
    given([offered]).when(command('AcceptHourlyContract', WORKER, {})).then([accepted]);
    given([offered]).when(command('AcceptHourlyContract', CLIENT, {})).thenThrows('forbidden', 'NOT_CONTRACT_WORKER');
    given([offered, accepted]).when(command('AcceptHourlyContract', WORKER, {})).thenThrows('conflict', 'OFFER_NOT_OPEN');
  });

  it('refuses acceptance when a party\'s account is closed', () => {
    given([offered]).when({ ...command('AcceptHourlyContract', WORKER, {}), closedAccounts: [CLIENT.id] }).thenThrows('conflict', 'CLIENT_ACCOUNT_CLOSED');
  });
});

describe('hourly contract: prepayments', () => {
  it('takes the estimated week when no amount is given, and any top-up after it', () => {
    given([offered, accepted]).when(command('PrepayHourlyEscrow', CLIENT, { paymentReference: 'pay-1', method: 'card' })).then([funded()]);
    given(active)
      .when(command('PrepayHourlyEscrow', CLIENT, { paymentReference: 'pay-2', method: 'card', amount: 5_000 }))
      .then([funded(5_000, 'pay-2', ESTIMATED_WEEK_GROSS + 5_000)]);
  });

  it('refuses a payment recorded already, a worker, an offer not accepted and an ending contract', () => {
    given(active).when(command('PrepayHourlyEscrow', CLIENT, { paymentReference: 'pay-1', method: 'card' })).thenThrows('conflict', 'PAYMENT_REFERENCE_ALREADY_USED');
    given(active).when(command('PrepayHourlyEscrow', WORKER, { paymentReference: 'pay-2', method: 'card' })).thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
    given([offered]).when(command('PrepayHourlyEscrow', CLIENT, { paymentReference: 'pay-2', method: 'card' })).thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
    given([...active, ending(WEEK_1)]).when(command('PrepayHourlyEscrow', CLIENT, { paymentReference: 'pay-2', method: 'card' })).thenThrows('conflict', 'CONTRACT_ENDING');
  });
});

const ending = (endsAfterWeek: string, requestedAt = '2026-11-03T01:00:00Z'): HourlyEvent => ({
  type: 'HourlyContractEnding',
  data: { ...PARTIES, requestedBy: 'client', endsAfterWeek, requestedAt },
});

describe('hourly contract: recording hours', () => {
  it('records a report of the worker\'s tracking service within its week', () => {
    given(active).when(record()).then([{ ...recorded(WEEK_1, 600, 'r-1'), data: { ...recorded(WEEK_1, 600, 'r-1').data, recordedAt: '2026-11-02T13:00:00Z' } }]);
  });

  it('adds reports of one week up to the weekly limit, never above', () => {
    given([...active, recorded(WEEK_1, 2_385, 'r-0')])
      .when(record({ minutes: 15 }))
      .thenAssert((events) => expect(events[0].data).toMatchObject({ weekMinutesAfter: 2_400 }));
    given([...active, recorded(WEEK_1, 2_385, 'r-0')]).when(record({ minutes: 30 })).thenThrows('conflict', 'WEEKLY_LIMIT_EXCEEDED');
  });

  it.each([
    ['minutes that are not quarter hours', { minutes: 20 }, 'INVALID_MINUTES'],
    ['more minutes than the weekly limit', { minutes: 2_415 }, 'INVALID_MINUTES'],
    ['a week that does not start on a Monday', { weekStart: '2026-11-03' }, 'NOT_A_MONDAY'],
    ['a period ending before it starts', { periodEnd: '2026-11-01T23:00:00Z' }, 'INVALID_WORK_PERIOD'],
    ['a period outside the week (Sunday before, Japan time)', { periodStart: '2026-11-01T14:00:00Z' }, 'PERIOD_OUTSIDE_WEEK'],
    ['more minutes than the period holds', { minutes: 735 }, 'MINUTES_EXCEED_PERIOD'],
  ])('refuses %s', (_name, change, code) => {
    given(active).when(record(change)).thenThrows('invalid', code);
  });

  it('refuses hours reported before they were worked, once the review window opened, or after the last week of an ending contract', () => {
    given(active).when(record({ at: '2026-11-02T11:00:00Z' })).thenThrows('conflict', 'WORK_NOT_YET_DONE');
    given(active).when(record({ at: WEEK_1_REVIEW_OPENS })).thenThrows('conflict', 'REVIEW_WINDOW_STARTED');
    given(active).when(record({ at: '2026-11-09T14:59:59Z' })).thenAssert((events) => expect(events).toHaveLength(1));
    given([...active, ending(WEEK_1)])
      .when(record({ weekStart: WEEK_2, periodStart: '2026-11-09T00:00:00Z', periodEnd: '2026-11-09T12:00:00Z', at: '2026-11-09T13:00:00Z' }))
      .thenThrows('conflict', 'CONTRACT_ENDING');
  });

  it('refuses hours the prepaid escrow does not cover, counting every week not yet paid', () => {
    // ¥88,000 covers 40 hours; 30 hours of week 1 are still unpaid, so 15 of week 2 are too many.
    given([...active, recorded(WEEK_1, 1_800)])
      .when(record({ weekStart: WEEK_2, minutes: 900, periodStart: '2026-11-09T00:00:00Z', periodEnd: '2026-11-09T23:00:00Z', at: '2026-11-10T00:00:00Z' }))
      .thenThrows('conflict', 'ESCROW_INSUFFICIENT');
  });

  it('refuses a report twice, a client reporting and hours for a week before the contract', () => {
    given([...active, recorded(WEEK_1, 60, 'r-1')]).when(record()).thenThrows('conflict', 'REPORT_ALREADY_RECORDED');
    given(active).when({ ...record(), actor: CLIENT }).thenThrows('forbidden', 'NOT_CONTRACT_WORKER');
    given(active)
      .when(record({ weekStart: '2026-10-26', periodStart: '2026-10-26T00:00:00Z', periodEnd: '2026-10-26T12:00:00Z' }))
      .thenThrows('conflict', 'WEEK_BEFORE_CONTRACT');
  });
});

describe('hourly contract: review window and disputes', () => {
  it('lets the client dispute minutes from the Tuesday after the work week through the following Monday, holding their gross', () => {
    given([...active, recorded(WEEK_1, 600)])
      .when(dispute(120))
      .then([{ type: 'HourlyWorkDisputed', data: { ...PARTIES, weekStart: WEEK_1, minutes: 120, reason: 'Not worked', heldGross: 4_400, disputedAt: WEEK_1_REVIEW_OPENS } }]);
    given([...active, recorded(WEEK_1, 600)]).when(dispute(120, '2026-11-09T14:59:59Z')).thenThrows('conflict', 'OUTSIDE_REVIEW_WINDOW');
    given([...active, recorded(WEEK_1, 600)]).when(dispute(120, WEEK_1_REVIEW_CLOSES)).thenThrows('conflict', 'OUTSIDE_REVIEW_WINDOW');
  });

  it('refuses a second dispute, more minutes than recorded, a week without hours and a worker disputing', () => {
    const disputed: HourlyEvent = { type: 'HourlyWorkDisputed', data: { ...PARTIES, weekStart: WEEK_1, minutes: 120, reason: 'x', heldGross: 4_400, disputedAt: WEEK_1_REVIEW_OPENS } };
    given([...active, recorded(WEEK_1, 600), disputed]).when(dispute(60)).thenThrows('conflict', 'WEEK_ALREADY_DISPUTED');
    given([...active, recorded(WEEK_1, 600)]).when(dispute(615)).thenThrows('conflict', 'DISPUTE_EXCEEDS_HOURS');
    given(active).when(dispute(60)).thenThrows('conflict', 'NO_HOURS_RECORDED');
    given([...active, recorded(WEEK_1, 600)]).when({ ...dispute(60), actor: WORKER }).thenThrows('forbidden', 'NOT_CONTRACT_CLIENT');
  });
});

describe('hourly contract: weekly settlement', () => {
  it('pays the undisputed hours when the review window closes, the fee on the week alone', () => {
    given([...active, recorded(WEEK_1, 600)]).when(settleWeek()).then([closed(WEEK_1, 600, 0, 600), PAID_TEN_HOURS]);
  });

  it('refuses before the window closes, twice, from a user, and for a week without hours', () => {
    given([...active, recorded(WEEK_1, 600)]).when(settleWeek(WEEK_1, '2026-11-16T14:59:59Z')).thenThrows('conflict', 'REVIEW_WINDOW_OPEN');
    given([...active, recorded(WEEK_1, 600), closed(WEEK_1, 600, 0, 600), PAID_TEN_HOURS]).when(settleWeek()).thenThrows('conflict', 'WEEK_ALREADY_SETTLED');
    given([...active, recorded(WEEK_1, 600)]).when({ ...settleWeek(), actor: CLIENT }).thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given(active).when(settleWeek()).thenThrows('conflict', 'NO_HOURS_RECORDED');
  });

  it('restarts the tiers every week: a second week is charged from ¥0, whatever the first paid', () => {
    const bigWeek = paidOut(WEEK_1, 2_400, {
      cause: 'review_window_closed',
      gross: 88_000,
      feeExTax: 17_600,
      feeTax: 1_760,
      fee: 19_360,
      net: 68_640,
      tiers: TIERS(88_000),
      cumulativeGrossBefore: 0,
      cumulativeGrossAfter: 88_000,
      cumulativeFeeAfter: 19_360,
    });
    given([...active, funded(88_000, 'pay-2', 176_000), recorded(WEEK_1, 2_400), closed(WEEK_1, 2_400, 0, 2_400), bigWeek, recorded(WEEK_2, 600)])
      .when(settleWeek(WEEK_2, '2026-11-23T15:00:00Z'))
      .thenAssert((events) => expect(events[1].data).toMatchObject({ gross: 22_000, fee: 4_840, cumulativeGrossBefore: 0, tiers: TIERS(22_000) }));
  });

  it('holds the disputed minutes at the close and pays what support awards of them, the week\'s tiers continued', () => {
    const disputed: HourlyEvent = { type: 'HourlyWorkDisputed', data: { ...PARTIES, weekStart: WEEK_1, minutes: 120, reason: 'x', heldGross: 4_400, disputedAt: WEEK_1_REVIEW_OPENS } };
    const undisputed = paidOut(WEEK_1, 480, {
      cause: 'review_window_closed',
      gross: 17_600,
      feeExTax: 3_520,
      feeTax: 352,
      fee: 3_872,
      net: 13_728,
      tiers: TIERS(17_600),
      cumulativeGrossBefore: 0,
      cumulativeGrossAfter: 17_600,
      cumulativeFeeAfter: 3_872,
    });
    given([...active, recorded(WEEK_1, 600), disputed]).when(settleWeek()).then([closed(WEEK_1, 600, 120, 480), undisputed]);
    const settle = command('SettleHourlyDispute', SUPPORT, { weekStart: WEEK_1, awardedMinutes: 60, reason: 'Logs show one hour', at: '2026-11-18T01:00:00Z' });
    given([...active, recorded(WEEK_1, 600), disputed, closed(WEEK_1, 600, 120, 480), undisputed])
      .when(settle)
      .thenAssert((events, after) => {
        expect(events.map((event) => event.type)).toEqual(['HourlyDisputeSettled', 'HourlyWeekPaidOut']);
        expect(events[1].data).toMatchObject({ minutes: 60, gross: 2_200, fee: 484, cumulativeGrossBefore: 17_600, cumulativeGrossAfter: 19_800, cumulativeFeeAfter: 4_356, cause: 'dispute_settled' });
        // The hour not awarded is free escrow again: ¥88,000 − ¥19,800 paid.
        expect(hourlyContractView(after)?.totals).toMatchObject({ escrow: 68_200, committed: 0 });
      });
    given([...active, recorded(WEEK_1, 600), disputed]).when({ ...settle, actor: CLIENT }).thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given([...active, recorded(WEEK_1, 600)]).when(settle).thenThrows('conflict', 'NO_OPEN_DISPUTE');
    given([...active, recorded(WEEK_1, 600), disputed]).when({ ...settle, awardedMinutes: 135 } as typeof settle).thenThrows('conflict', 'AWARD_EXCEEDS_DISPUTE');
  });

  it('pays an award made before the close together with the undisputed minutes', () => {
    const disputed: HourlyEvent = { type: 'HourlyWorkDisputed', data: { ...PARTIES, weekStart: WEEK_1, minutes: 120, reason: 'x', heldGross: 4_400, disputedAt: WEEK_1_REVIEW_OPENS } };
    const settled: HourlyEvent = { type: 'HourlyDisputeSettled', data: { ...PARTIES, weekStart: WEEK_1, disputedMinutes: 120, awardedMinutes: 120, reason: 'ok', settledAt: '2026-11-11T00:00:00Z' } };
    given([...active, recorded(WEEK_1, 600), disputed, settled]).when(settleWeek()).then([closed(WEEK_1, 600, 0, 600), PAID_TEN_HOURS]);
  });
});

describe('hourly contract: termination (契約終了)', () => {
  it('lets either party end the contract after the current work week', () => {
    given(active)
      .when(command('EndHourlyContract', CLIENT, { at: '2026-11-03T01:00:00Z' }))
      .then([ending(WEEK_1)]);
    given(active)
      .when(command('EndHourlyContract', WORKER, { reason: 'Project over', at: '2026-11-08T14:59:59Z' }))
      .thenAssert((events) => expect(events[0].data).toMatchObject({ requestedBy: 'worker', endsAfterWeek: WEEK_1 }));
    given([...active, ending(WEEK_1)]).when(command('EndHourlyContract', WORKER, {})).thenThrows('conflict', 'CONTRACT_ENDING');
    given(active).when(command('EndHourlyContract', { id: 'stranger', role: 'user' }, {})).thenThrows('forbidden', 'NOT_CONTRACT_PARTY');
  });

  it('ends when the last week is settled, refunding what escrow still holds', () => {
    given([...active, recorded(WEEK_1, 600), ending(WEEK_1)])
      .when(settleWeek())
      .then([
        closed(WEEK_1, 600, 0, 600),
        PAID_TEN_HOURS,
        { type: 'HourlyEscrowRefunded', data: { ...PARTIES, amount: 66_000, cause: 'contract_ended', escrowAfter: 0 } },
        {
          type: 'HourlyContractEnded',
          data: { ...PARTIES, outcome: 'completed', endsAfterWeek: WEEK_1, paidOutGross: 22_000, fees: 4_840, net: 17_160, refunded: 66_000, acceptedAt: ACCEPTED_AT, endedAt: WEEK_1_REVIEW_CLOSES },
        },
      ]);
  });

  it('ends a contract whose last week has no hours at that week\'s close, as terminated when nothing was paid', () => {
    given([...active, ending(WEEK_1)])
      .when(settleWeek())
      .thenAssert((events, after) => {
        expect(events.map((event) => event.type)).toEqual(['HourlyEscrowRefunded', 'HourlyContractEnded']);
        expect(events[1].data).toMatchObject({ outcome: 'terminated', refunded: ESTIMATED_WEEK_GROSS });
        expect(after.status).toBe('ended');
      });
  });

  it('waits for an open dispute: support\'s settlement then ends the contract', () => {
    const disputed: HourlyEvent = { type: 'HourlyWorkDisputed', data: { ...PARTIES, weekStart: WEEK_1, minutes: 600, reason: 'x', heldGross: 22_000, disputedAt: WEEK_1_REVIEW_OPENS } };
    const history = [...active, recorded(WEEK_1, 600), ending(WEEK_1), disputed];
    given(history).when(settleWeek()).then([closed(WEEK_1, 600, 600, 0)]);
    given([...history, closed(WEEK_1, 600, 600, 0)])
      .when(command('SettleHourlyDispute', SUPPORT, { weekStart: WEEK_1, awardedMinutes: 0, reason: 'No evidence of work', at: '2026-11-18T01:00:00Z' }))
      .thenAssert((events) => {
        expect(events.map((event) => event.type)).toEqual(['HourlyDisputeSettled', 'HourlyEscrowRefunded', 'HourlyContractEnded']);
        expect(events[1].data).toMatchObject({ amount: ESTIMATED_WEEK_GROSS });
      });
  });

  it('refuses the empty last week\'s timer while an earlier dispute is open', () => {
    const disputed: HourlyEvent = { type: 'HourlyWorkDisputed', data: { ...PARTIES, weekStart: WEEK_1, minutes: 600, reason: 'x', heldGross: 22_000, disputedAt: WEEK_1_REVIEW_OPENS } };
    given([...active, recorded(WEEK_1, 600), disputed, closed(WEEK_1, 600, 600, 0), ending(WEEK_2, '2026-11-10T01:00:00Z')])
      .when(settleWeek(WEEK_2, '2026-11-23T15:00:00Z'))
      .thenThrows('conflict', 'NOTHING_TO_SETTLE');
  });

  it('takes no commands once ended', () => {
    const ended: HourlyEvent = { type: 'HourlyContractEnded', data: { ...PARTIES, outcome: 'terminated', endsAfterWeek: WEEK_1, paidOutGross: 0, fees: 0, net: 0, refunded: 0, acceptedAt: ACCEPTED_AT, endedAt: WEEK_1_REVIEW_CLOSES } };
    given([...active, ending(WEEK_1), ended]).when(record()).thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
    given([...active, ending(WEEK_1), ended]).when(command('EndHourlyContract', CLIENT, {})).thenThrows('conflict', 'CONTRACT_NOT_ACTIVE');
  });
});
