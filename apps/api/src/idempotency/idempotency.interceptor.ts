import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, catchError, map, of } from 'rxjs';
import { DomainError } from '@escrow/domain/shared/domain-error';
import { commandContextOf } from '../http/command-context';
import { HTTP_STATUS_OF_DOMAIN_ERROR } from '../http/problem';
import { answeredFromEvents } from './answer-sources';
import { IdempotencyRecords } from './idempotency-records';
import { IdempotencyKeyReusedError, isRetryOf, scopeOfCommand } from './keys';

interface StoredRefusal {
  refusal: { kind: DomainError['kind']; code: string; message: string; details?: Record<string, unknown> };
}

/**
 * Gives every POST with an Idempotency-Key, in its caller's scope, its first answer again: the stored response when the same key
 * and request come back, a 422 when the key comes back with another request. Refusals by the domain are
 * remembered too, so a retry is answered the same way even if the state has moved on since. A success whose
 * commands all appended events (or replayed them) is recorded without its body: a retry the records no longer
 * hold the body of runs again, and the command executor answers it from those events.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IdempotencyRecords) private readonly records: IdempotencyRecords) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = execution.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'POST') return next.handle();
    const context = commandContextOf(request);
    const scope = scopeOfCommand(context);
    if (scope === undefined) return next.handle();

    const stored = this.records.find(scope);
    if (stored) {
      if (!isRetryOf(stored.requestHash, context)) throw new IdempotencyKeyReusedError();
      const reply = execution.switchToHttp().getResponse<FastifyReply>();
      void reply.header('idempotent-replayed', 'true');
      if (stored.status >= 400) {
        const { refusal } = stored.body as StoredRefusal;
        throw new DomainError(refusal.kind, refusal.code, refusal.message, refusal.details);
      }
      // A success whose events answer it: the command runs again, and the executor replays them.
      if (stored.answeredFromEvents) return next.handle();
      void reply.status(stored.status);
      return of(stored.body);
    }

    const successStatus: number = Reflect.getMetadata(HTTP_CODE_METADATA, execution.getHandler()) ?? HttpStatus.CREATED;
    return next.handle().pipe(
      map((body: unknown) => {
        const response = { requestHash: context.requestHash, status: successStatus, body };
        const first = this.records.remember(scope, response, context.at, { answeredFromEvents: answeredFromEvents(context) });
        // A racing identical request answered first: its body, unless it is only answered from its events (the same state).
        return first.answeredFromEvents ? body : first.body;
      }),
      catchError((error: unknown) => {
        // Invalid values are refused whatever the state, like request validation, so they are not remembered:
        // the corrected request may come back with the same key.
        if (error instanceof DomainError && error.kind !== 'invalid') {
          const status = HTTP_STATUS_OF_DOMAIN_ERROR[error.kind];
          const refusal: StoredRefusal = {
            refusal: { kind: error.kind, code: error.code, message: error.message, details: error.details },
          };
          this.records.remember(scope, { requestHash: context.requestHash, status, body: refusal }, context.at);
        }
        throw error;
      }),
    );
  }
}
