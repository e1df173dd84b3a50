import type { ContractCommand } from '../commands';
import { decideContract } from '../decide';
import { evolveContract } from '../evolve';
import { type ContractState, initialContractState } from '../state';
import { DomainError } from '../../shared/domain-error';
import { CLIENT, MILESTONES, OFFERED_AT, WORKER, activeContract, command, delivered, funded, given } from '../testing/fixtures';

/** The shared field rules (free text, calendar dates, deliverable URIs) as the contract decider applies them. */
const offer = (fields: Partial<Parameters<typeof command<'OfferContract'>>[1]> = {}) =>
  command('OfferContract', { clientId: CLIENT.id, workerId: WORKER.id, title: 'Corporate website', milestones: MILESTONES, at: OFFERED_AT, ...fields });

const stateOf = (events: typeof activeContract): ContractState => events.reduce(evolveContract, initialContractState());

/** The field errors of a refused decision, as the HTTP layer shows them. */
const fieldErrorsOf = (events: typeof activeContract, refused: ContractCommand) => {
  try {
    decideContract(refused, stateOf(events));
  } catch (error) {
    if (error instanceof DomainError) return (error.details as { errors: { field: string; rule?: string; code: string }[] }).errors;
    throw error;
  }
  throw new Error(`expected ${refused.type} to be refused`);
};

describe('free text in contract commands', () => {
  it('refuses NUL, other control characters and lone surrogates in titles, naming the field and the rule', () => {
    given([]).when(offer({ title: 'Logo\u0000' })).thenThrows('invalid', 'INVALID_TITLE');
    given([]).when(offer({ title: 'Logo\u001b[31m' })).thenThrows('invalid', 'INVALID_TITLE');
    given([])
      .when(offer({ milestones: [{ ...MILESTONES[0], title: 'Draft \ud800' }, ...MILESTONES.slice(1)] }))
      .thenThrows('invalid', 'INVALID_TITLE');
    expect(fieldErrorsOf([], offer({ milestones: [{ ...MILESTONES[0], title: 'Draft \ud800' }, ...MILESTONES.slice(1)] }))).toEqual([
      expect.objectContaining({ field: 'milestones[0].title', rule: 'freeText', code: 'INVALID_TITLE' }),
    ]);
  });

  it('keeps newlines, tabs and every script in reasons and messages', () => {
    given([...activeContract, funded('m1'), delivered('m1')])
      .when(command('RequestRevision', { milestoneId: 'm1', reason: 'ロゴを大きく\n\t- 2倍に 😀' }))
      .thenAssert((events) => expect(events).toHaveLength(1));
  });

  it('refuses a control character in a reason, a message or a payment reference', () => {
    given([...activeContract, funded('m1'), delivered('m1')])
      .when(command('RequestRevision', { milestoneId: 'm1', reason: 'too small\r\n' }))
      .thenThrows('invalid', 'INVALID_REASON');
    given([...activeContract, funded('m1')])
      .when(command('DeliverMilestone', { milestoneId: 'm1', deliverables: [], message: 'done\u0007' }))
      .thenThrows('invalid', 'INVALID_MESSAGE');
    given(activeContract)
      .when(command('FundMilestone', { milestoneId: 'm1', paymentReference: 'pay\u0000-1', method: 'card' }))
      .thenThrows('invalid', 'INVALID_PAYMENT_REFERENCE');
    given(activeContract)
      .when(command('RequestTermination', { reason: '\udc00' }))
      .thenThrows('invalid', 'INVALID_REASON');
  });
});

describe('due dates', () => {
  it('must be real calendar dates from 2000-01-01 to 2100-12-31', () => {
    for (const dueDate of ['0000-01-01', '2027-02-30', '1999-12-31', '2101-01-01']) {
      given([])
        .when(offer({ milestones: [{ ...MILESTONES[0], dueDate }] }))
        .thenThrows('invalid', 'INVALID_DUE_DATE');
    }
    expect(fieldErrorsOf([], offer({ milestones: [{ ...MILESTONES[0], dueDate: '2027-02-30' }] }))).toEqual([
      expect.objectContaining({ field: 'milestones[0].dueDate', rule: 'calendarDate' }),
    ]);
    given([])
      .when(offer({ milestones: [{ ...MILESTONES[0], dueDate: '2100-12-31' }] }))
      .thenAssert((events) => expect(events).toHaveLength(1));
  });

  it('hold in a change of terms too', () => {
    given(activeContract)
      .when(command('ProposeTermsChange', { changeId: 'c1', changes: [{ milestoneId: 'm1', dueDate: '2027-02-30' }] }))
      .thenThrows('invalid', 'INVALID_DUE_DATE');
  });
});

describe('deliverable URIs', () => {
  it('must be https:, or http: on a loopback host', () => {
    for (const uri of ['javascript:alert(1)', 'data:text/html,<script>', 'file:///etc/passwd', 'ftp://files.example.com/a', 'http://files.example.com/a']) {
      given([...activeContract, funded('m1')])
        .when(command('DeliverMilestone', { milestoneId: 'm1', deliverables: [{ uri }] }))
        .thenThrows('invalid', 'INVALID_DELIVERABLE_URI');
    }
    expect(fieldErrorsOf([...activeContract, funded('m1')], command('DeliverMilestone', { milestoneId: 'm1', deliverables: [{ uri: 'javascript:alert(1)' }] }))).toEqual([
      expect.objectContaining({ field: 'deliverables[0].uri', rule: 'deliverableUri' }),
    ]);
    for (const uri of ['https://files.example.com/a.zip', 'http://localhost:8080/a.zip', 'http://127.0.0.1/a.zip', 'http://[::1]/a.zip']) {
      given([...activeContract, funded('m1')])
        .when(command('DeliverMilestone', { milestoneId: 'm1', deliverables: [{ uri }] }))
        .thenAssert((events) => expect(events).toHaveLength(1));
    }
  });
});
