import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The support console's page: the static files `npm run build` writes to CONSOLE_DIR, served at /console.
 * The page is public and holds no secret (the staff member signs in with the support client's token, which
 * stays in the browser tab); every API call it makes is authenticated and authorised like any other. Like
 * /docs and the problem pages it is outside the OpenAPI document, which describes the API. Where the console
 * was not built, /console is simply not a route.
 */
export function serveConsole(app: NestFastifyApplication, consoleDir: string): boolean {
  if (!existsSync(join(consoleDir, 'index.html'))) return false;
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/console', (_request, reply) => reply.redirect('/console/', 301));
  void fastify.register(fastifyStatic, {
      root: consoleDir,
      prefix: '/console/',
      // /docs registers the same plugin: only one may decorate the reply.
      decorateReply: false,
      redirect: true,
      index: ['index.html'],
      // The build writes no dotfile; one found in the folder is not the console's, and is not served.
      dotfiles: 'ignore',
      // The plugin's own cache-control would replace the one set below.
      cacheControl: false,
      setHeaders: (res) => {
        // Scripts, styles and API calls from this origin only; no frames, no inline script.
        res.setHeader('content-security-policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        res.setHeader('x-content-type-options', 'nosniff');
        res.setHeader('cache-control', 'no-cache');
      },
    });
  return true;
}
