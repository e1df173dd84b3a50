import { call, problemMessage } from './api';
import { h } from './dom';
import { t } from './i18n';

/**
 * One Idempotency-Key per intent: the same action with the same body on the same target reuses its key while its
 * outcome is unknown (no answer, or a 5xx), so a retry after a lost answer is recognised by the service rather than
 * done twice. A definite answer ends the intent: after a success or a refusal, pressing again is a new intent (the
 * service remembers a refusal under its key and would only repeat it). An edited request (another reason, another
 * split) is another intent with a key of its own.
 */
const intents = new Map<string, string>();

const newKey = (): string => {
  // getRandomValues works outside secure contexts too, unlike randomUUID.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
};

export function intentKey(path: string, body: object): string {
  const intent = `${path} ${JSON.stringify(body)}`;
  let key = intents.get(intent);
  if (key === undefined) {
    key = newKey();
    intents.set(intent, key);
  }
  return key;
}

export interface ActionOptions {
  label: string;
  path: string;
  /** The body at the moment of the click (a form's current values). */
  body: () => object;
  /** After success, with the command's answer (its `position` lets the next read include it). */
  done: (answer: { position?: number }) => void;
  /** Where the outcome is written; a line of its own by default. */
  outcome?: HTMLElement;
  name?: string;
}

/** A button that POSTs its command once at a time, shows the refusal's message, and keeps its key for a retry. */
export function actionButton(options: ActionOptions): { button: HTMLButtonElement; outcome: HTMLElement } {
  const outcome = options.outcome ?? h('p', { className: 'outcome', role: 'status' });
  const button = h('button', { type: 'button', 'data-action': options.name ?? options.label }, options.label);
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    const body = options.body();
    const intent = `${options.path} ${JSON.stringify(body)}`;
    const key = intentKey(options.path, body);
    button.disabled = true;
    outcome.className = 'outcome pending';
    outcome.textContent = t('loading');
    const answer = await call<{ position?: number }>('POST', options.path, body, key);
    button.disabled = false;
    if (answer.status !== 0 && answer.status < 500) intents.delete(intent);
    if (answer.ok) {
      outcome.className = 'outcome ok';
      outcome.textContent = t('done');
      options.done(answer.body ?? {});
      return;
    }
    outcome.className = 'outcome refused';
    outcome.textContent = answer.status === 0 ? t('unreachable') : t('refused', { message: problemMessage(answer.problem) });
  });
  return { button, outcome };
}
