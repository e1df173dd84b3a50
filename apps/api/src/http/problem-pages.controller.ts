import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Access } from '../auth/access-policy';
import { PROBLEM_TITLES, ProblemError } from './problem';
import { codeOfSlug, PROBLEM_CATALOGUE, ProblemCodeEntry } from './problem-catalogue';

/**
 * The pages problem `type` URIs name (`/problems/milestone-not-funded`): what the code means and what to do,
 * for the developer reading an error. Public like /health and the API documentation, and outside the OpenAPI
 * document, which describes the API rather than its documentation.
 */
@ApiExcludeController()
@Controller('problems')
export class ProblemPagesController {
  @Get(':slug')
  @Access.public()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  page(@Param('slug') slug: string): string {
    const code = /^[a-z0-9-]{1,80}$/.test(slug) ? codeOfSlug(slug) : undefined;
    if (code === undefined) {
      throw new ProblemError(404, 'PROBLEM_TYPE_NOT_FOUND', PROBLEM_TITLES[404], 'No problem type has this name; the codes are listed in docs/api.md.');
    }
    return problemPage(code, PROBLEM_CATALOGUE[code]);
  }
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

/** Inline code spans of the catalogue's text (`like this`) as <code>. */
const withCode = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

export function problemPage(code: string, { status, meaning, remedy }: ProblemCodeEntry): string {
  const title = `${code}: ${PROBLEM_TITLES[status] ?? 'Error'}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body>',
    `<h1><code>${escapeHtml(code)}</code></h1>`,
    `<p>HTTP status <strong>${status}</strong> (${escapeHtml(PROBLEM_TITLES[status] ?? 'Error')}). Answered as <code>application/problem+json</code> with <code>"code": "${escapeHtml(code)}"</code>.</p>`,
    `<h2>What it means</h2><p>${withCode(meaning)}</p>`,
    `<h2>What to do</h2><p>${withCode(remedy)}</p>`,
    '<p>Every problem carries <code>requestId</code> and <code>correlationId</code>: quote them when you report it.</p>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
