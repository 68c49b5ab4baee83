/**
 * Seeding for the deadline morning (docs/RELIABILITY.md): N applicant accounts, each with its own
 * park, spread round-robin over the 90 counties, and one county reviewer per county. Written
 * straight into the database (one password hash shared by all: seeding stays quick, while every
 * sign-in still verifies the full memory-hard hash). Idempotent by user name.
 *
 *   DATABASE_URL=… YUANPING_DB_SCHEMA=… pnpm seed:morning [applicants=1200] [password]
 *
 * The server must have started once on that database (migrations, org units).
 */
import { pathToFileURL } from 'node:url';
import { openStorage, pgSettingsFromEnv, type Storage } from '@yuanping/storage';
import { hashPassword } from '../../apps/server/src/auth.js';
import { creditCodeCheckChar } from '../../apps/server/src/ids.js';

export interface MorningAccounts {
  applicants: Array<{ username: string; parkId: string; countyCode: string }>;
  reviewers: Array<{ username: string; countyCode: string }>;
}

export const MORNING_PASSWORD = 'deadline-morning';

export async function seedMorning(storage: Storage, n: number, password = MORNING_PASSWORD): Promise<MorningAccounts> {
  const counties = (await storage.listOrgUnits({ level: 'county' })).sort((a, b) => a.code.localeCompare(b.code));
  if (counties.length === 0) throw new Error('没有县级组织单位：请先启动一次服务器（迁移与组织单位）');
  const hash = await hashPassword(password);
  const out: MorningAccounts = { applicants: [], reviewers: [] };
  for (const c of counties) {
    const username = `morning-county-${c.code}`;
    if (!(await storage.getUserByUsername(username))) {
      await storage.createUser({ username, displayName: `${c.name}审核人（压测）`, passwordHash: hash, role: 'county', orgCode: c.code, parkId: null });
    }
    out.reviewers.push({ username, countyCode: c.code });
  }
  const batch = 100;
  for (let start = 0; start < n; start += batch) {
    await storage.transaction(async (t) => {
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const c = counties[i % counties.length] as (typeof counties)[number];
        const username = `morning-${String(i).padStart(5, '0')}`;
        const existing = await t.getUserByUsername(username);
        if (existing?.parkId) {
          out.applicants.push({ username, parkId: existing.parkId, countyCode: c.code });
          continue;
        }
        const body = `91330000MA${String(i).padStart(7, '0')}`;
        const creditCode = `${body}${creditCodeCheckChar(body) ?? "0"}`;
        const park =
          (await t.getParkByCreditCode(creditCode)) ??
          (await t.createPark({ name: `压测园区 ${i}`, creditCode, countyCode: c.code, cityCode: c.parentCode ?? '', contactName: null, contactMobile: null }));
        await t.createUser({ username, displayName: `压测申报单位 ${i}`, passwordHash: hash, role: 'applicant', orgCode: c.code, parkId: park.id });
        out.applicants.push({ username, parkId: park.id, countyCode: c.code });
      }
    });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('请设置 DATABASE_URL（及 YUANPING_DB_SCHEMA）');
  const n = Number(process.argv[2] ?? 1200);
  const storage = await openStorage({ databaseUrl: url, ...(process.env.YUANPING_DB_SCHEMA ? { schema: process.env.YUANPING_DB_SCHEMA } : {}), ...pgSettingsFromEnv() });
  try {
    const a = await seedMorning(storage, n, process.argv[3] ?? MORNING_PASSWORD);
    console.log(`已准备 ${a.applicants.length} 个申报单位账户（morning-00000 …）与 ${a.reviewers.length} 个县级审核人（morning-county-<县代码>），密码 ${process.argv[3] ?? MORNING_PASSWORD}`);
  } finally {
    await storage.close();
  }
}
