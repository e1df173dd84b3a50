import { get, problemMessage } from '../api';
import { field, h, table, when, yen } from '../dom';
import { t } from '../i18n';

interface Wallet {
  available: number;
  pending: number;
  paidOut: number;
  expired: number;
  expiringWithin30Days: number;
  expiries: { expiresAt: string; amount: number; expiringSoon: boolean }[];
  withdrawalsInProgress: { withdrawalId: string }[];
}
interface Withdrawal {
  withdrawalId: string;
  status: string;
  mode: string;
  amount: number;
  netAmount: number;
  payoutDate: string | null;
  reasons: string[];
  reviewSteps: { action: string; reviewerId: string; reason: string | null; at: string }[];
}
interface Closure {
  closed: boolean;
  eligible: boolean;
  reasons: string[];
}

const refusal = (problem: Parameters<typeof problemMessage>[0]) => h('p', { className: 'outcome refused' }, t('refused', { message: problemMessage(problem) }));

/** An account: its wallet with what expires when, its withdrawals with their reviews, and whether it may close. */
export function accountPage(accountId: string): HTMLElement {
  const input = h('input', { name: 'accountId', maxLength: 128, value: accountId });
  const form = h('form', { className: 'filters' }, field(t('accountId'), input), h('button', { type: 'submit' }, t('show')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/accounts/${encodeURIComponent(input.value.trim())}`;
  });
  const body = h('div', {});
  const load = async () => {
    const id = encodeURIComponent(accountId);
    const [wallet, closure] = await Promise.all([get<Wallet>(`/v1/accounts/${id}/wallet`), get<Closure>(`/v1/accounts/${id}/closure-eligibility`)]);
    const parts: (Node | string)[] = [];
    if (wallet.ok) {
      const w = wallet.body;
      parts.push(
        h('h2', {}, t('wallet')),
        table([t('available'), t('pending'), t('paidOut'), t('expired'), t('expiringWithin30Days')], [[h('span', { 'data-wallet': 'available' }, yen(w.available)), yen(w.pending), yen(w.paidOut), yen(w.expired), yen(w.expiringWithin30Days)]]),
        h('h3', {}, t('expiries')),
        w.expiries.length === 0 ? h('p', {}, t('empty')) : table([t('expiresAt'), t('sum')], w.expiries.map((e) => [h('span', { className: e.expiringSoon ? 'soon' : '' }, when(e.expiresAt)), yen(e.amount)])),
      );
      const withdrawals = await Promise.all(w.withdrawalsInProgress.map((item) => get<Withdrawal>(`/v1/withdrawals/${encodeURIComponent(item.withdrawalId)}`)));
      parts.push(
        h('h2', {}, t('withdrawals')),
        withdrawals.length === 0
          ? h('p', {}, t('empty'))
          : table(
              [t('withdrawal'), t('status'), t('mode'), t('sum'), t('netAmount'), t('payoutDate'), t('reasons'), t('reviewSteps')],
              withdrawals.map((answer) =>
                answer.ok
                  ? [
                      answer.body.withdrawalId,
                      answer.body.status,
                      answer.body.mode,
                      yen(answer.body.amount),
                      yen(answer.body.netAmount),
                      answer.body.payoutDate ?? '—',
                      answer.body.reasons.join(', '),
                      h('ul', {}, answer.body.reviewSteps.map((step) => h('li', {}, `${when(step.at)} ${step.action} (${step.reviewerId})${step.reason ? `: ${step.reason}` : ''}`))),
                    ]
                  : [refusal(answer.problem)],
              ),
            ),
      );
    } else parts.push(refusal(wallet.problem));
    parts.push(h('h2', {}, t('closure')));
    if (closure.ok) {
      const c = closure.body;
      parts.push(h('p', { 'data-closure': c.eligible ? 'eligible' : 'not-eligible' }, c.closed ? t('closed') : c.eligible ? t('eligible') : t('notEligible', { reasons: c.reasons.join(', ') })));
    } else parts.push(refusal(closure.problem));
    body.replaceChildren(...parts);
  };
  if (accountId) void load();
  return h('section', {}, h('h1', {}, t('accountTitle')), form, body);
}
