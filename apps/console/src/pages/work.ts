import { get, problemMessage } from '../api';
import { h, table, when, yen } from '../dom';
import { t, type TextKey } from '../i18n';
import { postingsTable, stepper, type Posting } from '../stepper';

/** The ways of working that have their own history route besides the fixed-price contract's. */
export const WORK_FORMATS = { hourly: 'hourly-contracts', task: 'tasks', competition: 'competitions' } as const;
export type WorkFormat = keyof typeof WORK_FORMATS;
export const isWorkFormat = (value: string): value is WorkFormat => Object.hasOwn(WORK_FORMATS, value);

type Figures = Record<'funded' | 'inEscrow' | 'paidOut' | 'fee' | 'net' | 'refunded', number>;
interface Money {
  lines: (Omit<Figures, 'inEscrow'> & { lineId: string })[];
  totals: Figures;
}
interface WorkStep {
  revision: number;
  type: string;
  occurredAt: string;
  actor: { id: string; role: string } | null;
  callingService: string | null;
  after: Record<string, unknown>;
  money: Money;
  postings: Posting[];
  changes: { path: string; before: unknown; after: unknown }[];
}
interface WorkHistory {
  format: WorkFormat;
  id: string;
  state: Record<string, unknown> | null;
  money: Money | null;
  events: WorkStep[];
}

const LINE_FIGURES = ['funded', 'paidOut', 'fee', 'net', 'refunded'] as const;

/** The money after a step: a row per line (a week, a slot's submission, an adoption) and the totals with what escrow holds. */
const moneySheet = (money: Money): HTMLTableElement =>
  table(
    [t('line'), ...LINE_FIGURES.map((figure) => t(figure)), t('inEscrow')],
    [
      ...money.lines.map((line) => [line.lineId, ...LINE_FIGURES.map((figure) => yen(line[figure])), '']),
      [h('strong', {}, t('total')), ...[...LINE_FIGURES, 'inEscrow' as const].map((figure) => h('strong', { 'data-total': figure }, yen(money.totals[figure])))],
    ],
    { className: 'money' },
  );

/** A value of the state as a short line of text. */
const shown = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
};

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '—');

function stepView(step: WorkStep): HTMLElement {
  const actor = step.actor ? `${step.actor.id} (${step.actor.role})` : '—';
  const changes = step.changes.map((change) => `${change.path || t('state')}: ${shown(change.before)} → ${shown(change.after)}`);
  return h(
    'article',
    { className: 'step', 'data-revision': step.revision },
    h('h3', { 'data-event-type': step.type }, step.type),
    h(
      'dl',
      {},
      h('dt', {}, t('occurredAt')),
      h('dd', {}, when(step.occurredAt)),
      h('dt', {}, t('actor')),
      h('dd', { 'data-actor': '' }, actor),
      h('dt', {}, t('via')),
      h('dd', { 'data-calling-service': '' }, step.callingService ?? '—'),
      h('dt', {}, t('status')),
      h('dd', { 'data-status': '' }, text(step.after.status)),
    ),
    h('h4', {}, t('stateAfter')),
    moneySheet(step.money),
    h('h4', {}, t('postings')),
    postingsTable(step.postings),
    h('h4', {}, t('changes')),
    changes.length === 0 ? h('p', {}, t('noChanges')) : h('ul', { className: 'changes' }, changes.map((line) => h('li', {}, line))),
  );
}

/** The history of an hourly contract, a task or a competition, stepped event by event with its money. */
export function workPage(format: WorkFormat, id: string): HTMLElement {
  const section = h('section', { className: 'work' }, h('p', {}, t('loading')));
  const load = async () => {
    const answer = await get<WorkHistory>(`/v1/${WORK_FORMATS[format]}/${encodeURIComponent(id)}/history`);
    if (!answer.ok) {
      section.replaceChildren(h('p', { className: 'outcome refused' }, t('refused', { message: problemMessage(answer.problem) })));
      return;
    }
    const history = answer.body;
    const state = history.state ?? {};
    const party = (key: 'clientId' | 'workerId') =>
      typeof state[key] === 'string' ? [` · ${t(key === 'clientId' ? 'client' : 'worker')} `, h('a', { href: `#/accounts/${encodeURIComponent(String(state[key]))}` }, String(state[key]))] : [];
    section.replaceChildren(
      h('h1', {}, `${t(`format_${format}` as TextKey)}: ${text(state.title) === '—' ? id : text(state.title)}`),
      h('p', { className: 'meta' }, id, ' · ', text(state.status), ...party('clientId'), ...party('workerId')),
      h('h2', {}, t('timelineTitle')),
      ...stepper(history.events, stepView),
    );
  };
  void load();
  return section;
}
