import { AFTER_DEADLINE, CLIENT, COMPETITION_ID, DEADLINE, DRAFTED_AT, PUBLISHED_AT, SUPPORT, WORKER, command, drafted, given, prepaid, published } from '../testing/fixtures';

const draft = (fields: Partial<Parameters<typeof command<'DraftCompetition'>>[3]> = {}, at = DRAFTED_AT) =>
  command('DraftCompetition', CLIENT, at, { title: 'A logo for our bakery', brief: 'A round logo in two colours', prize: 45_455, deadline: DEADLINE, ...fields });

const prepay = (fields: Partial<Parameters<typeof command<'PrepayPrize'>>[3]> = {}) =>
  command('PrepayPrize', CLIENT, DRAFTED_AT, { paymentReference: 'pay-1', method: 'card', ...fields });

describe('drafting a competition', () => {
  it('states the prize ex-tax and fixes its gross, tax rate and fee schedule when drafted', () => {
    given([]).when(draft()).then([drafted]);
  });

  it('takes a known fee schedule the client names', () => {
    given([])
      .when(draft({ feeScheduleId: 'crowdworks-2019-10' }))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ feeScheduleId: 'crowdworks-2019-10' }));
    given([]).when(draft({ feeScheduleId: 'no-such-schedule' })).thenThrows('invalid', 'UNKNOWN_FEE_SCHEDULE');
  });

  it('refuses a prize that is not whole yen from 1, a blank title and a deadline that is not ahead', () => {
    given([]).when(draft({ prize: 0 })).thenThrows('invalid', 'INVALID_AMOUNT');
    given([]).when(draft({ prize: 10.5 })).thenThrows('invalid', 'INVALID_AMOUNT');
    given([]).when(draft({ title: ' ' })).thenThrows('invalid', 'INVALID_TITLE');
    given([]).when(draft({ brief: 'x'.repeat(4001) })).thenThrows('invalid', 'INVALID_BRIEF');
    given([]).when(draft({ deadline: 'tomorrow' })).thenThrows('invalid', 'INVALID_TIMESTAMP');
    given([]).when(draft({ deadline: DRAFTED_AT })).thenThrows('conflict', 'COMPETITION_DEADLINE_NOT_IN_FUTURE');
  });

  it('refuses an id used already, staff, and a closed account', () => {
    given([drafted]).when(draft()).thenThrows('conflict', 'COMPETITION_ALREADY_EXISTS');
    given([]).when({ ...draft(), actor: SUPPORT }).thenThrows('forbidden', 'ROLE_NOT_ALLOWED');
    given([]).when(draft({ closedAccounts: [CLIENT.id] })).thenThrows('conflict', 'CLIENT_ACCOUNT_CLOSED');
  });
});

describe('prepaying the prize (仮払い) and publishing', () => {
  it('puts exactly the prize gross into escrow as the first prize', () => {
    given([drafted]).when(prepay()).then([prepaid(1)]);
    given([drafted]).when(prepay({ amount: 50_000 })).then([prepaid(1)]);
  });

  it('refuses another amount, a second prepayment and anyone but the client', () => {
    given([drafted]).when(prepay({ amount: 49_999 })).thenThrows('conflict', 'PRIZE_AMOUNT_MISMATCH');
    given([drafted, prepaid()]).when(prepay({ paymentReference: 'pay-2' })).thenThrows('conflict', 'PRIZE_ALREADY_PREPAID');
    given([drafted]).when({ ...prepay(), actor: WORKER }).thenThrows('forbidden', 'NOT_COMPETITION_CLIENT');
    given([drafted]).when(prepay({ method: 'cash' as never })).thenThrows('invalid', 'INVALID_PAYMENT_METHOD');
    given([drafted]).when(prepay({ closedAccounts: [CLIENT.id] })).thenThrows('conflict', 'CLIENT_ACCOUNT_CLOSED');
    given([]).when(prepay()).thenThrows('not_found', 'COMPETITION_NOT_FOUND');
  });

  it('publishes only with the prize prepaid and before the deadline', () => {
    const publish = (at = PUBLISHED_AT) => command('PublishCompetition', CLIENT, at, {});
    given([drafted, prepaid()]).when(publish()).then([published]);
    given([drafted]).when(publish()).thenThrows('conflict', 'PRIZE_NOT_PREPAID');
    given([drafted, prepaid()]).when(publish(AFTER_DEADLINE)).thenThrows('conflict', 'COMPETITION_DEADLINE_PASSED');
    given([drafted, prepaid(), published]).when(publish()).thenThrows('conflict', 'COMPETITION_ALREADY_PUBLISHED');
    given([drafted, prepaid(), published]).when(prepay({ paymentReference: 'pay-2' })).thenThrows('conflict', 'COMPETITION_ALREADY_PUBLISHED');
  });

  it('names the competition in every event', () => {
    expect(given([drafted, prepaid(), published]).state()).toMatchObject({ competitionId: COMPETITION_ID, status: 'open' });
  });
});
