import { actionButton } from '../action';
import { h, table, yen } from '../dom';
import { t } from '../i18n';
import { terminationPreview } from '../termination-preview';
import type { ContractView } from './contract';

/**
 * Support's termination with a split: a payout per open milestone, previewed with the fee and net the domain's fee
 * rule gives them (and the refund of the rest) before the command can be sent.
 */
export function terminationPanel(contract: ContractView, paidOutBefore: number, terminated: (position?: number) => void): HTMLElement {
  const reason = h('input', { name: 'reason', maxLength: 2000, required: true });
  const open = contract.milestones.filter((m) => !['paid_out', 'refunded', 'cancelled'].includes(m.status) && m.escrowBalance > 0);
  const amounts = new Map(open.map((m) => [m.milestoneId, h('input', { name: `split-${m.milestoneId}`, inputMode: 'numeric', pattern: '[0-9]*', value: '0', 'data-split': m.milestoneId })]));
  const previewSlot = h('div', { className: 'preview' });
  const splits = () =>
    [...amounts].map(([milestoneId, input]) => ({ milestoneId, payOutGross: /^\d{1,15}$/.test(input.value.trim()) ? Number(input.value.trim()) : NaN }));
  const outcome = h('p', { className: 'outcome', role: 'status' });
  const confirm = actionButton({
    label: t('confirmTerminate'),
    name: 'terminate',
    path: `/v1/contracts/${encodeURIComponent(contract.contractId)}/termination`,
    body: () => ({ reason: reason.value.trim(), splits: splits().filter((split) => split.payOutGross > 0) }),
    done: (answer) => terminated(answer.position),
    outcome,
  });
  confirm.button.disabled = true;
  const showPreview = () => {
    confirm.button.disabled = true;
    const chosen = splits();
    if (chosen.some((split) => Number.isNaN(split.payOutGross))) {
      previewSlot.replaceChildren(h('p', { className: 'outcome refused' }, t('payOut')));
      return;
    }
    try {
      const preview = terminationPreview(contract, paidOutBefore, new Map(chosen.map((split) => [split.milestoneId, split.payOutGross])));
      previewSlot.replaceChildren(
        table(
          [t('milestone'), t('inEscrow'), t('payOut'), t('fee'), t('net'), t('refundRest')],
          [
            ...preview.lines.map((line) => [line.title, yen(line.escrow), yen(line.payOutGross), yen(line.fee), yen(line.net), line.cancelled ? t('cancelled') : yen(line.refund)]),
            [t('total'), '', yen(preview.totals.payOutGross), h('strong', { 'data-preview': 'fee' }, yen(preview.totals.fee)), h('strong', { 'data-preview': 'net' }, yen(preview.totals.net)), h('strong', { 'data-preview': 'refund' }, yen(preview.totals.refund))],
          ],
          { className: 'money' },
        ),
        h('p', { className: 'note' }, t('previewNote')),
      );
      confirm.button.disabled = false;
    } catch (error) {
      previewSlot.replaceChildren(h('p', { className: 'outcome refused' }, t('refused', { message: (error as Error).message })));
    }
  };
  // Any edit asks for a new preview before the command can be sent.
  for (const input of [reason, ...amounts.values()]) input.addEventListener('input', () => { confirm.button.disabled = true; previewSlot.replaceChildren(); });
  return h(
    'section',
    { className: 'card terminate' },
    h('h2', {}, t('terminateTitle')),
    h('label', {}, h('span', {}, t('reason')), reason),
    table([t('milestone'), t('inEscrow'), t('payOut')], open.map((m) => [m.title, yen(m.escrowBalance), amounts.get(m.milestoneId)!])),
    h('button', { type: 'button', 'data-action': 'preview', onclick: showPreview }, t('preview')),
    previewSlot,
    confirm.button,
    outcome,
  );
}
