import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../config/app-config';
import { ProblemError, problemType } from '../http/problem';
import { authenticate } from './access.guard';

/**
 * A request that matches no route is answered 401, not 404, when it carries no valid token: a caller
 * that cannot authenticate learns nothing about which paths exist, whatever way it spells them.
 */
export function refuseUnauthenticatedUnroutedRequests(fastify: FastifyInstance, config: AppConfig): void {
  if (config.authentication.mode === 'open') return;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.url !== undefined) return done();
    try {
      authenticate(config, request);
      done();
    } catch (error) {
      if (!(error instanceof ProblemError)) return done(error as Error);
      void reply
        .status(error.status)
        .headers(error.headers)
        .header('content-type', 'application/problem+json; charset=utf-8')
        .send({ type: problemType(error.code), title: error.title, status: error.status, code: error.code, detail: error.detail, instance: request.url });
    }
  });
}
