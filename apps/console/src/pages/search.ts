import { get, problemMessage, query } from '../api';
import { field, h, table, when, yen } from '../dom';
import { t, type TextKey } from '../i18n';
import { WORK_FORMATS } from './work';

interface ContractSummary {
  contractId: string;
  clientId: string;
  workerId: string;
  title: string;
  status: string;
  totals: { amount: number; escrow: number; paidOut: number; fees: number };
  offeredAt: string;
}

const STATUSES = ['offered', 'active', 'completed', 'terminated', 'declined', 'withdrawn'];

/** Any piece of work by its id: a fixed-price contract (searchable below), or an hourly contract, a task or a competition. */
function openById(): HTMLFormElement {
  const format = h('select', { name: 'format' }, ['fixed_price', ...Object.keys(WORK_FORMATS)].map((each) => h('option', { value: each }, t(`format_${each}` as TextKey))));
  const id = h('input', { name: 'id', maxLength: 128, required: true });
  const form = h('form', { className: 'filters', 'data-form': 'open-by-id' }, field(t('format'), format), field(t('openById'), id), h('button', { type: 'submit', 'data-action': 'open' }, t('open')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = id.value.trim();
    if (chosen === '') return;
    location.hash = format.value === 'fixed_price' ? `#/contracts/${encodeURIComponent(chosen)}` : `#/work/${format.value}/${encodeURIComponent(chosen)}`;
  });
  return form;
}

export function searchPage(): HTMLElement {
  const inputs = {
    partyId: h('input', { name: 'partyId', maxLength: 128 }),
    status: h('select', { name: 'status' }, h('option', { value: '' }, t('any')), STATUSES.map((status) => h('option', { value: status }, status))),
    offeredFrom: h('input', { name: 'offeredFrom', type: 'date' }),
    offeredTo: h('input', { name: 'offeredTo', type: 'date' }),
    minAmount: h('input', { name: 'minAmount', inputMode: 'numeric', pattern: '[0-9]*' }),
    maxAmount: h('input', { name: 'maxAmount', inputMode: 'numeric', pattern: '[0-9]*' }),
  };
  const results = h('section', { id: 'results' });
  const load = async (cursor?: string) => {
    const parameters = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value.trim()]));
    const answer = await get<{ data: ContractSummary[]; nextCursor: string | null }>(`/v1/contracts${query({ ...parameters, limit: 50, cursor })}`);
    if (!answer.ok) {
      results.replaceChildren(h('p', { className: 'outcome refused' }, t('refused', { message: problemMessage(answer.problem) })));
      return;
    }
    const { data, nextCursor } = answer.body;
    const rows = data.map((c) => [
      h('a', { href: `#/contracts/${encodeURIComponent(c.contractId)}`, 'data-contract': c.contractId }, c.contractId),
      c.title,
      c.status,
      h('a', { href: `#/accounts/${encodeURIComponent(c.clientId)}` }, c.clientId),
      h('a', { href: `#/accounts/${encodeURIComponent(c.workerId)}` }, c.workerId),
      yen(c.totals.amount),
      yen(c.totals.escrow),
      when(c.offeredAt),
    ]);
    results.replaceChildren(
      data.length === 0
        ? h('p', {}, t('noResults'))
        : table([t('contract'), t('title'), t('status'), t('client'), t('worker'), t('amount'), t('inEscrow'), t('offeredAt')], rows, { className: 'results' }),
      nextCursor ? h('button', { type: 'button', onclick: () => void load(nextCursor) }, t('nextPage')) : '',
    );
  };
  const form = h(
    'form',
    { className: 'filters' },
    Object.entries(inputs).map(([name, input]) => field(t(name as keyof typeof inputs), input)),
    h('button', { type: 'submit', 'data-action': 'search' }, t('search')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  void load();
  return h('section', {}, h('h1', {}, t('searchTitle')), openById(), form, results);
}
