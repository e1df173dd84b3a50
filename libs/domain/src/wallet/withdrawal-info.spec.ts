import { walletDecider } from './decider';
import type { WalletCommand } from './commands';
import { deciderSpec } from '../testing/given-when-then';
import { MAX_REASON_LENGTH } from '../shared/limits';
import {
  ACCOUNT_ID,
  OWNER,
  REVIEWER,
  approveCommand,
  creditCommand,
  decided,
  historyOf,
  infoCommand,
  refusalOf,
  rejectCommand,
  withdrawalCommand,
} from './wallet.fixtures';

const { given } = deciderSpec(walletDecider);

const APRIL_1 = '2026-04-01T00:00:00Z';
const APRIL_10 = '2026-04-10T01:00:00Z';
const ASKED_AT = '2026-04-11T01:00:00Z';
const ANSWERED_AT = '2026-04-12T09:30:00Z';
const ANSWER = 'The deliverables were handed over in the project chat on 8 April; screenshots attached to the messages.';

const answerCommand = (fields: Partial<{ withdrawalId: string; answer: unknown; at: string; actor: WalletCommand['actor'] }> = {}): WalletCommand =>
  ({ type: 'AnswerWithdrawalInfoRequest', accountId: ACCOUNT_ID, actor: OWNER, at: ANSWERED_AT, withdrawalId: 'wd-1', answer: ANSWER, ...fields }) as WalletCommand;

const inReview = historyOf([creditCommand('payout-1', 50_000, APRIL_1), withdrawalCommand('wd-1', 20_000, APRIL_10, { identityStatus: 'submitted' })]);
const asked = [...inReview, ...decided(inReview, infoCommand('wd-1', ASKED_AT, 'send the delivery messages')).events];

describe('the owner answering a request for information on a withdrawal in review', () => {
  it('records the answer, naming the request it answers; the withdrawal stays in review and support decides as before', () => {
    given(asked)
      .when(answerCommand())
      .then([{ type: 'WithdrawalInfoProvided', data: { accountId: ACCOUNT_ID, withdrawalId: 'wd-1', answer: ANSWER, infoRequestedAt: ASKED_AT, providedAt: ANSWERED_AT } }]);
    const answered = decided(asked, answerCommand());
    expect(answered.state.withdrawals['wd-1']).toMatchObject({ status: 'in_review', infoAwaitedSince: null });
    expect({ available: answered.state.available, pending: answered.state.pending }).toEqual({ available: 30_000, pending: 20_000 });
    const after = [...asked, ...answered.events];
    given(after)
      .when(approveCommand('wd-1', '2026-04-13T01:00:00Z'))
      .thenAssert((events) => expect(events.map((event) => event.type)).toEqual(['WithdrawalApproved']));
    given(after)
      .when(rejectCommand('wd-1', '2026-04-13T01:00:00Z'))
      .thenAssert((events) => expect(events.map((event) => event.type)).toEqual(['WithdrawalRejected']));
  });

  it('is refused while support has asked nothing', () => {
    given(inReview).when(answerCommand()).thenThrows('conflict', 'WITHDRAWAL_INFO_NOT_REQUESTED');
  });

  it('answers each request once: a second answer is refused until support asks again', () => {
    const answered = [...asked, ...decided(asked, answerCommand()).events];
    given(answered).when(answerCommand({ answer: 'And one more thing' })).thenThrows('conflict', 'WITHDRAWAL_INFO_ALREADY_PROVIDED');
    const askedAgain = [...answered, ...decided(answered, infoCommand('wd-1', '2026-04-13T01:00:00Z', 'which chat?')).events];
    given(askedAgain)
      .when(answerCommand({ at: '2026-04-13T02:00:00Z', answer: 'The project chat' }))
      .thenAssert(([event]) => expect(event.data).toMatchObject({ infoRequestedAt: '2026-04-13T01:00:00Z', answer: 'The project chat' }));
  });

  it('is the account owner’s alone', () => {
    const stranger = refusalOf(asked, answerCommand({ actor: { id: 'someone-else', role: 'user' } }));
    expect(stranger).toMatchObject({ kind: 'forbidden', code: 'ACTOR_NOT_ALLOWED' });
    given(asked).when(answerCommand({ actor: REVIEWER })).thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
    given(asked).when(answerCommand({ actor: { id: ACCOUNT_ID, role: 'support' } })).thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });

  it('is refused once the withdrawal left review, or for a withdrawal the wallet does not hold', () => {
    const approved = [...asked, ...decided(asked, approveCommand('wd-1', '2026-04-12T01:00:00Z')).events];
    given(approved).when(answerCommand()).thenThrows('conflict', 'WITHDRAWAL_NOT_IN_REVIEW');
    const rejected = [...asked, ...decided(asked, rejectCommand('wd-1', '2026-04-12T01:00:00Z')).events];
    given(rejected).when(answerCommand()).thenThrows('conflict', 'WITHDRAWAL_NOT_IN_REVIEW');
    given(asked).when(answerCommand({ withdrawalId: 'wd-404' })).thenThrows('not_found', 'WITHDRAWAL_NOT_FOUND');
  });

  it('needs an answer: non-blank text without control characters, within the length of a reason', () => {
    for (const answer of ['', '   ', 'see \u0007 attached', undefined, 42]) {
      expect(refusalOf(asked, answerCommand({ answer }))).toMatchObject({ kind: 'invalid', code: 'VALIDATION_FAILED', details: { errors: [expect.objectContaining({ field: 'answer' })] } });
    }
    expect(refusalOf(asked, answerCommand({ answer: 'x'.repeat(MAX_REASON_LENGTH + 1) }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { errors: [{ field: 'answer', rule: 'maxLength', message: `must be at most ${MAX_REASON_LENGTH} characters` }] },
    });
    given(asked).when(answerCommand({ answer: 'x'.repeat(MAX_REASON_LENGTH) })).thenAssert(([event]) => expect(event.type).toBe('WithdrawalInfoProvided'));
  });
});
