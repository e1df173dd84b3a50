import { deciderSpec } from '../testing/given-when-then';
import {
  ClaimPaymentReference,
  PaymentReferenceEvent,
  ReleasePaymentReference,
  paymentReferenceDecider,
} from './decider';

const { given } = deciderSpec(paymentReferenceDecider);

const CLIENT = { id: 'client-1', role: 'user' as const };
const AT = '2026-04-01T00:00:00Z';

const claim = (contractId = 'c1', milestoneId = 'm1'): ClaimPaymentReference => ({
  type: 'ClaimPaymentReference',
  paymentReference: 'gw-1',
  contractId,
  milestoneId,
  actor: CLIENT,
  at: AT,
});

const release = (fields: Partial<ReleasePaymentReference> = {}): ReleasePaymentReference => ({
  type: 'ReleasePaymentReference',
  paymentReference: 'gw-1',
  contractId: 'c1',
  milestoneId: 'm1',
  actor: CLIENT,
  at: AT,
  reason: 'MILESTONE_ALREADY_FUNDED',
  fundedByHolder: false,
  ...fields,
});

const claimed = (contractId = 'c1', milestoneId = 'm1'): PaymentReferenceEvent => ({
  type: 'PaymentReferenceClaimed',
  data: { paymentReference: 'gw-1', contractId, milestoneId },
});
const released: PaymentReferenceEvent = {
  type: 'PaymentReferenceReleased',
  data: { paymentReference: 'gw-1', contractId: 'c1', milestoneId: 'm1', reason: 'MILESTONE_ALREADY_FUNDED' },
};

describe('claiming a payment reference', () => {
  it('claims a reference nobody holds', () => {
    given([]).when(claim()).then([claimed()]);
  });

  it('appends nothing when the same milestone claims it again (a retry of the same prepayment)', () => {
    given([claimed()]).when(claim()).then([]);
  });

  it('refuses another milestone, of the same or another contract', () => {
    given([claimed()]).when(claim('c1', 'm2')).thenThrows('conflict', 'PAYMENT_REFERENCE_ALREADY_USED');
    given([claimed()]).when(claim('c2', 'm1')).thenThrows('conflict', 'PAYMENT_REFERENCE_ALREADY_USED');
  });

  it('lets any milestone claim a released reference', () => {
    given([claimed(), released]).when(claim('c2', 'm9')).then([claimed('c2', 'm9')]);
  });

  it('refuses an incomplete claim, naming the fields', () => {
    given([])
      .when({ ...claim(), paymentReference: '' })
      .thenThrows('invalid', 'INVALID_PAYMENT_REFERENCE');
  });
});

describe('releasing a payment reference', () => {
  it('releases the claim of a refused prepayment, with the refusal as the reason', () => {
    given([claimed()]).when(release()).then([released]);
  });

  it('never releases a payment that funded escrow', () => {
    given([claimed()]).when(release({ fundedByHolder: true })).thenThrows('conflict', 'PAYMENT_REFERENCE_IN_USE');
  });

  it('appends nothing when the milestone does not hold it: free already, or claimed by another since', () => {
    given([]).when(release()).then([]);
    given([claimed(), released]).when(release()).then([]);
    given([claimed(), released, claimed('c2', 'm9')]).when(release()).then([]);
  });
});
