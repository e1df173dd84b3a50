import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { CLOCK, Clock } from '@escrow/clock';
import type { FastifyRequest } from 'fastify';
import { mayIssueCommands, mayReadAccount, mayReadContract, readsEverything, readsOperations } from '@escrow/domain/shared/access';
import type { Actor } from '@escrow/domain/shared/actor';
import { contractStreamId } from '@escrow/domain/contract';
import { type OtherWorkFormat, workOfEscrowId } from '@escrow/domain/escrow';
import { CommandExecutor } from '../commands/command-executor';
import { DerivedIds } from '../commands/envelope';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { contractAggregate } from '../contracts/contract-commands';
import { attachCommandContext, readActor, readCommandContext } from '../http/command-context';
import { ProblemError } from '../http/problem';
import { WORK_ACCESS } from '../formats/work-access';
import { ACCESS_POLICY, AccessPolicy } from './access-policy';
import { ApiClient, DEVELOPMENT_CLIENT, tokenDigest } from './api-clients';

/**
 * Every request is decided on the route it matched (after the router decoded its path), never on the
 * URL text: public routes pass; every other one needs a calling service's bearer token, actor headers
 * with a role that service may assert, and for reads the right to see what is asked for.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(DerivedIds) private readonly derivedIds: DerivedIds,
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [execution.getHandler(), execution.getClass()]);
    if (policy?.kind === 'public') return true;
    const request = execution.switchToHttp().getRequest<FastifyRequest>();

    const client = authenticate(this.config, request);
    const actor = readActor(request);
    if (!client.roles.includes(actor.role)) throw roleNotGranted(client, actor);
    attachCommandContext(
      request,
      readCommandContext(request, { actor, callingService: client.id }, (service, who, key) => this.derivedIds.seedOf(service, who, key), this.clock.now()),
    );

    const effective = policy ?? (request.method === 'GET' ? undefined : ({ kind: 'command' } as const));
    if (effective === undefined) throw forbidden('ROUTE_NOT_AUTHORISED', 'This route has no access policy, so nobody may call it.');
    await this.authorise(effective, actor, request.params as Record<string, string>);
    return true;
  }

  private async authorise(policy: Exclude<AccessPolicy, { kind: 'public' }>, actor: Actor, params: Record<string, string>): Promise<void> {
    switch (policy.kind) {
      case 'authenticated':
        return;
      case 'command':
        if (!mayIssueCommands(actor)) throw forbidden('READ_ONLY_ROLE', 'The auditor role reads only; it issues no commands.');
        return;
      case 'staff':
        if (!readsEverything(actor)) throw forbidden('STAFF_ONLY', 'Only support, system and auditor callers may read this.');
        return;
      case 'operations':
        if (!readsOperations(actor)) throw forbidden('OPERATIONS_ONLY', 'Only system and auditor callers may read the service metrics.');
        return;
      case 'account':
        if (!mayReadAccount(actor, params[policy.param])) throw notAParty(`account ${params[policy.param]}`);
        return;
      case 'contract': {
        // Another format's escrow id (`task~<id>`) names that work, whose fees the fee report keeps under it.
        const work = workOfEscrowId(params[policy.param]);
        if (work !== undefined && work.format !== 'fixed_price') return this.authoriseWork(actor, work.format, work.id, 'money');
        return this.authoriseContract(actor, params[policy.param]);
      }
      case 'work':
        return this.authoriseWork(actor, policy.format, params[policy.param]);
      case 'ledger-account': {
        if (readsEverything(actor)) return;
        const [kind, id] = splitLedgerAccount(params[policy.param]);
        if (kind === 'wallet' && mayReadAccount(actor, id)) return;
        const work = kind === 'escrow' ? workOfEscrowId(id) : undefined;
        if (work?.format === 'fixed_price') return this.authoriseContract(actor, work.id);
        if (work !== undefined) return this.authoriseWork(actor, work.format, work.id, 'money');
        throw notAParty(`ledger account ${params[policy.param]}`);
      }
    }
  }

  /** As for a contract: one that does not exist is left to the route; a format with no access rule is staff's only. */
  private async authoriseWork(actor: Actor, format: OtherWorkFormat, id: string, what: 'work' | 'money' = 'work'): Promise<void> {
    if (readsEverything(actor)) return;
    const access = WORK_ACCESS[format];
    if (access === undefined) throw notAParty(`${format} ${id}`);
    const state = await access.read(this.executor, id);
    const mayRead = what === 'money' && access.mayReadMoney ? access.mayReadMoney : access.mayRead;
    if (state !== undefined && !mayRead(actor, state)) throw notAParty(`${format} ${id}`);
  }

  /** A contract that does not exist is left to the route to answer (404); one that does is the parties'. */
  private async authoriseContract(actor: Actor, contractId: string): Promise<void> {
    if (readsEverything(actor)) return;
    const current = await this.executor.read(contractAggregate, contractStreamId(contractId));
    if (current && !mayReadContract(actor, current.state)) throw notAParty(`contract ${contractId}`);
  }
}

/** The calling service presenting the request's bearer token; with authentication off, the development client. */
export function authenticate(config: AppConfig, request: FastifyRequest): ApiClient {
  const { authentication } = config;
  if (authentication.mode === 'open') return DEVELOPMENT_CLIENT;
  const match = /^Bearer[ ]+([\x21-\x7e]{1,512})$/i.exec(request.headers.authorization ?? '');
  // Comparing fixed-length digests keeps the time independent of where a guess goes wrong; every token is compared.
  const presented = match ? tokenDigest(match[1]) : undefined;
  let found: ApiClient | undefined;
  if (presented) {
    for (const client of authentication.clients) {
      for (const digest of client.tokenDigests) if (timingSafeEqual(digest, presented)) found ??= client;
    }
  }
  if (found) return found;
  throw new ProblemError(401, 'UNAUTHENTICATED', 'Unauthenticated', 'A valid bearer token of a calling service is required (Authorization: Bearer <token>).', {}, {
    'www-authenticate': 'Bearer realm="escrow-ledger"',
  });
}

function splitLedgerAccount(account: string | undefined): [string, string] {
  const at = (account ?? '').indexOf(':');
  return at < 0 ? [account ?? '', ''] : [account!.slice(0, at), account!.slice(at + 1)];
}

const forbidden = (code: string, detail: string) => new ProblemError(403, code, 'Forbidden', detail);

const notAParty = (what: string) => forbidden('NOT_A_PARTY', `The actor is not party to ${what}; only its parties and staff may read it.`);

const roleNotGranted = (client: ApiClient, actor: Actor) =>
  new ProblemError(403, 'ROLE_NOT_GRANTED', 'Forbidden', `The calling service ${client.id} may not act as role ${actor.role}.`, {
    callingService: client.id,
    grantedRoles: client.roles,
  });
