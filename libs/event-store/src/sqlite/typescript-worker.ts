/**
 * Starting a worker_threads Worker on a TypeScript entry, for when the service runs as TypeScript (ts-node,
 * jest): a Worker loads JavaScript only, and loading a TypeScript compiler in each worker would cost a
 * second of CPU per start. Instead the entry and the modules it imports by relative path are transpiled
 * once here, on the thread that already has a compiler at hand, kept in a cache file next to the system's
 * temporary files (checked against the sources' hashes), and handed to the worker, whose small JavaScript
 * entry serves them to `require` by file name. Packages are loaded from node_modules as usual.
 */

import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Worker, WorkerOptions } from 'node:worker_threads';

const TYPESCRIPT_ENTRY = `
const Module = require('node:module');
const { workerData } = require('node:worker_threads');
const sources = workerData.transpiledSources;
Module._extensions['.ts'] = (module, filename) => module._compile(sources[filename], filename);
require(workerData.transpiledEntry);
`;

interface TranspiledClosure {
  /** SHA-256 of each source file, to tell whether the cache still holds their current text. */
  hashes: Record<string, string>;
  sources: Record<string, string>;
}

const RELATIVE_REQUIRE = /require\("(\.{1,2}\/[^"]+)"\)/g;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const memo = new Map<string, TranspiledClosure>();

/** Starts a Worker on `entry`, a .ts file that imports other modules only by relative path or as packages. */
export function startTypeScriptWorker(entry: string, options: WorkerOptions & { workerData: object }): Worker {
  const closure = transpiledClosure(entry);
  return new Worker(TYPESCRIPT_ENTRY, {
    ...options,
    eval: true,
    workerData: { ...options.workerData, transpiledEntry: entry, transpiledSources: closure.sources },
  });
}

function transpiledClosure(entry: string): TranspiledClosure {
  const remembered = memo.get(entry);
  if (remembered !== undefined && isCurrent(remembered)) return remembered;
  const cacheFile = join(tmpdir(), `escrow-worker-${sha256(entry).slice(0, 16)}.json`);
  let closure = readCache(cacheFile);
  if (closure === undefined || !isCurrent(closure)) {
    closure = transpile(entry);
    // Written aside then renamed, so that a concurrent start never reads half a file.
    const aside = `${cacheFile}.${randomUUID()}`;
    writeFileSync(aside, JSON.stringify(closure));
    renameSync(aside, cacheFile);
  }
  memo.set(entry, closure);
  return closure;
}

function readCache(file: string): TranspiledClosure | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TranspiledClosure;
  } catch {
    return undefined;
  }
}

function isCurrent(closure: TranspiledClosure): boolean {
  try {
    return Object.entries(closure.hashes).every(([file, hash]) => sha256(readFileSync(file, 'utf8')) === hash);
  } catch {
    return false;
  }
}

function transpile(entry: string): TranspiledClosure {
  // Required here only: compiled JavaScript never comes this way, and needs no compiler installed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const closure: TranspiledClosure = { hashes: {}, sources: {} };
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (closure.sources[file] !== undefined) continue;
    const text = readFileSync(file, 'utf8');
    const output = ts.transpileModule(text, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    }).outputText;
    closure.hashes[file] = sha256(text);
    closure.sources[file] = output;
    for (const [, specifier] of output.matchAll(RELATIVE_REQUIRE)) {
      const module = resolve(dirname(file), specifier);
      pending.push(existsSync(`${module}.ts`) ? `${module}.ts` : join(module, 'index.ts'));
    }
  }
  return closure;
}
