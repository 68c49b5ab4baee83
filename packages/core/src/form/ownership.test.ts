import { describe, expect, it } from 'vitest';
import { mergeOwnWrites, ownPart, writesField } from './ownership.js';

// a scorecard item: the applicant's self score, the county's score, and totals computed of each
const schema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    items: {
      type: 'object',
      properties: {
        a: { type: 'object', properties: { self: { type: 'number' }, county: { type: 'number', 'x-role': 'county' } } },
        b: { type: 'object', properties: { self: { type: 'number' }, county: { type: 'number', 'x-role': 'county' } } },
      },
    },
    selfTotal: { type: 'number', 'x-compute': { '+': [{ var: 'items.a.self' }, { var: 'items.b.self' }] } },
    countyTotal: { type: 'number', 'x-role': 'county', 'x-compute': { '+': [{ var: 'items.a.county' }, { var: 'items.b.county' }] } },
    rows: { type: 'array', items: { type: 'object', properties: { v: { type: 'number' }, check: { type: 'string', 'x-role': 'city' } } } },
  },
};

describe('who writes a field', () => {
  it('a computed field is nobody’s, another role’s field is not the applicant’s', () => {
    expect(writesField({ type: 'number' }, 'applicant')).toBe(true);
    expect(writesField({ type: 'number', 'x-compute': { var: 'a' } }, 'applicant')).toBe(false);
    expect(writesField({ type: 'number', 'x-role': 'county' }, 'applicant')).toBe(false);
    expect(writesField({ type: 'number', 'x-role': 'county' }, 'county')).toBe(true);
  });

  it('the client sends only the fields its role writes', () => {
    const data = { name: 'x', items: { a: { self: 3, county: 0 } }, selfTotal: 3, countyTotal: 0, rows: [{ v: 1, check: 'ok' }] };
    expect(ownPart(schema, data)).toEqual({ name: 'x', items: { a: { self: 3 } }, rows: [{ v: 1 }] });
  });

  it('the server keeps the stored values of other roles, computes the computed ones and ignores what was sent for them', () => {
    const before = { items: { a: { self: 1, county: 2 } }, rows: [{ v: 1, check: '已核' }] };
    const sent = { name: '园', items: { a: { self: 4 }, b: { self: 5 } }, selfTotal: 999, countyTotal: 0, rows: [{ v: 7 }] };
    const r = mergeOwnWrites(schema, before, sent);
    expect(r.refused).toEqual([]);
    expect(r.data).toEqual({ name: '园', items: { a: { self: 4, county: 2 }, b: { self: 5 } }, selfTotal: 9, countyTotal: 2, rows: [{ v: 7, check: '已核' }] });
  });

  it('another role’s field sent unchanged passes; changed is refused with its path', () => {
    const before = { items: { a: { self: 1, county: 2 } } };
    expect(mergeOwnWrites(schema, before, { items: { a: { self: 1, county: 2 } } }).refused).toEqual([]);
    expect(mergeOwnWrites(schema, before, { items: { a: { self: 1, county: 3 } } }).refused).toEqual(['items.a.county']);
    expect(mergeOwnWrites(schema, {}, { rows: [{ v: 1, check: 'x' }] }).refused).toEqual(['rows.0.check']);
  });

  it('an object left out of the save keeps the other roles’ values inside it', () => {
    const r = mergeOwnWrites(schema, { items: { a: { self: 1, county: 2 } } }, { name: 'n' });
    expect(r.data).toEqual({ name: 'n', items: { a: { county: 2 } }, selfTotal: 0, countyTotal: 2 });
  });
});
