import fc from 'fast-check';
import type { Actor } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { deciderSpec } from '../testing/given-when-then';
import type { AccountCommand, CloseAccount, RegisterBankAccount } from './commands';
import { accountDecider } from './decider';
import type { AccountEvent } from './events';
import { accountStreamId } from './stream';

const { given } = deciderSpec(accountDecider);

const ACCOUNT_ID = 'acc-1';
const AT = '2026-04-01T00:00:00Z';
const OWNER: Actor = { id: ACCOUNT_ID, role: 'user' };
const SUPPORT: Actor = { id: 'support-sato', role: 'support' };
const IDENTITY_SERVICE: Actor = { id: 'identity-service', role: 'system' };

const register = (overrides: Partial<RegisterBankAccount> = {}): RegisterBankAccount => ({
  type: 'RegisterBankAccount',
  accountId: ACCOUNT_ID,
  actor: OWNER,
  at: AT,
  bankAccountId: 'bank-1',
  bankCode: '0036',
  branchCode: '251',
  accountNumber: '1234567',
  holderName: 'ヤマダ タロウ',
  fingerprint: 'hmac-9f2c',
  ...overrides,
});

const identity = (status: 'submitted' | 'approved' | 'rejected'): AccountCommand => ({
  type: 'ReportIdentityVerification',
  accountId: ACCOUNT_ID,
  actor: IDENTITY_SERVICE,
  at: AT,
  status,
});

const close = (blockers: string[] = [], overrides: Partial<CloseAccount> = {}): CloseAccount => ({
  type: 'CloseAccount',
  accountId: ACCOUNT_ID,
  actor: OWNER,
  at: AT,
  blockers,
  ...overrides,
});

const registered: AccountEvent = {
  type: 'BankAccountRegistered',
  data: {
    accountId: ACCOUNT_ID,
    bankAccountId: 'bank-1',
    bankCode: '0036',
    branchCode: '251',
    accountNumberMasked: '***4567',
    holderName: 'ヤマダ タロウ',
    fingerprint: 'hmac-9f2c',
  },
};
const identitySubmitted: AccountEvent = {
  type: 'IdentityVerificationReported',
  data: { accountId: ACCOUNT_ID, status: 'submitted', previousStatus: 'none' },
};
const closedByOwner: AccountEvent = { type: 'AccountClosed', data: { accountId: ACCOUNT_ID, closedBy: OWNER } };

