import http from 'node:http';

export interface ScenarioActor {
  id: string;
  role: 'user' | 'support' | 'system' | 'auditor';
}

/** Who reads when a test names nobody: an auditor reads everything. */
export const SCENARIO_READER: ScenarioActor = { id: 'scenario-auditor', role: 'auditor' };

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: http.IncomingHttpHeaders;
}

/** For a service with API_CLIENTS: the token of the calling service that asserts each role. */
export type RoleTokens = Partial<Record<ScenarioActor['role'], string>>;

export interface PostOptions {
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

/**
 * JSON over real HTTP to a listening service, with keep-alive connections. A transport failure
 * (connection refused or reset, the server gone) rejects; every HTTP status resolves.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly url: URL;
  private readonly timeoutMs: number;
  private readonly tokens: RoleTokens;
  /** Requests sent, answered or not. */
  calls = 0;

  constructor(baseUrl: string, options: { maxSockets?: number; timeoutMs?: number; tokens?: RoleTokens } = {}) {
    this.url = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.tokens = options.tokens ?? {};
  }

  get<T = unknown>(path: string, actor: ScenarioActor = SCENARIO_READER): Promise<Reply<T>> {
    return this.send<T>('GET', path, undefined, this.actorHeaders(actor));
  }

  post<T = unknown>(path: string, actor: ScenarioActor, body: object = {}, options: PostOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...this.actorHeaders(actor), ...(options.headers ?? {}) };
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    return this.send<T>('POST', path, body, headers);
  }

  /** The actor's headers, and the bearer token of the calling service that asserts the actor's role, if one is set. */
  private actorHeaders(actor: ScenarioActor): Record<string, string> {
    const token = this.tokens[actor.role];
    return { 'x-actor-id': actor.id, 'x-actor-role': actor.role, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
  }

  /** Closes the idle connections (and any in use). */
  close(): void {
    this.agent.destroy();
  }

  private send<T>(method: string, path: string, body: object | undefined, headers: Record<string, string>): Promise<Reply<T>> {
    this.calls++;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<Reply<T>>((resolve, reject) => {
      const request = http.request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          timeout: this.timeoutMs,
          headers: {
            accept: 'application/json',
            ...headers,
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if (text !== '' && /json/.test(String(response.headers['content-type']))) {
              try {
                parsed = JSON.parse(text);
              } catch (error) {
                reject(error);
                return;
              }
            }
            resolve({ status: response.statusCode ?? 0, body: parsed as T, headers: response.headers });
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out after ${this.timeoutMs} ms`)));
      request.on('error', reject);
      request.end(payload);
    });
  }
}

/** The body when the status is the expected one; otherwise an error naming the call and the answer. */
export async function expectStatus<T = unknown>(pending: Promise<Reply<T>>, status: number, what: string): Promise<T> {
  const reply = await pending;
  if (reply.status !== status) throw new Error(`${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}
