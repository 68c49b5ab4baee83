// The per-request log line (app.ts RequestLog): refused and failed requests at info, successful
// ones at debug (not written at the default level), slow ones at warn whatever their status.
import { describe, expect, it } from 'vitest';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestLog } from './app.js';

function complete(log: RequestLog, level: string, statusCode: number, elapsedTime: number): string[] {
  const lines: string[] = [];
  const at = (l: string) => (obj: { statusCode: number }, msg: string) => lines.push(`${l} ${msg} ${obj.statusCode}`);
  const reply = { statusCode, elapsedTime, log: { level, debug: at('debug'), info: at('info'), warn: at('warn') } } as unknown as FastifyReply;
  const request = { method: 'PUT', url: '/api/submissions/x', ip: '127.0.0.1' } as unknown as FastifyRequest;
  log.requestCompleted(null, request, reply);
  return lines;
}

describe('the per-request log line', () => {
  it('at the default level: a successful fast request writes nothing, a refused one a line, a slow one a warning', () => {
    const log = new RequestLog(true, 1000);
    expect(complete(log, 'info', 200, 5)).toEqual([]);
    expect(complete(log, 'info', 304, 5)).toEqual([]);
    expect(complete(log, 'info', 412, 5)).toEqual(['info request 412']);
    expect(complete(log, 'info', 500, 5)).toEqual(['info request 500']);
    expect(complete(log, 'info', 200, 1500)).toEqual(['warn slow request 200']);
  });
  it('at debug every request has its line; with per-request lines off only slow ones', () => {
    expect(complete(new RequestLog(true, 1000), 'debug', 200, 5)).toEqual(['debug request 200']);
    const off = new RequestLog(false, 1000);
    expect(complete(off, 'debug', 404, 5)).toEqual([]);
    expect(complete(off, 'info', 200, 2000)).toEqual(['warn slow request 200']);
    expect(complete(new RequestLog(true, 1000), 'warn', 404, 5)).toEqual([]);
  });
});
