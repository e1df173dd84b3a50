/**
 * The yardstick: a bare Fastify server whose one route does one durable SQLite insert per request (WAL,
 * synchronous=FULL, autocommit, so one fsync per request). Whatever the service does on top of that,
 * and whatever group commit saves, shows in the ratio between the two.
 *
 * Usage: baseline-server.ts <port> <database file> <max lifetime seconds>; prints "listening" when ready.
 */

import Database from 'better-sqlite3';
import Fastify from 'fastify';

async function main(): Promise<void> {
  const [portText, file, lifetimeText] = process.argv.slice(2);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY,
    stream_id   TEXT NOT NULL,
    type        TEXT NOT NULL,
    data        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
  ) STRICT`);
  const insert = db.prepare<[string, string, string, string]>('INSERT INTO events (stream_id, type, data, recorded_at) VALUES (?, ?, ?, ?)');

  const app = Fastify({ logger: false });
  app.post<{ Body: { streamId: string; type: string; data: unknown } }>('/events', async (request) => {
    const { streamId, type, data } = request.body;
    const result = insert.run(String(streamId), String(type), JSON.stringify(data), new Date().toISOString());
    return { position: Number(result.lastInsertRowid) };
  });

  const shutDown = async () => {
    await app.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutDown());
  process.on('disconnect', () => void shutDown());
  setTimeout(() => void shutDown(), Number(lifetimeText) * 1000).unref();

  await app.listen({ host: '127.0.0.1', port: Number(portText) });
  process.stdout.write('listening\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
