import { idParam } from '../http.js';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { ROLES } from '@yuanping/storage';
import { publicUser, requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { hashPassword } from '../auth.js';
import { ApiError } from '../errors.js';
import { listOf, ok } from '../components.js';
import { isValidCreditCode, isValidMobile } from '../ids.js';
import { canSeePark, parkFilterFor } from '../scope.js';


export async function orgRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  app.get(
    '/api/org-units',
    {
      schema: {
        tags: ['org'],
        summary: '组织单位（省 → 设区市 → 县市区）',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { parent: { type: 'string', maxLength: 20 }, level: { enum: ['province', 'city', 'county'] } },
        },
        response: listOf('OrgUnit', '组织单位'),
      },
    },
    async (req) => {
      requireUser(req);
      const q = req.query;
      return storage.listOrgUnits({ ...(q.parent ? { parentCode: q.parent } : {}), ...(q.level ? { level: q.level } : {}) });
    },
  );

  const orgBody = {
    type: 'object',
    additionalProperties: false,
    required: ['code', 'name', 'parentCode'],
    properties: {
      code: { type: 'string', pattern: '^[0-9]{6}$', description: '行政区划代码（6 位）' },
      name: { type: 'string', minLength: 1, maxLength: 50 },
      parentCode: { type: 'string', pattern: '^[0-9]{2,6}$', description: '上级单位：省（设区市的上级）或设区市（县市区的上级）' },
    },
  } as const;
  app.post(
    '/api/org-units',
    { schema: { tags: ['org'], summary: '新建组织单位（管理员）：设区市建在省下，县市区建在设区市下', body: orgBody, response: ok({ $ref: 'OrgUnit#' }, '已新建', 201) } },
    async (req, reply) => {
      const u = requireUser(req, ['admin']);
      const b = req.body;
      const parent = await storage.getOrgUnit(b.parentCode);
      if (!parent || parent.level === 'county') throw new ApiError('ORG_UNIT_INVALID', { code: b.parentCode });
      const unit = { code: b.code, name: b.name.trim(), level: parent.level === 'province' ? ('city' as const) : ('county' as const), parentCode: parent.code };
      await storage.transaction(async (t) => {
        if (await t.getOrgUnit(b.code)) throw new ApiError('DUPLICATE', { what: `单位代码 ${b.code}` });
        await t.upsertOrgUnits([unit]);
        await t.appendAudit({ actorId: u.id, action: 'org.create', entity: 'org_unit', entityId: unit.code, after: unit, at: ctx.now() });
      });
      return reply.status(201).send(unit);
    },
  );
  app.put(
    '/api/org-units/:code',
    {
      schema: {
        tags: ['org'],
        summary: '修改组织单位的名称（管理员）',
        params: { type: 'object', required: ['code'], properties: { code: { type: 'string', maxLength: 20 } } },
        body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 50 } } },
        response: ok({ $ref: 'OrgUnit#' }, '已修改'),
      },
    },
    async (req) => {
      const u = requireUser(req, ['admin']);
      const code = req.params.code;
      const name = req.body.name.trim();
      return storage.transaction(async (t) => {
        const before = await t.getOrgUnit(code);
        if (!before) throw new ApiError('NOT_FOUND', { what: '组织单位' });
        const after = { ...before, name };
        await t.upsertOrgUnits([after]);
        await t.appendAudit({ actorId: u.id, action: 'org.update', entity: 'org_unit', entityId: code, before, after, at: ctx.now() });
        return after;
      });
    },
  );

  app.get('/api/parks', { schema: { tags: ['parks'], summary: '本辖区的园区', response: listOf('Park', '园区') } }, async (req) => {
    const u = requireUser(req);
    const f = parkFilterFor(u);
    if (f === 'own') {
      const p = u.parkId ? await storage.getPark(u.parkId) : null;
      return p ? [p] : [];
    }
    return storage.listParks(f);
  });

  app.get('/api/parks/:id', { schema: { tags: ['parks'], summary: '园区详情', params: idParam, response: ok({ $ref: 'Park#' }, '园区') } }, async (req) => {
    const u = requireUser(req);
    const p = await storage.getPark(req.params.id);
    if (!p || !canSeePark(u, p)) throw new ApiError('NOT_FOUND', { what: '园区' });
    return p;
  });

  app.post(
    '/api/parks',
    {
      schema: {
        tags: ['parks'],
        summary: '登记园区（管理员，或县级审核人登记本县园区）',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'creditCode', 'countyCode'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            creditCode: { type: 'string', minLength: 1, maxLength: 18 },
            countyCode: { type: 'string', minLength: 1, maxLength: 20 },
            contactName: { type: 'string', maxLength: 50 },
            contactMobile: { type: 'string', maxLength: 20 },
          },
        },
        response: ok({ $ref: 'Park#' }, '已登记', 201),
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['admin', 'county']);
      const b = req.body;
      if (!isValidCreditCode(b.creditCode)) throw new ApiError('CREDIT_CODE_INVALID', { code: b.creditCode }, { errors: [{ path: 'creditCode', code: 'creditCode', message: '统一社会信用代码校验位错误' }] });
      if (b.contactMobile !== undefined && !isValidMobile(b.contactMobile)) {
        throw new ApiError('MOBILE_INVALID', { mobile: b.contactMobile }, { errors: [{ path: 'contactMobile', code: 'mobile', message: '手机号码格式不正确' }] });
      }
      const county = await storage.getOrgUnit(b.countyCode);
      if (!county || county.level !== 'county' || !county.parentCode) throw new ApiError('ORG_UNIT_INVALID', { code: b.countyCode });
      if (u.role === 'county' && county.code !== u.orgCode) throw new ApiError('FORBIDDEN');
      const park = await storage.transaction(async (t) => {
        if (await t.getParkByCreditCode(b.creditCode)) throw new ApiError('DUPLICATE', { what: '该统一社会信用代码的园区' });
        const p = await t.createPark({
          name: b.name,
          creditCode: b.creditCode,
          countyCode: county.code,
          cityCode: county.parentCode as string,
          contactName: b.contactName ?? null,
          contactMobile: b.contactMobile ?? null,
        });
        await t.appendAudit({ actorId: u.id, action: 'park.create', entity: 'park', entityId: p.id, after: p, at: ctx.now() });
        return p;
      });
      return reply.status(201).send(park);
    },
  );

  app.get('/api/users', { schema: { tags: ['users'], summary: '用户列表（管理员）', response: listOf('User', '用户') } }, async (req) => {
    requireUser(req, ['admin']);
    return (await storage.listUsers()).map(publicUser);
  });

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: '创建本地账户（管理员）',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'displayName', 'password', 'role'],
          properties: {
            username: { type: 'string', minLength: 2, maxLength: 100, pattern: '^[A-Za-z0-9_.@-]+$' },
            displayName: { type: 'string', minLength: 1, maxLength: 100 },
            password: { type: 'string', minLength: 8, maxLength: 200 },
            role: { enum: [...ROLES] },
            orgCode: { type: 'string', maxLength: 20 },
            parkId: { type: 'string', maxLength: 100 },
            mobile: { type: 'string', maxLength: 20 },
          },
        },
        response: ok({ $ref: 'User#' }, '已创建', 201),
      },
    },
    async (req, reply) => {
      const admin = requireUser(req, ['admin']);
      const b = req.body;
      if (b.mobile !== undefined && !isValidMobile(b.mobile)) throw new ApiError('MOBILE_INVALID', { mobile: b.mobile }, { errors: [{ path: 'mobile', code: 'mobile', message: '手机号码格式不正确' }] });
      let orgCode: string | null = null;
      let parkId: string | null = null;
      if (b.role === 'applicant') {
        const park = b.parkId ? await storage.getPark(b.parkId) : null;
        if (!park) throw new ApiError('NOT_FOUND', { what: '园区' });
        parkId = park.id;
        orgCode = park.countyCode;
      } else if (b.role === 'county' || b.role === 'city' || b.role === 'province') {
        const org = b.orgCode ? await storage.getOrgUnit(b.orgCode) : null;
        if (!org || org.level !== b.role) throw new ApiError('ORG_UNIT_INVALID', { code: b.orgCode ?? '' });
        orgCode = org.code;
      }
      const passwordHash = await hashPassword(b.password);
      const user = await storage.transaction(async (t) => {
        if (await t.getUserByUsername(b.username)) throw new ApiError('DUPLICATE', { what: '用户名' });
        const created = await t.createUser({ username: b.username, displayName: b.displayName, passwordHash, role: b.role, orgCode, parkId, mobile: b.mobile ?? null });
        await t.appendAudit({ actorId: admin.id, action: 'user.create', entity: 'user', entityId: created.id, after: publicUser(created), at: ctx.now() });
        return created;
      });
      return reply.status(201).send(publicUser(user));
    },
  );
}
