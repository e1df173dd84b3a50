import { deciderSpec } from '../testing/given-when-then';
import { walletDecider, walletDeciderWith } from './decider';
import { DEFAULT_WITHDRAWAL_FEE_POLICY } from './withdrawal-fees';
import { walletView } from './view';
import { automaticWithdrawalIdOf } from './automatic-withdrawal-modes';
import { MAX_ID_LENGTH } from '../shared/limits';
import {
  ACCOUNT_ID,
  OWNER,
  REVIEWER,
  SCHEDULER,
  automaticWithdrawalCommand,
  chooseModeCommand,
  creditCommand,
  historyOf,
  refusalOf,
  withdrawalCommand,
} from './wallet.fixtures';

const { given } = deciderSpec(walletDecider);

// The 2026-12-31 cut-off falls at 2026-12-31T15:00:00Z (Tokyo midnight) and pays on 2027-01-15.
const BEFORE_YEAR_END = '2026-12-20T00:00:00Z';
const AT_YEAR_END_CUTOFF = '2026-12-31T15:00:00.000Z';
const AUTOMATIC_ID = `automatic-2026-12-31-${ACCOUNT_ID}`;

describe('ChooseWithdrawalMode', () => {
  it('records the owner\'s choice, with the mode it replaces (on_cutoff by default)', () => {
    given([])
      .when(chooseModeCommand('over_50000', BEFORE_YEAR_END))
      .then([
        {
          type: 'WithdrawalModeChosen',
          data: { accountId: ACCOUNT_ID, mode: 'over_50000', previousMode: 'on_cutoff', chosenBy: OWNER, chosenAt: BEFORE_YEAR_END },
        },
      ]);
  });

  it('lets support choose on the owner\'s behalf', () => {
    given([])
      .when(chooseModeCommand('carry_over', BEFORE_YEAR_END, REVIEWER))
      .thenAssert((events) => expect(events).toEqual([expect.objectContaining({ type: 'WithdrawalModeChosen', data: expect.objectContaining({ chosenBy: REVIEWER }) })]));
  });

  it('appends nothing when the mode in force is chosen again', () => {
    given([]).when(chooseModeCommand('on_cutoff', BEFORE_YEAR_END)).then([]);
    given(historyOf([chooseModeCommand('carry_over', BEFORE_YEAR_END)])).when(chooseModeCommand('carry_over', '2026-12-21T00:00:00Z')).then([]);
  });

  it('refuses another user, the platform and an unknown mode, naming the field and rule', () => {
    given([]).when(chooseModeCommand('carry_over', BEFORE_YEAR_END, { id: 'someone-else', role: 'user' })).thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
    given([]).when(chooseModeCommand('carry_over', BEFORE_YEAR_END, SCHEDULER)).thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
    const refusal = refusalOf([], chooseModeCommand('weekly' as never, BEFORE_YEAR_END));
    expect(refusal).toMatchObject({ kind: 'invalid', details: { errors: [expect.objectContaining({ field: 'mode', rule: 'isIn' })] } });
  });

  it('shows the mode and its threshold on the wallet', () => {
    const fold = (commands: Parameters<typeof historyOf>[0]) => historyOf(commands).reduce(walletDecider.evolve, walletDecider.initialState());
    expect(walletView(fold([]), BEFORE_YEAR_END)).toMatchObject({ withdrawalMode: 'on_cutoff', automaticWithdrawalThreshold: 1_000 });
    expect(walletView(fold([chooseModeCommand('over_50000', BEFORE_YEAR_END)]), BEFORE_YEAR_END)).toMatchObject({
      withdrawalMode: 'over_50000',
      automaticWithdrawalThreshold: 50_000,
    });
    expect(walletView(fold([chooseModeCommand('carry_over', BEFORE_YEAR_END)]), BEFORE_YEAR_END)).toMatchObject({
      withdrawalMode: 'carry_over',
      automaticWithdrawalThreshold: null,
    });
  });
});

