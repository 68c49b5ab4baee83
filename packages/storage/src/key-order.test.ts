import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { openStorage, randomSchemaName, type Storage } from './index.js';

// A form's fields render in the order of its `properties`: a stored pack must come back
// with its object keys in the order they were written (jsonb would sort them).
const cases: Array<[string, () => Promise<{ s: Storage; done: () => Promise<void> }>]> = [
  ['pglite', async () => {
    const s = await openStorage();
    return { s, done: () => s.close() };
  }],
];
const url = process.env.DATABASE_URL;
if (url) {
  cases.push(['postgres', async () => {
    const schema = randomSchemaName();
    const s = await openStorage({ databaseUrl: url, schema });
    return {
      s,
      done: async () => {
        await s.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      },
    };
  }]);
}

describe.each(cases)('pack files keep their key order (%s)', (_name, open) => {
  it('returns properties in the order written', async () => {
    const { s, done } = await open();
    try {
      const schema = { type: 'object', properties: { zeta: { title: '园区名称' }, alpha: { title: '地址' }, mid: { title: '类型' } } };
      const manifest = { id: 'ko', title: '测试', forms: [], parameters: { zz: 1, aa: 2 } };
      const { version } = await s.publishPackVersion({ packId: 'ko', hash: 'h', title: 't', manifest, files: { 'schemas/ko/forms/f.schema.json': schema }, publishedBy: null });
      const back = await s.getPackVersion(version.id);
      const f = (back?.files as Record<string, { properties: Record<string, unknown> }>)['schemas/ko/forms/f.schema.json'];
      expect(Object.keys(f!.properties)).toEqual(['zeta', 'alpha', 'mid']);
      expect(Object.keys((back?.manifest as { parameters: Record<string, unknown> }).parameters)).toEqual(['zz', 'aa']);
    } finally {
      await done();
    }
  });
});
