/**
 * The JSON body parser: fastify's own (prototype poisoning refused), after a one-pass check that
 * the text does not nest deeper than MAX_JSON_DEPTH — so a 10,000-deep document is a 400 before
 * any recursive code (canonicalJson, the schema compiler, the checker) sees it.
 */
import type { FastifyInstance } from 'fastify';
import { jsonTooDeep, MAX_JSON_DEPTH } from '@yuanping/core';
import { ApiError } from './errors.js';

export function installJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonTooDeep(text)) return done(new ApiError('BODY_TOO_DEEP', { max: MAX_JSON_DEPTH }), undefined);
    return parse(req, text, done);
  });
}
