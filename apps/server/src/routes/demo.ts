import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../ctx.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../seed.js';

/**
 * `GET /api/demo` (public): whether this server runs in demo mode and, if so, the demo accounts
 * that exist in its database, so that the sign-in page can show a newcomer whom to sign in as.
 * Outside demo mode it says only `{ demo: false }`.
 */
export async function demoRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  app.get(
    '/api/demo',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: '演示模式：是否为演示服务器，及可用的演示账户',
        response: {
          200: {
            description: '演示模式信息',
            type: 'object',
            required: ['demo'],
            properties: {
              demo: { type: 'boolean' },
              password: { type: 'string' },
              accounts: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['username', 'displayName', 'role'],
                  properties: { username: { type: 'string' }, displayName: { type: 'string' }, role: { type: 'string' }, orgName: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    async () => {
      if (!ctx.demo) return { demo: false };
      const accounts: Array<{ username: string; displayName: string; role: string; orgName?: string }> = [];
      for (const u of DEMO_USERS) {
        const user = await ctx.storage.getUserByUsername(u.username);
        if (!user) continue;
        // where the account works: its park (applicant) or its org unit (reviewer)
        const park = user.parkId ? await ctx.storage.getPark(user.parkId) : null;
        const org = user.orgCode ? await ctx.storage.getOrgUnit(user.orgCode) : null;
        const orgName = park?.name ?? org?.name;
        accounts.push({ username: user.username, displayName: user.displayName, role: user.role, ...(orgName ? { orgName } : {}) });
      }
      return { demo: true, password: DEMO_PASSWORD, accounts };
    },
  );
}