describe('RequestAutomaticWithdrawal', () => {
  it('on_cutoff (the default): requests a standard withdrawal of the whole balance, paid on the cut-off\'s payout date', () => {
    given(historyOf([creditCommand('payout-1', 8_580, BEFORE_YEAR_END)]))
      .when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF))
      .then([
        {
          type: 'WithdrawalRequested',
          data: {
            accountId: ACCOUNT_ID,
            withdrawalId: AUTOMATIC_ID,
            amount: 8_580,
            bankFee: 100,
            quickFee: 0,
            netAmount: 8_480,
            mode: 'standard',
            bankAccountId: 'bank-1',
            bankCode: '0036',
            payoutDate: '2027-01-15',
            status: 'scheduled',
            reviewReasons: [],
            allocations: [{ sourceId: 'payout-1', amount: 8_580 }],
            requestedAt: AT_YEAR_END_CUTOFF,
            availableAfter: 0,
          },
        },
      ]);
  });

  it('on_cutoff: nothing below ¥1,000; ¥1,000 exactly is withdrawn', () => {
    given(historyOf([creditCommand('payout-1', 999, BEFORE_YEAR_END)])).when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF)).then([]);
    given(historyOf([creditCommand('payout-1', 1_000, BEFORE_YEAR_END)]))
      .when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF))
      .thenAssert((events) => expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ amount: 1_000, netAmount: 900 }) })]));
  });

  it('over_50000: nothing at ¥49,999; the whole balance from ¥50,000', () => {
    const chosen = chooseModeCommand('over_50000', '2026-12-01T00:00:00Z');
    given(historyOf([chosen, creditCommand('payout-1', 49_999, BEFORE_YEAR_END)])).when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF)).then([]);
    given(historyOf([chosen, creditCommand('payout-1', 30_000, BEFORE_YEAR_END), creditCommand('payout-2', 20_000, BEFORE_YEAR_END)]))
      .when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF))
      .thenAssert((events, state) => {
        expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ withdrawalId: AUTOMATIC_ID, amount: 50_000, payoutDate: '2027-01-15' }) })]);
        expect(state.available).toBe(0);
      });
  });

  it('carry_over: never, whatever the balance', () => {
    given(historyOf([chooseModeCommand('carry_over', '2026-12-01T00:00:00Z'), creditCommand('payout-1', 500_000, BEFORE_YEAR_END)]))
      .when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF))
      .then([]);
  });

  it('applies the mode in force at the cut-off, not one chosen after it', () => {
    const history = historyOf([creditCommand('payout-1', 10_000, BEFORE_YEAR_END), chooseModeCommand('carry_over', '2027-01-01T00:00:00Z')]);
    given(history)
      .when(automaticWithdrawalCommand('2026-12-31', '2027-01-01T01:00:00Z'))
      .thenAssert((events) => expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ amount: 10_000 }) })]));
  });

  it('leaves money credited after the cut-off for the next one', () => {
    const history = historyOf([creditCommand('payout-1', 4_000, BEFORE_YEAR_END), creditCommand('payout-2', 6_000, '2027-01-01T00:30:00Z')]);
    given(history)
      .when(automaticWithdrawalCommand('2026-12-31', '2027-01-01T01:00:00Z'))
      .thenAssert((events, state) => {
        expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ amount: 4_000, allocations: [{ sourceId: 'payout-1', amount: 4_000 }] }) })]);
        expect(state.available).toBe(6_000);
      });
  });

  it('does nothing twice: a repeat of the same cut-off appends nothing', () => {
    const first = historyOf([creditCommand('payout-1', 8_580, BEFORE_YEAR_END), automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF)]);
    given(first).when(automaticWithdrawalCommand('2026-12-31', '2027-01-02T00:00:00Z')).then([]);
  });

  it('is screened as any other withdrawal: review reasons and fees apply', () => {
    given(historyOf([creditCommand('payout-1', 20_000, BEFORE_YEAR_END, { noDeliverable: true })]))
      .when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF, { bankCode: '0005', identityStatus: 'submitted' }))
      .thenAssert((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            data: expect.objectContaining({ status: 'in_review', reviewReasons: ['NO_DELIVERABLE', 'IDENTITY_NOT_VERIFIED'], bankFee: 500, netAmount: 19_500 }),
          }),
        ]),
      );
  });

  it('money already held by a withdrawal the owner asked for is not taken again', () => {
    const history = historyOf([creditCommand('payout-1', 10_000, BEFORE_YEAR_END), withdrawalCommand('wd-own', 7_000, '2026-12-21T00:00:00Z')]);
    given(history)
      .when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF))
      .thenAssert((events) => expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ amount: 3_000, availableAfter: 0 }) })]));
  });

  it('the 2027-01-15 cut-off pays on 2027-01-29 (January 31 is a Sunday)', () => {
    given(historyOf([creditCommand('payout-1', 2_000, '2027-01-10T00:00:00Z')]))
      .when(automaticWithdrawalCommand('2027-01-15', '2027-01-15T15:00:00Z'))
      .thenAssert((events) =>
        expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ withdrawalId: `automatic-2027-01-15-${ACCOUNT_ID}`, payoutDate: '2027-01-29' }) })]),
      );
  });

  it('a run so late that the payout date has come goes to the next payout date', () => {
    given(historyOf([creditCommand('payout-1', 2_000, BEFORE_YEAR_END)]))
      .when(automaticWithdrawalCommand('2026-12-31', '2027-01-15T01:00:00Z'))
      .thenAssert((events) => expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ payoutDate: '2027-01-29' }) })]));
  });

  it('requests nothing without a bank account to send the money to', () => {
    given(historyOf([creditCommand('payout-1', 8_580, BEFORE_YEAR_END)])).when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF, { noBankAccount: true })).then([]);
  });

  it('refuses a caller other than the platform, a date that is not a cut-off, and a cut-off not yet reached', () => {
    const history = historyOf([creditCommand('payout-1', 8_580, BEFORE_YEAR_END)]);
    given(history).when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF, { actor: OWNER })).thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
    given(history).when(automaticWithdrawalCommand('2026-12-30', AT_YEAR_END_CUTOFF)).thenThrows('invalid', 'NOT_A_WITHDRAWAL_CUTOFF');
    given(history).when(automaticWithdrawalCommand('2026-12-31', '2026-12-31T14:59:59.999Z')).thenThrows('conflict', 'CUTOFF_NOT_REACHED');
    expect(refusalOf(history, automaticWithdrawalCommand('31/12/2026', AT_YEAR_END_CUTOFF))).toMatchObject({
      kind: 'invalid',
      details: { errors: [expect.objectContaining({ field: 'cutoff', rule: 'calendarDate' })] },
    });
  });
});