function refusalOf(history: AccountEvent[], command: AccountCommand): DomainError {
  const state = history.reduce(accountDecider.evolve, accountDecider.initialState());
  try {
    accountDecider.decide(command, state);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${command.type} to be refused`);
}

describe('account stream', () => {
  it('is named after the account', () => {
    expect(accountStreamId('acc-42')).toBe('account-acc-42');
  });
});

describe('RegisterBankAccount', () => {
  it('records the bank account with the number masked to its last four digits and the caller’s fingerprint', () => {
    given([]).when(register()).then([registered]);
  });

  it('never writes the full account number into the event', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{7}$/), (accountNumber) => {
        const [event] = accountDecider.decide(register({ accountNumber }), accountDecider.initialState());
        expect(JSON.stringify(event)).not.toContain(accountNumber);
        expect(event.data).toMatchObject({ accountNumberMasked: `***${accountNumber.slice(-4)}` });
      }),
    );
  });

  it.each([
    ['bankCode', { bankCode: '036' }],
    ['bankCode', { bankCode: '00a6' }],
    ['branchCode', { branchCode: '2510' }],
    ['accountNumber', { accountNumber: '123456' }],
    ['accountNumber', { accountNumber: '12345678' }],
    ['accountNumber', { accountNumber: '１２３４５６７' }],
    ['holderName', { holderName: '   ' }],
    ['fingerprint', { fingerprint: '' }],
  ])('refuses a bad %s, naming the field', (field, overrides) => {
    expect(refusalOf([], register(overrides))).toMatchObject({
      kind: 'invalid',
      code: 'VALIDATION_FAILED',
      details: { errors: [expect.objectContaining({ field })] },
    });
  });

  it('names every bad field at once', () => {
    const error = refusalOf([], register({ bankCode: '1', branchCode: '', accountNumber: 'x' }));
    expect((error.details?.errors as { field: string }[]).map((fieldError) => fieldError.field)).toEqual([
      'bankCode',
      'branchCode',
      'accountNumber',
    ]);
  });

  it('refuses the same bank account twice, under the same or another id', () => {
    given([registered]).when(register()).thenThrows('conflict', 'BANK_ACCOUNT_ALREADY_REGISTERED');
    given([registered])
      .when(register({ bankAccountId: 'bank-2' }))
      .thenThrows('conflict', 'BANK_ACCOUNT_ALREADY_REGISTERED');
  });

  it('accepts a second, different bank account', () => {
    given([registered])
      .when(register({ bankAccountId: 'bank-2', bankCode: '0005', accountNumber: '7654321', fingerprint: 'hmac-other' }))
      .thenAssert((_events, state) => expect(Object.keys(state.bankAccounts)).toEqual(['bank-1', 'bank-2']));
  });

  it.each([
    ['another user', { id: 'acc-2', role: 'user' } as Actor],
    ['support', SUPPORT],
    ['the platform', IDENTITY_SERVICE],
  ])('is refused from %s', (_who, actor) => {
    given([]).when(register({ actor })).thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });
});

describe('ReportIdentityVerification', () => {
  it('records the reported status and the one before it', () => {
    given([]).when(identity('submitted')).then([identitySubmitted]);
    given([identitySubmitted])
      .when(identity('approved'))
      .then([{ type: 'IdentityVerificationReported', data: { accountId: ACCOUNT_ID, status: 'approved', previousStatus: 'submitted' } }]);
  });

  it('appends nothing when the same status is reported again', () => {
    given([identitySubmitted]).when(identity('submitted')).then([]);
  });

  it('is refused from anyone but the platform', () => {
    given([])
      .when({ ...identity('approved'), actor: OWNER })
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
    given([])
      .when({ ...identity('approved'), actor: SUPPORT })
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });

  it('refuses an unknown status', () => {
    given([])
      .when({ ...identity('approved'), status: 'none' } as never)
      .thenThrows('invalid', 'VALIDATION_FAILED');
  });
});

describe('CloseAccount', () => {
  it('closes an account with nothing blocking it', () => {
    given([registered]).when(close()).then([closedByOwner]);
  });

  it('lets support close an account, with a reason', () => {
    given([])
      .when(close([], { actor: SUPPORT, reason: 'duplicate account of acc-9' }))
      .then([{ type: 'AccountClosed', data: { accountId: ACCOUNT_ID, closedBy: SUPPORT, reason: 'duplicate account of acc-9' } }]);
    expect(refusalOf([], close([], { actor: SUPPORT }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { errors: [expect.objectContaining({ field: 'reason' })] },
    });
  });

  it('is refused with every reason listed', () => {
    expect(refusalOf([], close(['WALLET_BALANCE', 'OPEN_CONTRACT_AS_WORKER']))).toMatchObject({
      kind: 'conflict',
      code: 'ACCOUNT_CLOSURE_BLOCKED',
      details: { reasons: ['OPEN_CONTRACT_AS_WORKER', 'WALLET_BALANCE'] },
    });
  });

  it('adds an identity verification under review that the caller’s facts missed', () => {
    expect(refusalOf([identitySubmitted], close(['WITHDRAWAL_IN_PROGRESS']))).toMatchObject({
      code: 'ACCOUNT_CLOSURE_BLOCKED',
      details: { reasons: ['WITHDRAWAL_IN_PROGRESS', 'IDENTITY_VERIFICATION_IN_REVIEW'] },
    });
    expect(refusalOf([identitySubmitted], close())).toMatchObject({ details: { reasons: ['IDENTITY_VERIFICATION_IN_REVIEW'] } });
  });

  it('is refused from another user and from the platform', () => {
    given([])
      .when(close([], { actor: { id: 'acc-2', role: 'user' } }))
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
    given([])
      .when(close([], { actor: IDENTITY_SERVICE }))
      .thenThrows('forbidden', 'ACTOR_NOT_ALLOWED');
  });

  it('leaves a closed account refusing every further command', () => {
    given([registered, closedByOwner]).when(close()).thenThrows('conflict', 'ACCOUNT_CLOSED');
    given([registered, closedByOwner])
      .when(register({ bankAccountId: 'bank-2', fingerprint: 'hmac-2' }))
      .thenThrows('conflict', 'ACCOUNT_CLOSED');
    given([registered, closedByOwner]).when(identity('approved')).thenThrows('conflict', 'ACCOUNT_CLOSED');
  });

  it('refuses a command for another account than the stream’s', () => {
    given([registered])
      .when(close([], { accountId: 'acc-2', actor: { id: 'acc-2', role: 'user' } }))
      .thenThrows('conflict', 'ACCOUNT_MISMATCH');
  });
});
