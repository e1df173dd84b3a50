import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ProblemError } from './problem';

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Calling services authenticate with a bearer token from API_TOKENS. With no tokens configured the service
 * runs open (development); /health and the API documentation are always open.
 */
@Injectable()
export class ServiceTokenGuard implements CanActivate {
  private readonly accepted: Buffer[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.accepted = config.apiTokens.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.accepted.length === 0) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.url.startsWith('/v1/')) return true;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    // Comparing fixed-length digests keeps the comparison time independent of where a guess goes wrong.
    const presented = match ? digest(match[1]) : undefined;
    if (presented && this.accepted.some((token) => timingSafeEqual(token, presented))) return true;
    throw new ProblemError(401, 'UNAUTHENTICATED', 'Unauthenticated', 'A valid bearer token is required (Authorization: Bearer <token>).', {}, {
      'www-authenticate': 'Bearer realm="escrow-ledger"',
    });
  }
}
