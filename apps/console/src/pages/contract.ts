import { get, problemMessage } from '../api';
import { h, table, when, yen } from '../dom';
import { t, TextKey } from '../i18n';
import { postingsTable, stepper, type Posting } from '../stepper';
import { terminationPanel } from './termination';

type MoneyFigures = Record<'amount' | 'gross' | 'funded' | 'inEscrow' | 'paidOut' | 'fee' | 'net' | 'refunded' | 'cancelled', number>;
interface Money {
  milestones: (MoneyFigures & { milestoneId: string; title: string; status: string })[];
  totals: MoneyFigures;
}
interface AmountChange {
  field: string;
  before: number;
  after: number;
  delta: number;
}
interface Diff {
  status: { before: string | null; after: string | null } | null;
  money: AmountChange[];
  milestones: { title: string; change: string; status: { before: string | null; after: string | null } | null; money: AmountChange[] }[];
  terms: { field: string; before: string | null; after: string | null }[];
}
export interface ContractView {
  contractId: string;
  status: string;
  clientId: string;
  workerId: string;
  title: string;
  feeScheduleId: string | null;
  taxRate: string;
  milestones: { milestoneId: string; title: string; status: string; escrowBalance: number }[];
}
interface HistoryEvent {
  revision: number;
  type: string;
  occurredAt: string;
  actor: { id: string; role: string } | null;
  callingService: string | null;
  after: ContractView;
  money: Money;
  postings: Posting[];
  changes: Diff;
}
interface History {
  contractId: string;
  revision: number;
  state: ContractView | null;
  money: Money | null;
  events: HistoryEvent[];
}

const FIGURES: (keyof MoneyFigures)[] = ['amount', 'gross', 'funded', 'inEscrow', 'paidOut', 'fee', 'net', 'refunded', 'cancelled'];

/** The money sheet after a step: a row per milestone and the totals, each figure marked for reading back. */
const moneySheet = (money: Money): HTMLTableElement =>
  table(
    [t('milestone'), t('status'), ...FIGURES.map((figure) => t(figure as TextKey))],
    [
      ...money.milestones.map((m) => [m.title, m.status, ...FIGURES.map((figure) => yen(m[figure]))]),
      [h('strong', {}, t('total')), '', ...FIGURES.map((figure) => h('strong', { 'data-total': figure }, yen(money.totals[figure])))],
    ],
    { className: 'money' },
  );

const change = (before: unknown, after: unknown) => `${before ?? '—'} → ${after ?? '—'}`;

const changesList = (diff: Diff): HTMLElement => {
  const lines: string[] = [];
  if (diff.status) lines.push(`${t('status')}: ${change(diff.status.before, diff.status.after)}`);
  for (const m of diff.money) lines.push(`${t(m.field as TextKey)}: ${change(yen(m.before), yen(m.after))} (${m.delta > 0 ? '+' : ''}${yen(m.delta)})`);
  for (const milestone of diff.milestones) {
    const parts = [milestone.status ? change(milestone.status.before, milestone.status.after) : milestone.change];
    for (const m of milestone.money) parts.push(`${t(m.field as TextKey)} ${change(yen(m.before), yen(m.after))}`);
    lines.push(`${milestone.title}: ${parts.join(', ')}`);
  }
  for (const term of diff.terms) lines.push(`${term.field}: ${change(term.before, term.after)}`);
  return lines.length === 0 ? h('p', {}, t('noChanges')) : h('ul', { className: 'changes' }, lines.map((line) => h('li', {}, line)));
};

function stepView(event: HistoryEvent): HTMLElement {
  const actor = event.actor ? `${event.actor.id} (${event.actor.role})` : '—';
  return h(
    'article',
    { className: 'step', 'data-revision': event.revision },
    h('h3', { 'data-event-type': event.type }, event.type),
    h(
      'dl',
      {},
      h('dt', {}, t('occurredAt')),
      h('dd', {}, when(event.occurredAt)),
      h('dt', {}, t('actor')),
      h('dd', { 'data-actor': '' }, actor),
      h('dt', {}, t('via')),
      h('dd', { 'data-calling-service': '' }, event.callingService ?? '—'),
      h('dt', {}, t('status')),
      h('dd', { 'data-status': '' }, event.after.status),
    ),
    h('h4', {}, t('stateAfter')),
    moneySheet(event.money),
    h('h4', {}, t('postings')),
    postingsTable(event.postings),
    h('h4', {}, t('changes')),
    changesList(event.changes),
  );
}

/** The contract's history, stepped event by event, and support's termination with a split. */
export function contractPage(contractId: string): HTMLElement {
  const section = h('section', { className: 'contract' }, h('p', {}, t('loading')));
  // The history reads the contract's stream itself: it includes a command the moment the command answered.
  const load = async () => {
    const answer = await get<History>(`/v1/contracts/${encodeURIComponent(contractId)}/history`);
    if (!answer.ok) {
      section.replaceChildren(h('p', { className: 'outcome refused' }, t('refused', { message: problemMessage(answer.problem) })));
      return;
    }
    const history = answer.body;
    const state = history.state;
    section.replaceChildren(
      h('h1', {}, `${t('contract')}: ${state?.title ?? contractId}`),
      h('p', { className: 'meta' }, contractId, ' · ', state?.status ?? '', ' · ', `${t('client')} `, h('a', { href: `#/accounts/${encodeURIComponent(state?.clientId ?? '')}` }, state?.clientId ?? ''), ` · ${t('worker')} `, h('a', { href: `#/accounts/${encodeURIComponent(state?.workerId ?? '')}` }, state?.workerId ?? '')),
      h('h2', {}, t('timelineTitle')),
      ...stepper(history.events, stepView),
      state && history.money && state.status === 'active' ? terminationPanel(state, history.money.totals.paidOut, () => void load()) : '',
    );
  };
  void load();
  return section;
}
