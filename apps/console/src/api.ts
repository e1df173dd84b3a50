/**
 * The console's calls to the service: every one carries the support client's token and the staff member's id
 * as the actor (role `support`), kept in this tab's sessionStorage only.
 */
export interface Session {
  token: string;
  staffId: string;
}

const SESSION_KEY = 'console.session';

export const session = (): Session | null => {
  const text = sessionStorage.getItem(SESSION_KEY);
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as Session;
    return typeof parsed.token === 'string' && typeof parsed.staffId === 'string' ? parsed : null;
  } catch {
    return null;
  }
};
export const signIn = (value: Session): void => sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
export const signOut = (): void => sessionStorage.removeItem(SESSION_KEY);

export interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  errors?: { field: string; rule?: string; message?: string }[];
}

export type Answer<T> = { ok: true; status: number; body: T } | { ok: false; status: number; problem: Problem };

/** What a refusal says, for the person who asked: the problem's detail and each field it names. */
export function problemMessage(problem: Problem): string {
  const fields = (problem.errors ?? []).map((error) => `${error.field}: ${error.message ?? error.rule ?? ''}`);
  const head = problem.detail ?? problem.title ?? `HTTP ${problem.status}`;
  return [head, ...fields].join(' / ');
}

export async function call<T>(method: 'GET' | 'POST', path: string, body?: object, idempotencyKey?: string): Promise<Answer<T>> {
  const current = session();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (current) {
    headers.authorization = `Bearer ${current.token}`;
    headers['x-actor-id'] = current.staffId;
    headers['x-actor-role'] = 'support';
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
  } catch {
    return { ok: false, status: 0, problem: { status: 0 } };
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) return { ok: true, status: response.status, body: parsed as T };
  const problem = parsed && typeof parsed === 'object' ? (parsed as Problem) : { status: response.status, detail: text.slice(0, 300) };
  return { ok: false, status: response.status, problem: { ...problem, status: response.status } };
}

export const get = <T>(path: string): Promise<Answer<T>> => call<T>('GET', path);

/** A query string of the given parameters that have a value. */
export function query(parameters: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
