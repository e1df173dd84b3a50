import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './generated/openapi';

export type { components, operations, paths };

/** Every schema of the document by name: `EscrowSchema<'ContractResponseSchema'>`. */
export type EscrowSchema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** The problem document every error answers with (application/problem+json). */
export type Problem = EscrowSchema<'ProblemSchema'>;

/** Who a request is made for: `auditor` only reads. */
export interface EscrowActor {
  id: string;
  role: 'user' | 'support' | 'system' | 'auditor';
}

/** An actor who may issue commands. */
export interface CommandActor extends EscrowActor {
  role: Exclude<EscrowActor['role'], 'auditor'>;
}

export interface EscrowClientOptions {
  /** Where the service answers, e.g. `https://escrow.internal` (the paths start with /v1). */
  baseUrl: string;
  /** The calling service's bearer token; omit only against a service with authentication off (development). */
  token?: string;
  /** The user (or support or system principal) on whose behalf every request is made. */
  actor: EscrowActor;
  /** A fetch of your own (a proxy agent, a test double); the global fetch by default. */
  fetch?: (input: Request) => Promise<Response>;
}

/** What one command may add: the key that makes its retry safe, the revision it expects, the correlation it joins. */
export interface CommandOptions {
  /** Send one with every command: a retry with the same key and body answers the first answer and appends nothing. */
  idempotencyKey?: string;
  /** The stream revision you read (the `revision` of an answer): the command is refused with 412 if the stream moved on. */
  ifMatch?: number | string;
  correlationId?: string;
}

/** The header parameters every read documents: who reads. */
export interface ReadHeaders {
  'X-Actor-Id': string;
  'X-Actor-Role': EscrowActor['role'];
}

/** The header parameters every command documents. */
export interface CommandHeaders {
  'X-Actor-Id': string;
  'X-Actor-Role': CommandActor['role'];
  'Idempotency-Key'?: string;
  'If-Match'?: string;
  'X-Correlation-Id'?: string;
}

export interface EscrowClient extends Client<paths> {
  readonly actor: EscrowActor;
  /** The headers of one read by this client's actor: `params: { header: api.reader() }`. */
  reader(): ReadHeaders;
  /** The headers of one command by this client's actor: `params: { header: api.command({ idempotencyKey }) }`. */
  command(options?: CommandOptions): CommandHeaders;
  /** The same client for another actor (same service, same token). */
  forActor(actor: EscrowActor): EscrowClient;
}

/**
 * A typed client of the escrow and contract ledger: every path, parameter, body and answer is typed from the
 * service's OpenAPI document. Each request carries the bearer token and names the actor (X-Actor-Id, X-Actor-Role).
 */
export function createEscrowClient(options: EscrowClientOptions): EscrowClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use(identify(options));
  const { actor } = options;
  return Object.assign(client, {
    actor,
    reader: (): ReadHeaders => ({ 'X-Actor-Id': actor.id, 'X-Actor-Role': actor.role }),
    command(commandOptions: CommandOptions = {}): CommandHeaders {
      if (actor.role === 'auditor') throw new Error('An auditor issues no commands');
      return {
        'X-Actor-Id': actor.id,
        'X-Actor-Role': actor.role,
        ...(commandOptions.idempotencyKey !== undefined ? { 'Idempotency-Key': commandOptions.idempotencyKey } : {}),
        ...(commandOptions.ifMatch !== undefined ? { 'If-Match': String(commandOptions.ifMatch) } : {}),
        ...(commandOptions.correlationId !== undefined ? { 'X-Correlation-Id': commandOptions.correlationId } : {}),
      };
    },
    forActor(other: EscrowActor): EscrowClient {
      return createEscrowClient({ ...options, actor: other });
    },
  });
}

/** Adds the token and, where a request does not name one already, the client's actor. */
function identify({ token, actor }: EscrowClientOptions): Middleware {
  return {
    onRequest({ request }) {
      if (token !== undefined) request.headers.set('Authorization', `Bearer ${token}`);
      if (!request.headers.has('X-Actor-Id')) request.headers.set('X-Actor-Id', actor.id);
      if (!request.headers.has('X-Actor-Role')) request.headers.set('X-Actor-Role', actor.role);
      return request;
    },
  };
}
