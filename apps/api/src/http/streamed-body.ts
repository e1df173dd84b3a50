import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** How long a reader may leave its socket full before the export gives up on it. */
export const STALLED_READER_MS = 60_000;
/** How long a truncation marker is given to reach the socket before the connection is cut. */
const ABORT_FLUSH_MS = 1_000;

/**
 * The body of an answer too large to hold (an export), written chunk by chunk under back-pressure: a chunk the
 * socket does not take at once is waited on (`drain`) before the writer produces the next, so the server holds
 * at most one chunk per reader. The writer learns when the reader has gone (or stalled past the bound), and stops.
 */
export class StreamedBody {
  private gone: boolean;
  private wakeWaiter: (() => void) | undefined;

  constructor(
    private readonly out: ServerResponse,
    private readonly stalledReaderMs = STALLED_READER_MS,
  ) {
    this.gone = out.destroyed || out.socket === null || out.socket?.destroyed === true;
    out.once('close', () => {
      this.gone = true;
      this.wakeWaiter?.();
    });
    // A write to a socket the reader has just reset fails; the 'close' that follows ends the export.
    out.on('error', () => undefined);
  }

  /** Takes the connection over from the framework and sends the status and headers (those already set on the reply too). */
  static open(reply: FastifyReply, headers: OutgoingHttpHeaders): StreamedBody {
    reply.hijack();
    const set = Object.entries(reply.getHeaders())
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? value : String(value)]);
    const body = new StreamedBody(reply.raw);
    reply.raw.writeHead(200, { ...Object.fromEntries(set), ...headers, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    return body;
  }

  /** Whether the reader has left (or was cut off): nothing more is written. */
  get closed(): boolean {
    return this.gone;
  }

  /** Writes a chunk and resolves once the socket can take more; false when the reader has gone. */
  async write(chunk: string): Promise<boolean> {
    if (this.gone) return false;
    if (chunk === '' || this.out.write(chunk)) return true;
    const drained = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), this.stalledReaderMs);
      const onDrain = () => finish(true);
      const finish = (taken: boolean) => {
        clearTimeout(timer);
        this.out.off('drain', onDrain);
        this.wakeWaiter = undefined;
        resolve(taken && !this.gone);
      };
      this.out.once('drain', onDrain);
      this.wakeWaiter = () => finish(false);
    });
    if (!drained) this.out.destroy();
    return drained;
  }

  /** Ends a complete body. */
  end(): void {
    if (!this.gone) this.out.end();
  }

  /**
   * Ends a body that could not be completed: `marker` (a last, unterminated line) is written, and the connection
   * is cut without the chunked encoding's final chunk, so that both the saved file and the HTTP transfer show it.
   */
  abort(marker: string): void {
    if (this.gone) return;
    const cut = setTimeout(() => this.out.destroy(), ABORT_FLUSH_MS);
    cut.unref();
    this.out.write(marker, () => {
      clearTimeout(cut);
      this.out.destroy();
    });
  }
}