describe('automatic withdrawal ids', () => {
  it('name the cut-off and the account, within the bound of every id; a long account id is hashed', () => {
    expect(automaticWithdrawalIdOf('acc-7', { closingDate: '2026-12-31' })).toBe('automatic-2026-12-31-acc-7');
    const longAccount = 'a'.repeat(MAX_ID_LENGTH);
    const hashed = automaticWithdrawalIdOf(longAccount, { closingDate: '2026-12-31' });
    expect(hashed).toMatch(/^automatic-2026-12-31-sha256-[0-9a-f]{64}$/);
    expect(hashed.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
    expect(automaticWithdrawalIdOf(`${'a'.repeat(MAX_ID_LENGTH - 1)}b`, { closingDate: '2026-12-31' })).not.toBe(hashed);
  });
});

describe('RequestAutomaticWithdrawal under a deployment with a higher withdrawal minimum', () => {
  const higherMinimum = deciderSpec(walletDeciderWith({ ...DEFAULT_WITHDRAWAL_FEE_POLICY, minimumAmount: 3_000 }));

  it('on_cutoff waits for the minimum rather than asking for a withdrawal the owner could not ask for', () => {
    higherMinimum.given(historyOf([creditCommand('payout-1', 2_000, BEFORE_YEAR_END)])).when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF)).then([]);
    higherMinimum
      .given(historyOf([creditCommand('payout-1', 3_000, BEFORE_YEAR_END)]))
      .when(automaticWithdrawalCommand('2026-12-31', AT_YEAR_END_CUTOFF))
      .thenAssert((events) => expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ amount: 3_000 }) })]));
  });
});
