import { actionButton } from '../action';
import { get, problemMessage, query } from '../api';
import { h, table, when, yen } from '../dom';
import { t, TextKey } from '../i18n';

type Row = Record<string, unknown>;
interface QueuePage {
  total: number;
  data: Row[];
}
const QUEUES = ['silentDeliveries', 'contactReminders', 'withdrawalReviews', 'unansweredTerminations', 'parkedEvents', 'overdueMilestones'] as const;
type QueueName = (typeof QUEUES)[number];

const contractLink = (id: unknown) => h('a', { href: `#/contracts/${encodeURIComponent(String(id))}`, 'data-contract': String(id) }, String(id));
const accountLink = (id: unknown) => h('a', { href: `#/accounts/${encodeURIComponent(String(id))}` }, String(id));
const reasonInput = (name: string) => h('input', { name, maxLength: 2000, placeholder: t('reason') });

/** The six queues support works, each row with its actions; an action's success reloads the queues up to it. */
export function queuesPage(): HTMLElement {
  const section = h('section', { className: 'queues' }, h('h1', {}, t('queuesTitle')), h('p', {}, t('loading')));
  const load = async (minPosition?: number) => {
    const answer = await get<{ asOf: string; queues: Record<QueueName, QueuePage> }>(`/v1/support/queues${query({ minPosition, limit: 50 })}`);
    if (!answer.ok) {
      section.replaceChildren(h('h1', {}, t('queuesTitle')), h('p', { className: 'outcome refused' }, t('refused', { message: problemMessage(answer.problem) })));
      return;
    }
    const reload = (done: { position?: number }) => void load(done.position);
    const rows: Record<QueueName, (row: Row) => (Node | string)[]> = {
      silentDeliveries: (row) => {
        const reason = reasonInput('inspect-reason');
        const path = `/v1/contracts/${row.contractId}/milestones/${row.milestoneId}/inspect`;
        const action = actionButton({ label: t('inspect'), name: 'inspect', path, body: () => ({ reason: reason.value.trim() }), done: reload });
        return [contractLink(row.contractId), String(row.milestoneId), yen(row.inEscrow as number), t('daysSilent', { n: row.daysSilent as number }), h('div', { className: 'act' }, reason, action.button, action.outcome)];
      },
      contactReminders: (row) => {
        const reason = reasonInput('reminder-reason');
        const base = `/v1/contracts/${row.contractId}/contact-reminders/${row.reminderId}`;
        const outcome = h('p', { className: 'outcome', role: 'status' });
        const body = () => (reason.value.trim() ? { reason: reason.value.trim() } : {});
        const approve = actionButton({ label: t('approve'), name: 'approve-reminder', path: `${base}/approve`, body, done: reload, outcome });
        const deny = actionButton({ label: t('deny'), name: 'deny-reminder', path: `${base}/deny`, body: () => ({ reason: reason.value.trim() }), done: reload, outcome });
        const by = row.requestedBy as { party: string; id: string };
        return [contractLink(row.contractId), `${by.party}: ${by.id}`, String(row.message), when(row.requestedAt as string), h('div', { className: 'act' }, reason, approve.button, deny.button, outcome)];
      },
      withdrawalReviews: (row) => {
        const reason = reasonInput('review-reason');
        const base = `/v1/withdrawals/${row.withdrawalId}`;
        const outcome = h('p', { className: 'outcome', role: 'status' });
        const body = () => ({ reason: reason.value.trim() });
        const buttons = [
          actionButton({ label: t('approve'), name: 'approve-withdrawal', path: `${base}/approve`, body, done: reload, outcome }),
          actionButton({ label: t('reject'), name: 'reject-withdrawal', path: `${base}/reject`, body, done: reload, outcome }),
          actionButton({ label: t('requestInfo'), name: 'request-info', path: `${base}/request-info`, body, done: reload, outcome }),
        ];
        return [
          h('span', { 'data-withdrawal': String(row.withdrawalId) }, String(row.withdrawalId)),
          accountLink(row.accountId),
          yen(row.amount as number),
          (row.reasons as string[]).join(', '),
          row.infoAnswer ? String(row.infoAnswer) : '',
          h('div', { className: 'act' }, reason, buttons.map((b) => b.button), outcome),
        ];
      },
      unansweredTerminations: (row) => {
        const by = row.requestedBy as { party: string; id: string };
        return [contractLink(row.contractId), `${by.party}: ${by.id}`, String(row.reason ?? ''), when(row.requestedAt as string), h('a', { href: `#/contracts/${encodeURIComponent(String(row.contractId))}` }, t('open'))];
      },
      parkedEvents: (row) => {
        const event = row.event as { type: string; streamId: string; position: number };
        const error = row.error as { code: string; message: string };
        const action = actionButton({ label: t('retry'), name: 'retry', path: `/v1/processors/parked/${row.parkedId}/retry`, body: () => ({}), done: reload });
        return [String(row.parkedId), String(row.reactor), `${event.type} @${event.position}`, event.streamId, `${error.code}: ${error.message}`, String(row.attempts), h('div', { className: 'act' }, action.button, action.outcome)];
      },
      overdueMilestones: (row) => [contractLink(row.contractId), String(row.milestoneId), String(row.dueDate), t('daysOverdue', { n: row.daysOverdue as number }), yen(row.inEscrow as number)],
    };
    const headers: Record<QueueName, string[]> = {
      silentDeliveries: [t('contract'), t('milestone'), t('inEscrow'), '', ''],
      contactReminders: [t('contract'), t('requestedBy'), t('message'), t('occurredAt'), ''],
      withdrawalReviews: [t('withdrawal'), t('accountId'), t('sum'), t('reasons'), t('message'), ''],
      unansweredTerminations: [t('contract'), t('requestedBy'), t('reason'), t('occurredAt'), ''],
      parkedEvents: ['#', 'reactor', t('event'), 'stream', t('error'), t('attempts'), ''],
      overdueMilestones: [t('contract'), t('milestone'), 'due', '', t('inEscrow')],
    };
    section.replaceChildren(
      h('h1', {}, t('queuesTitle')),
      ...QUEUES.map((name) => {
        const page = answer.body.queues[name];
        const visible = name === 'parkedEvents' ? page.data.filter((row) => row.status === 'parked') : page.data;
        return h(
          'section',
          { className: 'queue', 'data-queue': name },
          h('h2', {}, `${t(name as TextKey)} (${page.total})`),
          visible.length === 0 ? h('p', {}, t('empty')) : table(headers[name], visible.map(rows[name])),
        );
      }),
    );
  };
  void load();
  return section;
}
