import { randomInt } from 'node:crypto';

/**
 * A small seeded generator (mulberry32): the same seed plans the same scenario, so a failure can be
 * replayed with SCENARIO_SEED. Not for money arithmetic; amounts it draws are whole yen.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** One of the keys, drawn in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let draw = this.next() * total;
    for (const [key, weight] of entries) {
      draw -= weight;
      if (draw < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /** An independent generator for one part of the scenario, so parts running concurrently stay reproducible. */
  fork(): SeededRandom {
    return new SeededRandom(this.int(0, 0xffffffff));
  }
}

/** SCENARIO_SEED when set (a whole number), otherwise a fresh one. */
export function scenarioSeed(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.SCENARIO_SEED?.trim();
  if (text === undefined || text === '') return randomInt(0, 2 ** 31 - 1);
  if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff) throw new Error(`SCENARIO_SEED must be a whole number up to ${0xffffffff}, got "${text}"`);
  return Number(text);
}
