import { language } from './i18n';

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** An element with its attributes (`on…` are listeners) and children; text is always set as text, never as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name in element && name !== 'list') (element as unknown as Record<string, unknown>)[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Whole yen, grouped (¥1,234,567); the service only ever answers integers. */
export const yen = (amount: number | null | undefined): string => (amount === null || amount === undefined ? '—' : `¥${amount.toLocaleString('ja-JP')}`);

/** An instant in Japan's time, as support reads it. */
export const when = (instant: string | null | undefined): string =>
  instant ? new Date(instant).toLocaleString(language() === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo' }) : '—';

export const table = (headers: string[], rows: Child[][], attributes: Attributes = {}): HTMLTableElement =>
  h('table', attributes, h('thead', {}, h('tr', {}, headers.map((header) => h('th', {}, header)))), h('tbody', {}, rows.map((row) => h('tr', {}, row.map((cell) => h('td', {}, cell))))));

export const field = (label: string, input: HTMLInputElement | HTMLSelectElement): HTMLLabelElement => h('label', {}, h('span', {}, label), input);
