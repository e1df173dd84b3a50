import { session, signOut } from './api';
import { h } from './dom';
import { language, setLanguage, t } from './i18n';
import { accountPage } from './pages/account';
import { contractPage } from './pages/contract';
import { queuesPage } from './pages/queues';
import { searchPage } from './pages/search';
import { signInPage } from './pages/sign-in';
import { isWorkFormat, workPage } from './pages/work';

/** Hash routes: #/search, #/contracts/<id>, #/work/<format>/<id>, #/queues, #/accounts/<id>; without a session, the sign-in page. */
function render(): void {
  const top = document.getElementById('top')!;
  const page = document.getElementById('page')!;
  document.documentElement.lang = language();
  document.title = t('appTitle');
  const current = session();
  const switchLanguage = h('button', { type: 'button', className: 'language', 'data-action': 'language', onclick: () => { setLanguage(language() === 'ja' ? 'en' : 'ja'); render(); } }, t('language'));
  const nav = current
    ? h('nav', {}, h('a', { href: '#/search' }, t('navSearch')), h('a', { href: '#/queues' }, t('navQueues')), h('a', { href: '#/accounts/' }, t('navAccount')))
    : null;
  const who = current ? h('span', { className: 'who' }, t('signedInAs', { id: current.staffId }), ' ', h('button', { type: 'button', onclick: () => { signOut(); location.hash = '#/'; render(); } }, t('signOut'))) : null;
  top.replaceChildren(h('strong', {}, t('appTitle')), nav ?? '', h('span', { className: 'spacer' }), who ?? '', switchLanguage);

  if (!current) {
    page.replaceChildren(signInPage(() => { location.hash = '#/search'; render(); }));
    return;
  }
  const [route, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const id = decodeURIComponent(rest.join('/'));
  const [format, ...workId] = rest;
  if (route === 'contracts' && id) page.replaceChildren(contractPage(id));
  else if (route === 'work' && format !== undefined && isWorkFormat(format) && workId.length > 0) page.replaceChildren(workPage(format, decodeURIComponent(workId.join('/'))));
  else if (route === 'queues') page.replaceChildren(queuesPage());
  else if (route === 'accounts') page.replaceChildren(accountPage(id));
  else page.replaceChildren(searchPage());
}

window.addEventListener('hashchange', render);
render();
