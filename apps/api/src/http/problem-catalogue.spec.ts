import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WITHDRAWAL_REVIEW_REASONS } from '@escrow/domain/wallet';
import { codeOfSlug, PROBLEM_CATALOGUE, slugOfCode } from './problem-catalogue';

const REPOSITORY = join(__dirname, '../../../..');

function sourcesUnder(folder: string): { file: string; text: string }[] {
  return readdirSync(join(REPOSITORY, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
    .map((name) => ({ file: relative(REPOSITORY, join(REPOSITORY, folder, name)), text: readFileSync(join(REPOSITORY, folder, name), 'utf8') }));
}

/**
 * Upper-case literals of the domain that are not problem codes: values of its own vocabulary, and the code of a
 * field error that only ever appears inside `errors[]`.
 */
const DOMAIN_VALUES_THAT_ARE_NOT_CODES = new Set<string>([
  ...WITHDRAWAL_REVIEW_REASONS,
  // Reasons an account cannot be closed yet, listed in ACCOUNT_CLOSURE_BLOCKED and the closure eligibility.
  'OPEN_CONTRACT_AS_CLIENT',
  'OPEN_CONTRACT_AS_WORKER',
  'UNSETTLED_ESCROW',
  'WALLET_BALANCE',
  'WALLET_BALANCE_BELOW_MINIMUM',
  'WITHDRAWAL_IN_PROGRESS',
  'IDENTITY_VERIFICATION_IN_REVIEW',
  // A field error's code inside a VALIDATION_FAILED of the payment reference decider.
  'REQUIRED',
]);

/** Where the service names the code of a problem it answers with, and the status that code is answered with, if the place says. */
const THROWING_PLACES: { pattern: RegExp; status?: (match: RegExpExecArray) => number }[] = [
  { pattern: /\bconflict\(\s*'([A-Z][A-Z0-9_]*)'/g, status: () => 409 },
  { pattern: /\binvalid\(\s*'([A-Z][A-Z0-9_]*)'/g, status: () => 400 },
  { pattern: /\bforbidden\(\s*'([A-Z][A-Z0-9_]*)'/g, status: () => 403 },
  { pattern: /\bnotFound\(\s*'([A-Z][A-Z0-9_]*)'/g, status: () => 404 },
  { pattern: /new DomainError\(\s*'not_found',\s*'([A-Z][A-Z0-9_]*)'/g, status: () => 404 },
  { pattern: /new ProblemError\(\s*(\d{3}),\s*'([A-Z][A-Z0-9_]*)'/g, status: (match) => Number(match[1]) },
  { pattern: /\bedgeProblem\(\s*(\d{3}),\s*'([A-Z][A-Z0-9_]*)'/g, status: (match) => Number(match[1]) },
  { pattern: /\bproblem\(\s*(\d{3}),\s*'([A-Z][A-Z0-9_]*)'/g, status: (match) => Number(match[1]) },
  { pattern: /\bproblemType\(\s*'([A-Z][A-Z0-9_]*)'/g },
  { pattern: /\bcode(?::| =) '([A-Z][A-Z0-9]*_[A-Z0-9_]*)'/g },
  { pattern: /\bcase (\d{3}): return '([A-Z][A-Z0-9_]*)'/g, status: (match) => Number(match[1]) },
];

interface FoundCode {
  code: string;
  status?: number;
  where: string;
}

function codesThrownIn(sources: { file: string; text: string }[]): FoundCode[] {
  const found: FoundCode[] = [];
  for (const { file, text } of sources) {
    for (const { pattern, status } of THROWING_PLACES) {
      for (const match of text.matchAll(pattern)) {
        const code = match[match.length - 1];
        // Node's and SQLite's own error codes are read, never answered.
        if (/^(SQLITE_|ERR_|FST_|HPE_)/.test(code)) continue;
        found.push({ code, status: status?.(match as RegExpExecArray), where: `${file}: ${match[0]}` });
      }
    }
  }
  return found;
}

describe('the catalogue of problem codes', () => {
  it('describes every code the service throws, with the status it is thrown with', () => {
    const thrown = codesThrownIn([...sourcesUnder('apps/api/src'), ...sourcesUnder('libs/domain/src'), ...sourcesUnder('libs/event-store/src'), ...sourcesUnder('libs/projections/src')]);
    expect(thrown.length).toBeGreaterThan(100);
    expect(thrown.filter(({ code }) => PROBLEM_CATALOGUE[code] === undefined).map(({ where }) => where)).toEqual([]);
    expect(thrown.filter(({ code, status }) => status !== undefined && PROBLEM_CATALOGUE[code].status !== status).map(({ where }) => where)).toEqual([]);
  });

  it('describes every upper-case code of the domain, however a decider passes it (field checks name theirs as arguments)', () => {
    const literals = sourcesUnder('libs/domain/src').flatMap(({ file, text }) =>
      [...text.matchAll(/'([A-Z][A-Z0-9]*_[A-Z0-9_]*)'/g)].map((match) => ({ code: match[1], where: `${file}: ${match[0]}` })),
    );
    expect(literals.length).toBeGreaterThan(100);
    const unknown = literals.filter(({ code }) => PROBLEM_CATALOGUE[code] === undefined && !DOMAIN_VALUES_THAT_ARE_NOT_CODES.has(code));
    expect(unknown.map(({ where }) => where)).toEqual([]);
  });

  it('gives every entry a problem status, a meaning and a remedy, and one slug per code', () => {
    for (const [code, { status, meaning, remedy }] of Object.entries(PROBLEM_CATALOGUE)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(meaning.length).toBeGreaterThan(10);
      expect(remedy.length).toBeGreaterThan(5);
      expect(codeOfSlug(slugOfCode(code))).toBe(code);
    }
    expect(codeOfSlug('no-such-problem')).toBeUndefined();
  });
});
