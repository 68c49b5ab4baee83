import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { listOf } from '../components.js';

export async function auditRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: '审计日志（管理员）：谁、做了什么、何时、修改前后',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { entity: { type: 'string', maxLength: 50 }, entityId: { type: 'string', maxLength: 100 } },
        },
        response: listOf('AuditEntry', '审计日志'),
      },
    },
    async (req) => {
      requireUser(req, ['admin']);
      const q = req.query;
      return ctx.storage.listAudit({ ...(q.entity ? { entity: q.entity } : {}), ...(q.entityId ? { entityId: q.entityId } : {}) });
    },
  );
}
