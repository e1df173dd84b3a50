/** Reads a file line by line in constant memory, saying whether each line was terminated by "\n". */

import { createReadStream } from 'node:fs';

export interface NdjsonLine {
  /** 1-based. */
  number: number;
  text: string;
  /** False for a last line without its "\n": the file was cut short. */
  terminated: boolean;
}

/** No event comes near this; a longer line is refused rather than held in memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export class LineTooLongError extends Error {}

export async function* ndjsonLines(file: string): AsyncGenerator<NdjsonLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let from = 0;
    let newline = chunk.indexOf(0x0a, from);
    while (newline !== -1) {
      pending.push(chunk.subarray(from, newline));
      number += 1;
      yield { number, text: Buffer.concat(pending).toString('utf8'), terminated: true };
      pending = [];
      pendingBytes = 0;
      from = newline + 1;
      newline = chunk.indexOf(0x0a, from);
    }
    if (from < chunk.length) {
      pending.push(chunk.subarray(from));
      pendingBytes += chunk.length - from;
      if (pendingBytes > MAX_LINE_BYTES) throw new LineTooLongError(`line ${number + 1} is longer than ${MAX_LINE_BYTES} bytes`);
    }
  }
  if (pendingBytes > 0) yield { number: number + 1, text: Buffer.concat(pending).toString('utf8'), terminated: false };
}
