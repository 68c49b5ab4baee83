import type { FastifyInstance } from 'fastify';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';

export async function auditRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
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
      },
    },
    async (req) => {
      requireUser(req, ['admin']);
      const q = req.query as { entity?: string; entityId?: string };
      return ctx.storage.listAudit({ ...(q.entity ? { entity: q.entity } : {}), ...(q.entityId ? { entityId: q.entityId } : {}) });
    },
  );
}
