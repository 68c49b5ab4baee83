import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { EXPORT_JOB_KIND, LONG_WORK_ROWS } from '@yuanping/core';
import { EXPORT_PROGRESS_ROWS, importXlsx, type TableForm } from '@yuanping/tables';
import { testPackFiles, TEST_PACK_ID } from './testing/fixture-pack.js';
import { COHORT_JOB_CHUNK } from './routes/cohort.js';
import { JOB_RESULT_TTL_MS, sweepExpired } from './housekeeping.js';
import { serverFor } from '../../../test/support/server.js';
import type { JobView } from './testing/harness.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sumSchema = testPackFiles()[`schemas/${TEST_PACK_ID}/forms/sum.schema.json`] as TableForm;


function filenameStar(header: unknown): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(String(header));
  return m ? decodeURIComponent(m[1] as string) : '';
}

describe('exports over LONG_WORK_ROWS rows as jobs: progress, cancel, the file kept for its owner', () => {
  const url = `/api/tables/${TEST_PACK_ID}/sum`;
  const srv = serverFor({}, { county: 'county-xihu', otherCounty: 'county-haishu', city: 'city-hz', admin: 'admin' });
  const n = LONG_WORK_ROWS + 200;
  /** the first test's export job (its file swept by the last test) */
  let firstJob = '';
  const rows = Array.from({ length: n }, (_, i) => ({ park: `园区${String(i).padStart(4, '0')}`, area: (i * 37) % 500 }));

  /** The progress the job wrote, as every call of setJobProgress for it saw it (the storage the server uses). */
  function watchProgress(): { seen: Array<{ id: string; done: number; phase: string | null }>; stop: () => void } {
    const s = srv.h.storage;
    const orig = s.setJobProgress.bind(s);
    const seen: Array<{ id: string; done: number; phase: string | null }> = [];
    s.setJobProgress = async (id, p, at) => {
      seen.push({ id, done: p.done, phase: p.phase ?? null });
      return orig(id, p, at);
    };
    return { seen, stop: () => void (s.setJobProgress = orig) };
  }

  it(`a ${n}-row table export as a job: progress in rows, the result downloads and opens with the right rows; only its owner (and admins) read it`, async () => {
    const { county, otherCounty, city, admin } = srv;
    expect((await county.put(url, { rows })).statusCode).toBe(200);
    const w = watchProgress();
    let job: JobView;
    try {
      const res = await county.post(`${url}/xlsx-job`);
      expect(res.statusCode, res.body).toBe(202);
      job = res.json() as JobView;
      expect(job).toMatchObject({ kind: EXPORT_JOB_KIND, status: 'queued', total: n, done: 0 });
      await srv.h.app.jobs.idle();
    } finally {
      w.stop();
    }
    // progress reported while the rows were written: every EXPORT_PROGRESS_ROWS rows, rising to the total
    const mine = w.seen.filter((x) => x.id === job.id).map((x) => x.done);
    const steps = Array.from({ length: Math.floor(n / EXPORT_PROGRESS_ROWS) }, (_, i) => (i + 1) * EXPORT_PROGRESS_ROWS);
    expect(mine).toEqual(expect.arrayContaining(steps));
    expect(mine).toEqual([...mine].sort((a, b) => a - b));
    expect(mine.at(-1)).toBe(n);
    const end = (await county.get(`/api/jobs/${job.id}`)).json() as JobView;
    expect(end).toMatchObject({ status: 'succeeded', done: n, total: n, resultId: job.id, errorCode: null });

    const file = await county.get(`/api/jobs/${job.id}/result`);
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers['content-type']).toBe(XLSX);
    expect(file.headers['cache-control']).toBe('private, no-store');
    expect(filenameStar(file.headers['content-disposition'])).toBe('汇总表-西湖区.xlsx');
    // opens in exceljs; the rows are the table's, in order, and the same as the direct download's
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets[0]?.rowCount).toBeGreaterThan(n);
    const parsed = await importXlsx(sumSchema, file.rawPayload);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors.slice(0, 3)));
    expect(parsed.rows).toEqual(rows);
    const direct = await importXlsx(sumSchema, (await county.get(`${url}/xlsx`)).rawPayload);
    expect(direct.ok && direct.rows).toEqual(rows);

    // in the user's recent jobs
    expect(((await county.get(`/api/jobs?kind=${EXPORT_JOB_KIND}`)).json() as JobView[]).map((j) => j.id)).toContain(job.id);
    // the city sees the job (its progress) but not the file; another county neither; an admin both
    expect((await city.get(`/api/jobs/${job.id}/result`)).statusCode).toBe(404);
    expect((await otherCounty.get(`/api/jobs/${job.id}`)).statusCode).toBe(404);
    expect((await otherCounty.get(`/api/jobs/${job.id}/result`)).statusCode).toBe(404);
    expect((await admin.get(`/api/jobs/${job.id}/result`)).statusCode).toBe(200);
    firstJob = job.id;
  });

  it('cancelled halfway through writing: the job ends cancelled, no result kept', async () => {
    const { county } = srv;
    expect((await county.put(url, { rows })).statusCode).toBe(200);
    // the cancel asked for (as the user's 取消 would) once half the rows are written
    const s = srv.h.storage;
    const orig = s.setJobProgress.bind(s);
    let asked = 0;
    s.setJobProgress = async (id, p, at) => {
      if (p.done >= n / 2 && !asked) {
        asked = p.done;
        expect((await county.post(`/api/jobs/${id}/cancel`)).json()).toMatchObject({ status: 'running', cancelRequested: true });
      }
      return orig(id, p, at);
    };
    let job: JobView;
    try {
      job = (await county.post(`${url}/xlsx-job`)).json() as JobView;
      await srv.h.app.jobs.idle();
    } finally {
      s.setJobProgress = orig;
    }
    expect(asked).toBeGreaterThanOrEqual(n / 2);
    expect(asked).toBeLessThan(n);
    const end = (await county.get(`/api/jobs/${job.id}`)).json() as JobView;
    expect(end).toMatchObject({ status: 'cancelled', resultId: null });
    expect(end.done).toBe(asked);
    expect(await srv.h.storage.getJobResult(job.id)).toBeNull();
    expect((await county.get(`/api/jobs/${job.id}/result`)).json()).toMatchObject({ code: 'JOB_NO_RESULT' });
  });

  it('a cohort run exported as a job: the official layout with every record; refused outside the area', async () => {
    const { city, otherCounty } = srv;
    const records = Array.from({ length: n }, (_, i) => ({ park: `园区${i}`, area: (i * 7919) % 1000 }));
    const run = (await city.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', records })).json() as { id: string };
    expect((await otherCounty.post(`/api/cohort-runs/${run.id}/xlsx-job`)).statusCode).toBe(404);
    const job = (await city.post(`/api/cohort-runs/${run.id}/xlsx-job`)).json() as JobView;
    expect(job).toMatchObject({ kind: EXPORT_JOB_KIND, total: n });
    await srv.h.app.jobs.idle();
    expect((await city.get(`/api/jobs/${job.id}`)).json()).toMatchObject({ status: 'succeeded', done: n });
    const file = await city.get(`/api/jobs/${job.id}/result`);
    expect(file.statusCode).toBe(200);
    const direct = await city.get(`/api/cohort-runs/${run.id}/xlsx`);
    const cells = async (buf: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0] as ExcelJS.Worksheet;
      const out: unknown[][] = [];
      ws.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
      return out;
    };
    const fromJob = await cells(file.rawPayload);
    expect(fromJob).toEqual(await cells(direct.rawPayload));
    expect(fromJob.flat()).toContain(`园区${n - 1}`);
  });

  it(`a cohort job cancelled halfway through writing its records (chunks of ${COHORT_JOB_CHUNK}): the run is gone, no records left`, async () => {
    const { city } = srv;
    const total = COHORT_JOB_CHUNK * 3;
    const records = Array.from({ length: total }, (_, i) => ({ park: `园区${i}`, area: (i * 7919) % 1000 }));
    const runsBefore = ((await city.get('/api/cohort-runs')).json() as unknown[]).length;
    const s = srv.h.storage;
    const orig = s.addCohortRunRecords.bind(s);
    let runId = '';
    let written = 0;
    s.addCohortRunRecords = async (id, from, rs) => {
      await orig(id, from, rs);
      runId = id;
      written += rs.length;
      // the first chunk is written: the user cancels (the job sees it at its next progress step)
      if (from === 0) {
        const [job] = (await city.get('/api/jobs?kind=cohort.run&active=true')).json() as JobView[];
        expect((await city.post(`/api/jobs/${job?.id}/cancel`)).json()).toMatchObject({ cancelRequested: true });
        // the records written so far are there
        expect(await s.cohortRunRecords(id, { limit: 1, offset: COHORT_JOB_CHUNK - 1 })).toHaveLength(1);
      }
    };
    let job: JobView;
    try {
      job = (await city.post('/api/cohort-jobs', { packId: TEST_PACK_ID, stepId: 'rank', records })).json() as JobView;
      await srv.h.app.jobs.idle();
    } finally {
      s.addCohortRunRecords = orig;
    }
    expect(written).toBe(COHORT_JOB_CHUNK);
    expect((await city.get(`/api/jobs/${job.id}`)).json()).toMatchObject({ status: 'cancelled', resultId: null, done: COHORT_JOB_CHUNK });
    expect(runId).not.toBe('');
    expect(await s.getCohortRun(runId)).toBeNull();
    expect(await s.cohortRunRecords(runId, { limit: 10 })).toEqual([]);
    expect(((await city.get('/api/cohort-runs')).json() as unknown[]).length).toBe(runsBefore);
  });

  // last: the sweep also ends the sessions of a week ago, so a fresh sign-in reads the job
  it('swept after JOB_RESULT_TTL_MS: the job stays, its file is gone', async () => {
    expect(firstJob).not.toBe('');
    expect(await srv.h.storage.getJobResult(firstJob)).not.toBeNull();
    const later = new Date(Date.now() + JOB_RESULT_TTL_MS + 60_000);
    expect(await sweepExpired(srv.h.storage, later, { signInWindowMs: 0, deviceTtlMs: 1e12, longestWindowMs: 0 })).toBeGreaterThanOrEqual(1);
    const county = await srv.h.login('county-xihu');
    expect((await county.get(`/api/jobs/${firstJob}`)).json()).toMatchObject({ status: 'succeeded' });
    expect((await county.get(`/api/jobs/${firstJob}/result`)).json()).toMatchObject({ code: 'JOB_NO_RESULT' });
  });
});
