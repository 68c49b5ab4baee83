import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OrgUnit, Role, Storage } from '@yuanping/storage';
import { hashPassword } from './auth.js';
import type { Engine } from './engine.js';
import { creditCodeCheckChar } from './ids.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The division file, owned by @yuanping/check (the checker validates quotas and caps against it). */
export const DIVISIONS_FILE = createRequire(import.meta.url).resolve('@yuanping/check/data/zhejiang-divisions.json');

interface Divisions {
  province: { code: string; name: string };
  cities: Array<{ code: string; name: string; counties: Array<{ code: string; name: string }> }>;
}

export function divisionsToOrgUnits(d: Divisions): OrgUnit[] {
  const out: OrgUnit[] = [{ code: d.province.code, name: d.province.name, level: 'province', parentCode: null }];
  for (const c of d.cities) {
    out.push({ code: c.code, name: c.name, level: 'city', parentCode: d.province.code });
    for (const k of c.counties) out.push({ code: k.code, name: k.name, level: 'county', parentCode: c.code });
  }
  return out;
}

/** Loads province → cities → counties (idempotent). */
export async function seedOrgUnits(storage: Storage, file = DIVISIONS_FILE): Promise<number> {
  const units = divisionsToOrgUnits(JSON.parse(readFileSync(file, 'utf8')) as Divisions);
  const existing = await storage.listOrgUnits();
  if (existing.length === units.length) return 0;
  await storage.transaction((t) => t.upsertOrgUnits(units));
  return units.length;
}

export const DEMO_PASSWORD = 'yuanping-demo';

function creditCode(first17: string): string {
  return first17 + (creditCodeCheckChar(first17) ?? '0');
}

/** Demo parks in two cities and a user for every role (data: apps/server/seed/demo.json). Not for production. */
interface DemoFile {
  parks: Array<{ key: string; name: string; creditCode17: string; countyCode: string; cityCode: string; contactName: string; contactMobile: string }>;
  users: Array<{ username: string; displayName: string; role: Role; orgCode?: string; park?: string }>;
}
const demoFile = JSON.parse(readFileSync(join(HERE, '..', 'seed', 'demo.json'), 'utf8')) as DemoFile;

export const DEMO_PARKS = demoFile.parks.map(({ creditCode17, ...p }) => ({ ...p, creditCode: creditCode(creditCode17) }));

export const DEMO_USERS: Array<{ username: string; displayName: string; role: Role; orgCode?: string; park?: string }> = demoFile.users;

/** Creates the demo parks and users that do not exist yet (`scryptN`: the test harness's cheap hash cost). */
export async function seedDemo(storage: Storage, password = DEMO_PASSWORD, scryptN?: number): Promise<string[]> {
  const created: string[] = [];
  const hash = await hashPassword(password, scryptN);
  await storage.transaction(async (t) => {
    const parkIds: Record<string, string> = {};
    for (const p of DEMO_PARKS) {
      const existing = await t.getParkByCreditCode(p.creditCode);
      const park =
        existing ??
        (await t.createPark({ name: p.name, creditCode: p.creditCode, countyCode: p.countyCode, cityCode: p.cityCode, contactName: p.contactName, contactMobile: p.contactMobile }));
      parkIds[p.key] = park.id;
    }
    for (const u of DEMO_USERS) {
      if (await t.getUserByUsername(u.username)) continue;
      const parkId = u.park ? (parkIds[u.park] ?? null) : null;
      const park = u.park ? DEMO_PARKS.find((p) => p.key === u.park) : undefined;
      await t.createUser({ username: u.username, displayName: u.displayName, passwordHash: hash, role: u.role, orgCode: park ? park.countyCode : (u.orgCode ?? null), parkId });
      await t.appendAudit({ actorId: null, action: 'user.create', entity: 'user', entityId: u.username, after: { role: u.role, demo: true } });
      created.push(u.username);
    }
  });
  return created;
}

/** Publishes every pack under `<root>/schemas/*` whose check passes (content hash makes this idempotent). */
export async function publishRepoPacks(storage: Storage, engine: Engine, root: string, log: (msg: string) => void = () => {}): Promise<string[]> {
  const dir = join(root, 'schemas');
  if (!existsSync(dir)) return [];
  const published: string[] = [];
  for (const id of readdirSync(dir)) {
    if (!existsSync(join(dir, id, 'pack.json'))) continue;
    try {
      const pack = await engine.loadPack(id, { root });
      const errors = engine.checkPack(pack).filter((p) => p.severity === 'error');
      if (errors.length) {
        log(`通知包 ${id} 未通过检查（${errors.length} 个错误），未发布`);
        continue;
      }
      const r = await storage.transaction(async (t) => {
        const res = await t.publishPackVersion({ packId: pack.id, hash: pack.hash, title: pack.manifest.title, manifest: pack.manifest, files: pack.files, publishedBy: null });
        if (res.created) await t.appendAudit({ actorId: null, action: 'pack.publish', entity: 'pack', entityId: pack.id, after: { version: res.version.version, hash: pack.hash, demo: true } });
        return res;
      });
      if (r.created) published.push(`${pack.id}@${r.version.version}`);
    } catch (e) {
      log(`通知包 ${id} 无法加载：${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return published;
}

/** Creates the first administrator when none exists (production bootstrap). Returns whether it did. */
export async function ensureAdmin(storage: Storage, username: string, password: string): Promise<boolean> {
  if (password.length < 12) throw new Error('YUANPING_ADMIN_PASSWORD 至少 12 个字符');
  const users = await storage.listUsers();
  if (users.some((u) => u.role === 'admin')) return false;
  const passwordHash = await hashPassword(password);
  await storage.transaction(async (t) => {
    const u = await t.createUser({ username, displayName: '系统管理员', passwordHash, role: 'admin', orgCode: null, parkId: null });
    await t.appendAudit({ actorId: null, action: 'user.create', entity: 'user', entityId: u.id, after: { username, role: 'admin', bootstrap: true } });
  });
  return true;
}
