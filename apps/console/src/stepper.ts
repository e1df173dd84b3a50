import { h, table, yen } from './dom';
import { t } from './i18n';

export interface Posting {
  account: string;
  debit: number;
  credit: number;
}

/** The ledger postings one step caused, or a line saying it moved no money. */
export const postingsTable = (postings: Posting[]): HTMLElement =>
  postings.length === 0
    ? h('p', {}, t('noPostings'))
    : table([t('account'), t('debit'), t('credit')], postings.map((p) => [p.account, p.debit ? yen(p.debit) : '', p.credit ? yen(p.credit) : '']), { className: 'postings' });

/**
 * A history stepped event by event: first, previous, the step counter, next and last, above the step shown. Opens
 * on the last step (where things stand now).
 */
export function stepper<Step>(steps: Step[], render: (step: Step) => HTMLElement): HTMLElement[] {
  let index = steps.length - 1;
  const slot = h('div', { className: 'slot' });
  const counter = h('span', { 'data-step': '' });
  const previous = h('button', { type: 'button', 'data-action': 'previous' }, t('previous'));
  const next = h('button', { type: 'button', 'data-action': 'next' }, t('next'));
  const show = () => {
    counter.textContent = t('step', { n: index + 1, count: steps.length });
    previous.disabled = index <= 0;
    next.disabled = index >= steps.length - 1;
    slot.replaceChildren(steps[index] === undefined ? '' : render(steps[index]));
  };
  previous.addEventListener('click', () => { index = Math.max(0, index - 1); show(); });
  next.addEventListener('click', () => { index = Math.min(steps.length - 1, index + 1); show(); });
  const first = h('button', { type: 'button', 'data-action': 'first', onclick: () => { index = 0; show(); } }, t('first'));
  const last = h('button', { type: 'button', 'data-action': 'last', onclick: () => { index = steps.length - 1; show(); } }, t('last'));
  show();
  return [h('div', { className: 'stepper' }, first, previous, counter, next, last), slot];
}
