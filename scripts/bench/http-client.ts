/** A minimal keep-alive HTTP/1.1 JSON client: no dependency, and cheap enough not to starve the service of CPU. */

import http from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
  /** Whether the request went over a connection that an earlier request had opened (keep-alive). */
  reusedSocket: boolean;
}

export class HttpTimeoutError extends Error {
  constructor(method: string, path: string, timeoutMs: number) {
    super(`${method} ${path} got no answer within ${timeoutMs} ms`);
    this.name = 'HttpTimeoutError';
  }
}

export class KeepAliveClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly maxSockets: number,
    private readonly timeoutMs: number,
    /** `fifo` takes the longest-idle connection first, so that every pooled connection stays in use and none idles out. */
    scheduling: 'fifo' | 'lifo' = 'lifo',
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling });
  }

  /** Opens every connection of the pool at once with a GET of `path` each, so that later requests open none. */
  async openConnections(path: string, headers: Record<string, string> = {}): Promise<void> {
    await Promise.all(Array.from({ length: this.maxSockets }, () => this.request('GET', path, headers)));
  }

  request(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: unknown): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const requestHeaders: Record<string, string | number> = { ...headers };
    if (payload !== undefined) {
      requestHeaders['content-type'] = 'application/json';
      requestHeaders['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      const request = http.request(
        { host: this.host, port: this.port, method, path, headers: requestHeaders, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), reusedSocket: request.reusedSocket }));
          response.on('error', reject);
        },
      );
      request.setTimeout(this.timeoutMs, () => request.destroy(new HttpTimeoutError(method, path, this.timeoutMs)));
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
