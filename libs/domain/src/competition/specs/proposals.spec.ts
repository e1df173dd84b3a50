import { AFTER_DEADLINE, CLIENT, DEADLINE, OTHER_WORKER, SUBMITTED_AT, WORKER, command, drafted, given, open, prepaid, submitted } from '../testing/fixtures';
import { MAX_PROPOSALS_PER_WORKER } from '../limits';

const submit = (proposalId: string, fields: Partial<Parameters<typeof command<'SubmitProposal'>>[3]> = {}, actor = WORKER, at = SUBMITTED_AT) =>
  command('SubmitProposal', actor, at, { proposalId, title: `Logo ${proposalId}`, deliverables: [{ uri: `https://files.example.com/${proposalId}.png` }], ...fields });

describe('submitting a proposal (作品の応募)', () => {
  it('records the work under the worker who sent it', () => {
    given(open).when(submit('p1')).then([submitted('p1')]);
  });

  it(`lets one worker send up to ${MAX_PROPOSALS_PER_WORKER} proposals, and no more`, () => {
    const five = ['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => submitted(id));
    given([...open, ...five.slice(0, 4)]).when(submit('p5')).then([submitted('p5')]);
    given([...open, ...five]).when(submit('p6')).thenThrows('conflict', 'PROPOSAL_LIMIT_REACHED');
    given([...open, ...five]).when(submit('p6', {}, OTHER_WORKER)).then([submitted('p6', OTHER_WORKER)]);
  });

  it('is open only while the competition is published and before its deadline', () => {
    given([drafted, prepaid()]).when(submit('p1')).thenThrows('conflict', 'COMPETITION_NOT_PUBLISHED');
    given(open).when(submit('p1', {}, WORKER, DEADLINE)).thenThrows('conflict', 'PROPOSAL_DEADLINE_PASSED');
    given(open).when(submit('p1', {}, WORKER, AFTER_DEADLINE)).thenThrows('conflict', 'PROPOSAL_DEADLINE_PASSED');
  });

  it('refuses the client, a proposal id used already, a closed account and a proposal without its work', () => {
    given(open).when(submit('p1', {}, CLIENT)).thenThrows('forbidden', 'CLIENT_MAY_NOT_PROPOSE');
    given([...open, submitted('p1')]).when(submit('p1', {}, OTHER_WORKER)).thenThrows('conflict', 'PROPOSAL_ALREADY_EXISTS');
    given(open).when(submit('p1', { closedAccounts: [WORKER.id] })).thenThrows('conflict', 'WORKER_ACCOUNT_CLOSED');
    given(open).when(submit('p1', { deliverables: [] })).thenThrows('invalid', 'INVALID_DELIVERABLES');
    given(open).when(submit('p1', { deliverables: [{ uri: 'javascript:alert(1)' }] })).thenThrows('invalid', 'INVALID_DELIVERABLE_URI');
    given(open).when(submit('p1', { description: 'x'.repeat(4001) })).thenThrows('invalid', 'INVALID_PROPOSAL_DESCRIPTION');
  });
});
