import { ProblemError } from './problem';

/**
 * Proactive content negotiation (RFC 9110 §12.5.1) for the few routes that answer in more than one format: the
 * `Accept` header picks among the media types a route offers; a route's first type is its default (no `Accept`,
 * or one that ranks every type alike). Parameters other than `q` are ignored; a header longer than the bound is refused as a whole.
 */

const MAX_ACCEPT_LENGTH = 1024;
const MAX_ACCEPT_RANGES = 32;
const MEDIA_RANGE = /^([a-z0-9!#$&^_.+-]+|\*)\/([a-z0-9!#$&^_.+-]+|\*)$/;
const QUALITY = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

interface MediaRange {
  type: string;
  subtype: string;
  quality: number;
}

function parseAccept(header: string): MediaRange[] | undefined {
  if (header.length > MAX_ACCEPT_LENGTH) return undefined;
  const ranges: MediaRange[] = [];
  for (const part of header.split(',').slice(0, MAX_ACCEPT_RANGES)) {
    const [range, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (range === '') continue;
    const match = MEDIA_RANGE.exec(range);
    if (!match) continue;
    const qualityParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = qualityParameter !== undefined && QUALITY.test(qualityParameter) ? Number(qualityParameter.slice(2)) : 1;
    ranges.push({ type: match[1], subtype: match[2], quality });
  }
  return ranges;
}

/** How precisely a range names a type: an exact match beats a `type/` wildcard, which beats the
 * full wildcard; -1 when it does not cover it. */
function specificity(range: MediaRange, offered: string): number {
  const [type, subtype] = offered.split('/');
  if (range.type === '*' && range.subtype === '*') return 0;
  if (range.type !== type) return -1;
  if (range.subtype === '*') return 1;
  return range.subtype === subtype ? 2 : -1;
}

/** The quality the caller gives an offered type: that of the most specific range covering it, 0 when none does. */
function qualityOf(ranges: MediaRange[], offered: string): number {
  let best = -1;
  let quality = 0;
  for (const range of ranges) {
    const level = specificity(range, offered);
    if (level > best) {
      best = level;
      quality = range.quality;
    }
  }
  return quality;
}

/**
 * The offered media type the caller prefers (offer order breaks ties, so the default wins those), or a 406
 * `NOT_ACCEPTABLE` problem listing what the route can answer.
 */
export function negotiate<Type extends string>(accept: string | string[] | undefined, offered: readonly [Type, ...Type[]]): Type {
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  if (header === undefined || header.trim() === '') return offered[0];
  const ranges = parseAccept(header);
  let chosen: Type | undefined;
  let chosenQuality = 0;
  for (const type of offered) {
    const quality = ranges === undefined ? 0 : qualityOf(ranges, type);
    if (quality > chosenQuality) {
      chosen = type;
      chosenQuality = quality;
    }
  }
  if (chosen !== undefined) return chosen;
  throw new ProblemError(
    406,
    'NOT_ACCEPTABLE',
    'Not acceptable',
    `This route answers ${offered.join(', ')}; the Accept header allows none of them.`,
    { available: [...offered] },
  );
}
