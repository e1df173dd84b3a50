import { signIn } from '../api';
import { field, h } from '../dom';
import { t } from '../i18n';

export function signInPage(signedIn: () => void): HTMLElement {
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, minLength: 16, maxLength: 512 });
  const staffId = h('input', { name: 'staffId', autocomplete: 'username', required: true, maxLength: 128, pattern: '[A-Za-z0-9][A-Za-z0-9._:\\-]{0,127}' });
  const form = h(
    'form',
    { className: 'card' },
    h('h1', {}, t('signInTitle')),
    h('p', {}, t('signInHelp')),
    field(t('token'), token),
    field(t('staffId'), staffId),
    h('button', { type: 'submit' }, t('signIn')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    signIn({ token: token.value.trim(), staffId: staffId.value.trim() });
    signedIn();
  });
  return form;
}
