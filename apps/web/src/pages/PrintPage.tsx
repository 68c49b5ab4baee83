/* eslint-disable no-irregular-whitespace -- the full-width space (U+3000) is ordinary Chinese typography */
/**
 * The print view: the official paper forms on A4, and with a pack id the park's whole
 * application bound as one document — a cover with the contents, every form it filled, and the
 * uploaded materials in place (each PDF page and image as a page of the document; videos and
 * files that cannot be printed listed with name, size and duration).
 *
 * The document is paginated here, not by the browser: every block (a row of a ruled table, a
 * heading, a paragraph, a material page) is measured at the printed width and packed onto
 * pages of fixed A4 size (print-layout.ts), each printed as exactly one sheet (`@page` margin 0,
 * a page break after each). So the page of every part, field and material is known: the
 * contents show real page numbers, every page carries 第 n 页 共 N 页, and a page-number field
 * declaring `x-pages-of` (a scorecard's column of supporting pages) prints the pages where the materials it
 * names really are. Where the applicant typed other pages, the screen (never the print) marks
 * the cell and lists it above the document. Page numbers and layout depend on each other (a
 * longer number can wrap a row), so the layout is repeated until the pages no longer change.
 */
import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { Alert, Button, Spin } from 'antd';
import { displayValue, indexFields, type FieldInfo } from '@yuanping/core/browser';
import { ApiFailure, api, type Attachment, type FormView, type PackDetail, type Submission, type SubmissionSummary } from '../lib/api';
import { loadPackVersion } from '../lib/pack';
import { useSession } from '../lib/session';
import { Link } from '../lib/router';
import { deref, isObj, type Json } from '../form/ui';
import { anchorsOf, formatPages, pageRefsOf, paginate, parsePages, samePages, type Layout, type LayoutBlock, type Placed } from './print-layout';
import { FAILED, formatDuration, formatSize, loadMaterials, MIME_LABELS, type Material, type MaterialSet } from './print-materials';
import './print.css';

interface Doc {
  /** unique in the document: a whole-application submission gives one Doc per form */
  key: string;
  pack: PackDetail;
  form: FormView;
  sub: Submission;
  /** the form's data (a whole-application submission holds every form's data under its id) */
  data: unknown;
}

interface Block extends Omit<LayoutBlock, 'height' | 'textLength'> {
  /** splittable text (a paragraph, a long cell): rendered in the element marked data-split */
  text?: string;
  render(p: Omit<Placed, 'key'>): ReactNode;
}

interface TocEntry {
  level: 1 | 2 | 3;
  title: string;
  anchor: string;
  /** show the whole page range (materials), not the first page */
  range?: boolean;
  form?: string;
}

/** Where a page-number field (x-pages-of) points, checked against the bound document. */
interface PageRefCheck {
  formId: string;
  path: string;
  label: string;
  typed: string;
  /** pages of the named materials in this document; null: none of them is in this document */
  computed: number[] | null;
  status: 'ok' | 'mismatch' | 'untyped' | 'absent' | 'outside';
  submissionId: string;
  refs: string[];
}

interface Ctx {
  docs: Doc[];
  whole: boolean;
  parkName: string | undefined;
  /** anchor → pages, from the previous layout (empty at first) */
  pages: Map<string, number[]>;
  materials: Map<string, Material>;
  images: Map<string, string>;
  /** form ids in this document */
  forms: Set<string>;
}

const fileSpecOf = (ds: Json): boolean => ds['x-file'] !== undefined;
function orderedKeys(props: Json): string[] {
  const keys = Object.keys(props);
  const order = (k: string) => {
    const p = props[k];
    return isObj(p) && typeof p['x-order'] === 'number' ? p['x-order'] : keys.indexOf(k) + 1000;
  };
  return [...keys].sort((a, b) => order(a) - order(b));
}
const titleOf = (ds: Json, k: string) => (typeof ds.title === 'string' ? ds.title : k);
const unitOf = (ds: Json) => (typeof ds['x-unit'] === 'string' ? <span className="yp-unit">（{ds['x-unit']}）</span> : null);

/** The attachment ids of a file field's value (one id, or a list of them). */
function attachmentIds(value: unknown): string[] {
  if (typeof value === 'string' && value) return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  return [];
}
/** A file field: `x-file` on the field, or a list whose items are files. */
function isFileField(root: Json, ds: Json): boolean {
  return fileSpecOf(ds) || (ds.type === 'array' && isObj(ds.items) && fileSpecOf(deref(root, ds.items)));
}

function checkPageRef(c: Ctx, doc: Doc, path: string, ds: Json, typedRaw: unknown): PageRefCheck {
  const refs = pageRefsOf(ds['x-pages-of']);
  const typed = typedRaw === undefined || typedRaw === null ? '' : String(typedRaw).trim();
  const inDoc = refs.filter((r) => c.forms.has(r.split('.')[0] ?? ''));
  const base = { formId: doc.form.id, path, label: titleOf(ds, path), typed, submissionId: doc.sub.id, refs };
  if (inDoc.length === 0) return { ...base, computed: null, status: 'outside' };
  const computed = [...new Set(inDoc.flatMap((r) => c.pages.get(r) ?? []))].sort((a, b) => a - b);
  if (computed.length === 0) return { ...base, computed, status: 'absent' };
  if (!typed) return { ...base, computed, status: 'untyped' };
  const parsed = parsePages(typed);
  return { ...base, computed, status: parsed && samePages(parsed, computed) ? 'ok' : 'mismatch' };
}

/** A page-number cell (x-pages-of): the computed pages in print; on screen, what the applicant typed when it differs. */
function PageRefValue({ check }: { check: PageRefCheck }) {
  const printed = check.computed === null ? check.typed : formatPages(check.computed);
  const flag = check.status === 'mismatch' || check.status === 'absent' || check.status === 'untyped';
  return (
    <span className={`yp-pageref${flag ? ` yp-pageref-${check.status}` : ''}`} data-page-ref={`${check.formId}.${check.path}`} data-status={check.status} data-computed={check.computed ? formatPages(check.computed) : ''} data-typed={check.typed}>
      {printed}
      {flag ? (
        <span className="yp-screen-only yp-pageref-note">
          {check.status === 'mismatch' ? `填写：${check.typed}` : check.status === 'untyped' ? '未填写' : check.typed ? `填写：${check.typed}；所引材料未提供` : '所引材料未提供'}
        </span>
      ) : null}
    </span>
  );
}

function listingText(c: Ctx, id: string): string {
  const m = c.materials.get(id);
  if (!m) return '（附件未找到）';
  const { att } = m;
  const type = MIME_LABELS[att.mime] ?? att.mime;
  const range = formatPages(c.pages.get(`att:${id}`) ?? []);
  switch (m.kind) {
    case 'pdf':
      return `${att.filename}（${type}，${m.pages} 页${range ? `，见第 ${range} 页` : ''}）`;
    case 'image':
      return `${att.filename}（${type}${range ? `，见第 ${range} 页` : ''}）`;
    case 'video':
      return `${att.filename}（${type}，${m.durationSeconds !== null ? `时长 ${formatDuration(m.durationSeconds)}，` : ''}${formatSize(att.size)}；视频随电子版提交）`;
    case 'other':
      return `${att.filename}（${type}，${formatSize(att.size)}；${m.note ?? '该类文件不能直接打印，随电子版提交'}）`;
  }
}

/**
 * The pages of the materials a file field holds (each PDF page, each image), and their anchors.
 * `heading`: the field's heading, drawn at the top of its first page (an outline's section).
 */
function materialPageBlocks(c: Ctx, doc: Doc, part: number, path: string, title: string, ids: string[], heading?: ReactNode, headAnchor?: string): Block[] {
  const out: Block[] = [];
  for (const id of ids) {
    const m = c.materials.get(id);
    if (!m || (m.kind !== 'pdf' && m.kind !== 'image')) continue;
    const n = m.kind === 'pdf' ? m.pages : 1;
    for (let k = 1; k <= n; k++) {
      const src = m.kind === 'pdf' ? c.images.get(`${id}#${k}`) : m.url;
      out.push({
        key: `${doc.key}:${path}:${id}:${k}`,
        part,
        kind: 'page',
        anchors: [...anchorsOf(doc.form.id, path), `att:${id}`, ...(headAnchor && out.length === 0 ? [headAnchor] : [])],
        render: () => (
          <div className="yp-matpage" data-material={id} data-material-page={k}>
            {heading && id === ids.find((x) => isPaged(c, x)) && k === 1 ? heading : null}
            <div className="yp-matcap">
              {doc.form.attachment ? `${doc.form.attachment}　` : ''}
              {title}：{m.att.filename}　第 {k}/{n} 页
            </div>
            <div className="yp-matimg">
              {src === FAILED ? (
                <span>（此页无法生成图像，请另附原件）</span>
              ) : src ? (
                <img src={src} alt={`${m.att.filename} 第 ${k} 页`} />
              ) : (
                <span className="yp-screen-only">正在生成页面图像……</span>
              )}
            </div>
          </div>
        ),
      });
    }
  }
  return out;
}

function isPaged(c: Ctx, id: string): boolean {
  const m = c.materials.get(id);
  return m?.kind === 'pdf' || m?.kind === 'image';
}
const hasPages = (c: Ctx, ids: string[]) => ids.some((id) => isPaged(c, id));

// ---- the ruled table of a record form (and of a scorecard) ----

interface RowOpts {
  table: string;
  header?: string;
  keepWithNext?: boolean;
  text?: string;
}

function row(key: string, part: number, anchors: string[], cols: string, cells: (p: Omit<Placed, 'key'>) => ReactNode, o: RowOpts): Block {
  return {
    key,
    part,
    kind: 'flow',
    anchors,
    table: o.table,
    ...(o.header ? { header: o.header } : {}),
    ...(o.keepWithNext ? { keepWithNext: true } : {}),
    ...(o.text !== undefined ? { text: o.text } : {}),
    render: (p) => (
      <div className={`yp-r${p.first ? ' yp-first' : ''}`} style={{ gridTemplateColumns: cols } as CSSProperties}>
        {cells(p)}
      </div>
    ),
  };
}

/** An object whose properties are objects of the same primitive fields (a scorecard's items): one table row each. */
function matrixOf(root: Json, ds: Json): { items: Array<[string, Json]>; cols: Array<[string, Json]> } | null {
  if (!isObj(ds.properties)) return null;
  const items = orderedKeys(ds.properties).map((k) => [k, deref(root, (ds.properties as Json)[k] as Json)] as [string, Json]);
  if (items.length < 2) return null;
  let keys: string | null = null;
  let cols: Array<[string, Json]> = [];
  for (const [, it] of items) {
    if (it.type !== 'object' || !isObj(it.properties)) return null;
    const props = it.properties;
    const ks = orderedKeys(props);
    const leaves = ks.map((k) => [k, deref(root, props[k] as Json)] as [string, Json]);
    if (leaves.some(([, l]) => l.type === 'object' || l.type === 'array')) return null;
    if (keys === null) {
      keys = ks.join('\u0000');
      cols = leaves;
    } else if (keys !== ks.join('\u0000')) return null;
  }
  return { items, cols };
}

function recordBlocks(c: Ctx, doc: Doc, part: number, fields: Map<string, FieldInfo>, schema: Json, value: unknown, prefix: string, depth: number, after: Block[]): Block[] {
  const root = doc.form.schema;
  const table = `t:${doc.key}`;
  const s = deref(root, schema);
  const props = isObj(s.properties) ? s.properties : {};
  const v = isObj(value) ? value : {};
  const out: Block[] = [];
  const fid = doc.form.id;
  const leafText = (path: string, ds: Json, raw: unknown): ReactNode => {
    if (ds['x-pages-of'] !== undefined) return <PageRefValue check={checkPageRef(c, doc, path, ds, raw)} />;
    if (isFileField(root, ds)) {
      const ids = attachmentIds(raw);
      return ids.length ? ids.map((id) => <div key={id}>{listingText(c, id)}</div>) : '未上传';
    }
    if (raw === undefined || raw === null || raw === '') return '';
    const f = fields.get(path);
    return typeof raw === 'number' && f?.unit ? String(raw) : displayValue(f, raw);
  };
  for (const k of orderedKeys(props)) {
    const sub = props[k];
    if (!isObj(sub)) continue;
    const ds = deref(root, sub);
    const path = prefix ? `${prefix}.${k}` : k;
    const title = titleOf(ds, k);
    const anchors = anchorsOf(fid, path);
    const indent = { paddingLeft: `${2.5 + depth * 3}mm` };
    if (ds.type === 'object' && isObj(ds.properties)) {
      const matrix = matrixOf(root, ds);
      if (matrix) {
        // numbers take a narrow column, text (a page list) a wider one
        const cols = ['minmax(0, 3.2fr)', ...matrix.cols.map(([, cs]) => (cs.type === 'number' || cs.type === 'integer' ? 'minmax(0, 0.8fr)' : 'minmax(0, 1.3fr)'))].join(' ');
        const headKey = `${doc.key}:${path}:head`;
        out.push(
          row(headKey, part, anchors, cols, () => (
            <>
              <div className="yp-th">{title}</div>
              {matrix.cols.map(([ck, cs]) => (
                <div key={ck} className="yp-th">
                  {titleOf(cs, ck)}
                  {unitOf(cs)}
                </div>
              ))}
            </>
          ), { table }),
        );
        const iv = isObj(v[k]) ? (v[k] as Json) : {};
        for (const [ik, it] of matrix.items) {
          const ip = `${path}.${ik}`;
          const rv = isObj(iv[ik]) ? (iv[ik] as Json) : {};
          out.push(
            row(`${doc.key}:${ip}`, part, anchorsOf(fid, ip), cols, () => (
              <>
                <div className="yp-item" data-path={ip}>
                  <div>{titleOf(it, ik)}</div>
                  {typeof it.description === 'string' ? <div className="yp-desc">{it.description}</div> : null}
                </div>
                {matrix.cols.map(([ck]) => (
                  <div key={ck} className="yp-c yp-mid" data-path={`${ip}.${ck}`}>
                    {/* each item's own field: its x-pages-of names its own materials */}
                    {leafText(`${ip}.${ck}`, deref(root, (it.properties as Json)[ck] as Json), rv[ck])}
                  </div>
                ))}
              </>
            ), { table, header: headKey }),
          );
        }
        continue;
      }
      out.push(row(`${doc.key}:${path}`, part, anchors, '1fr', () => <div className="yp-rgroup" style={indent}>{title}</div>, { table, keepWithNext: true }));
      out.push(...recordBlocks(c, doc, part, fields, ds, v[k], path, depth + 1, after));
      continue;
    }
    if (ds.type === 'array' && isObj(ds.items) && isObj(deref(root, ds.items).properties)) {
      const item = deref(root, ds.items);
      const itemCols = Object.entries(item.properties as Json).filter((e): e is [string, Json] => isObj(e[1]));
      const rows = Array.isArray(v[k]) ? (v[k] as unknown[]) : [];
      const cols = `repeat(${itemCols.length}, minmax(0, 1fr))`;
      const headKey = `${doc.key}:${path}:head`;
      out.push(row(`${doc.key}:${path}`, part, anchors, '1fr', () => <div className="yp-rgroup" style={indent}>{title}</div>, { table, keepWithNext: true }));
      out.push(
        row(headKey, part, anchors, cols, () => itemCols.map(([ck, cs]) => <div key={ck} className="yp-th">{titleOf(deref(root, cs), ck)}</div>), { table, keepWithNext: true }),
      );
      rows.forEach((r, i) =>
        out.push(
          row(`${doc.key}:${path}.${i}`, part, anchorsOf(fid, `${path}.${i}`), cols, () =>
            itemCols.map(([ck, cs]) => (
              <div key={ck} className="yp-c">
                {leafText(`${path}[].${ck}`, deref(root, cs), isObj(r) ? r[ck] : undefined)}
              </div>
            )), { table, header: headKey }),
        ),
      );
      if (rows.length === 0) out.push(row(`${doc.key}:${path}:none`, part, anchors, '1fr', () => <div className="yp-c yp-none">（无）</div>, { table }));
      continue;
    }
    const raw = v[k];
    const empty = raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0);
    const leafAnchors = empty ? anchorsOf(fid, prefix) : anchors;
    const labelCell = (p: Omit<Placed, 'key'>) => (
      <div className="yp-label">
        {title}
        {unitOf(ds)}
        {p.cont ? '（续）' : ''}
      </div>
    );
    const long = ds.type === 'string' && !isFileField(root, ds) && ds['x-pages-of'] === undefined && ((typeof ds.maxLength === 'number' && ds.maxLength > 200) || ds['x-max-chars'] !== undefined);
    if (isFileField(root, ds)) {
      const ids = attachmentIds(raw);
      // the field is where its materials are: their pages, or this row for what is only listed (a video)
      const listed = ids.filter((id) => !isPaged(c, id));
      const own = [...(listed.length && !hasPages(c, ids) ? anchors : anchorsOf(fid, prefix)), ...listed.map((id) => `att:${id}`)];
      out.push(row(`${doc.key}:${path}`, part, own, '34% minmax(0, 1fr)', (p) => <>{labelCell(p)}<div className="yp-c" data-path={path}>{leafText(path, ds, raw)}</div></>, { table }));
      after.push(...materialPageBlocks(c, doc, part, path, title, ids));
      continue;
    }
    if (long) {
      const text = typeof raw === 'string' ? raw : '';
      out.push(
        row(`${doc.key}:${path}`, part, leafAnchors, '34% minmax(0, 1fr)', (p) => (
          <>
            {labelCell(p)}
            <div className="yp-c yp-long" data-path={path} data-split="" {...(p.cont ? { 'data-cont': '' } : {})}>
              {p.slice ? text.slice(p.slice[0], p.slice[1]) : text}
            </div>
          </>
        ), { table, text }),
      );
      continue;
    }
    out.push(row(`${doc.key}:${path}`, part, leafAnchors, '34% minmax(0, 1fr)', (p) => <>{labelCell(p)}<div className="yp-c" data-path={path}>{leafText(path, ds, raw)}</div></>, { table }));
  }
  return out;
}

// ---- a document outline: headings and text, materials in place ----

function outlineBlocks(c: Ctx, doc: Doc, part: number, schema: Json, value: unknown, prefix: string, depth: number): Block[] {
  const root = doc.form.schema;
  const s = deref(root, schema);
  const props = isObj(s.properties) ? s.properties : {};
  const v = isObj(value) ? value : {};
  const fid = doc.form.id;
  const out: Block[] = [];
  for (const k of orderedKeys(props)) {
    const raw = props[k];
    if (!isObj(raw)) continue;
    const ds = deref(root, raw);
    const path = prefix ? `${prefix}.${k}` : k;
    const title = titleOf(ds, k);
    const Tag = depth === 0 ? 'h3' : 'h4';
    // a field's own anchors go where its content is (a reference to an empty field finds nothing);
    // its heading has a `head:` anchor for the contents
    const anchors = anchorsOf(fid, path);
    const parent = anchorsOf(fid, prefix);
    const head = `head:${fid}.${path}`;
    const heading = (
      <Tag className="yp-outline-h" data-path={path}>
        {title}
      </Tag>
    );
    if (isFileField(root, ds)) {
      // a material in place: a PDF's pages or an image start a page under the section's heading;
      // what cannot be printed (a video) is listed under it
      const ids = attachmentIds(v[k]);
      const paged = ids.filter((id) => isPaged(c, id));
      const listed = ids.filter((id) => !isPaged(c, id));
      if (paged.length === 0) out.push({ key: `${doc.key}:${path}:h`, part, kind: 'flow', anchors: [...(listed.length ? anchors : parent), head], keepWithNext: true, render: () => heading });
      out.push(...materialPageBlocks(c, doc, part, path, title, paged, heading, head));
      const lines = listed.map((id) => ({ id, text: `附：${listingText(c, id)}` }));
      if (ids.length === 0) lines.push({ id: 'none', text: '（未上传）' });
      for (const l of lines) {
        out.push({ key: `${doc.key}:${path}:${l.id}:l`, part, kind: 'flow', anchors: l.id === 'none' ? parent : [...anchors, `att:${l.id}`], render: () => <p className="yp-outline-p yp-mat-line">{l.text}</p> });
      }
      continue;
    }
    if (ds.type === 'object' && isObj(ds.properties)) {
      out.push({ key: `${doc.key}:${path}:h`, part, kind: 'flow', anchors: [...anchors, head], keepWithNext: true, render: () => heading });
      out.push(...outlineBlocks(c, doc, part, ds, v[k], path, depth + 1));
      continue;
    }
    const val = v[k];
    const text = typeof val === 'string' ? val : val === undefined || val === null ? '' : String(val);
    const paras = text.split(/\n+/).filter((p) => p.trim() !== '');
    out.push({ key: `${doc.key}:${path}:h`, part, kind: 'flow', anchors: [...(paras.length ? anchors : parent), head], keepWithNext: true, render: () => heading });
    if (paras.length === 0) out.push({ key: `${doc.key}:${path}:empty`, part, kind: 'flow', anchors: parent, render: () => <p className="yp-outline-p yp-outline-empty">（未填写）</p> });
    paras.forEach((para, i) =>
      out.push({
        key: `${doc.key}:${path}:p${i}`,
        part,
        kind: 'flow',
        anchors,
        text: para,
        render: (p) => (
          <p className="yp-outline-p" data-split="" {...(p.cont ? { 'data-cont': '' } : {})}>
            {p.slice ? para.slice(p.slice[0], p.slice[1]) : para}
          </p>
        ),
      }),
    );
  }
  return out;
}

function Signature({ parkName }: { parkName?: string | undefined }) {
  return (
    <div className="yp-signature">
      <div>
        <div>申报单位（盖章）：{parkName ?? '＿＿＿＿＿＿＿＿＿＿'}</div>
        <div>法定代表人（签字）：＿＿＿＿＿＿＿＿</div>
        <div>填报人：＿＿＿＿＿＿　联系电话：＿＿＿＿＿＿＿＿</div>
        <div>填报日期：　　　　年　　月　　日</div>
      </div>
      <div className="yp-stamp">
        盖章处
        <br />
        （公章）
      </div>
    </div>
  );
}

function tocEntries(c: Ctx): TocEntry[] {
  const out: TocEntry[] = [];
  for (const d of c.docs) {
    out.push({ level: 1, title: `${d.form.attachment ?? ''}　${d.form.title}`.trim(), anchor: d.form.id, form: d.form.id });
    const root = d.form.schema;
    const walk = (schema: Json, value: unknown, prefix: string, depth: number) => {
      const s = deref(root, schema);
      const props = isObj(s.properties) ? s.properties : {};
      const v = isObj(value) ? value : {};
      for (const k of orderedKeys(props)) {
        const ds = isObj(props[k]) ? deref(root, props[k] as Json) : null;
        if (!ds) continue;
        const path = prefix ? `${prefix}.${k}` : k;
        const section = d.form.kind === 'outline' && depth === 0;
        if (isFileField(root, ds)) {
          // each material by name with its pages (a section that is itself a material: one entry per file)
          const ids = attachmentIds(v[k]).filter((id) => c.materials.has(id));
          if (section && ids.length === 0) out.push({ level: 2, title: titleOf(ds, k), anchor: `head:${d.form.id}.${path}` });
          for (const id of ids) out.push({ level: section ? 2 : 3, title: `${titleOf(ds, k)}：${c.materials.get(id)?.att.filename ?? ''}`, anchor: `att:${id}`, range: true });
          continue;
        }
        if (section) out.push({ level: 2, title: titleOf(ds, k), anchor: `head:${d.form.id}.${path}` });
        if (ds.type === 'object') walk(ds, v[k], path, depth + 1);
      }
    };
    walk(root, d.data, '', 0);
  }
  return out;
}

function buildBlocks(c: Ctx, pack: PackDetail | undefined): Block[] {
  const out: Block[] = [];
  let part = 0;
  if (c.whole && pack) {
    out.push({
      key: 'cover',
      part,
      kind: 'flow',
      anchors: ['cover'],
      render: () => (
        <div className="yp-cover">
          <h1>{pack.manifest.title}</h1>
          <div className="yp-cover-sub">
            申报材料
            <br />
            {c.parkName ?? ''}
          </div>
          <h2>目　录</h2>
        </div>
      ),
    });
    tocEntries(c).forEach((e, i) => {
      const pages = c.pages.get(e.anchor) ?? [];
      const text = e.range ? formatPages(pages) : pages.length ? String(pages[0]) : '';
      out.push({
        key: `toc:${i}`,
        part,
        kind: 'flow',
        anchors: ['cover'],
        render: () => (
          <div className={`yp-toc-row yp-toc-l${e.level}`}>
            <span className="yp-toc-t">{e.title}</span>
            <span className="yp-toc-dots" />
            <span className="yp-toc-n" {...(e.form ? { 'data-toc-page': e.form } : {})} data-toc-anchor={e.anchor}>
              {text}
            </span>
          </div>
        ),
      });
    });
    part++;
  }
  for (const d of c.docs) {
    const { form, pack: p } = d;
    const anchors = [form.id];
    out.push({
      key: `${d.key}:head`,
      part,
      kind: 'flow',
      anchors,
      keepWithNext: true,
      render: () => (
        <div className="yp-sheet-head">
          {form.attachment ? <div className="yp-attach">{form.attachment}</div> : null}
          <h1>{form.title}</h1>
          <div className="yp-sub">
            {p.manifest.issuer}　{p.manifest.documentNumber ?? ''}　数据截至 {p.manifest.dataCutoff}
          </div>
        </div>
      ),
    });
    const after: Block[] = [];
    out.push(...(form.kind === 'outline' ? outlineBlocks(c, d, part, form.schema, d.data, '', 0) : recordBlocks(c, d, part, indexFields(form.schema), form.schema, d.data, '', 0, after)));
    // the signature does not stand alone on a page: the last row (or line) goes with it
    const last = out[out.length - 1];
    if (last && last.part === part && last.kind === 'flow' && last.text === undefined) last.keepWithNext = true;
    out.push({ key: `${d.key}:sign`, part, kind: 'flow', anchors, render: () => <Signature parkName={c.parkName} /> });
    out.push(...after);
    part++;
  }
  return out;
}

/** Every page-number field of the document, checked against the layout (for the list above the pages). */
function pageRefChecks(c: Ctx): PageRefCheck[] {
  const out: PageRefCheck[] = [];
  for (const d of c.docs) {
    for (const [path, f] of indexFields(d.form.schema)) {
      if (f.schema['x-pages-of'] === undefined) continue;
      let cur: unknown = d.data;
      for (const seg of path.split('.')) cur = isObj(cur) ? cur[seg] : undefined;
      const check = checkPageRef(c, d, path, f.schema as Json, cur);
      // the item's title names the row better than the column's title does
      const parent = indexFields(d.form.schema).get(path.split('.').slice(0, -1).join('.'));
      out.push({ ...check, label: parent ? `${parent.title} · ${f.title}` : f.title });
    }
  }
  return out;
}

const sameAnchors = (a: Map<string, number[]>, b: Map<string, number[]>) =>
  a.size === b.size && [...a].every(([k, v]) => {
    const w = b.get(k);
    return !!w && w.length === v.length && w.every((x, i) => x === v[i]);
  });

export default function PrintPage({ id, packId }: { id?: string; packId?: string }) {
  const { me } = useSession();
  const [docs, setDocs] = useState<Doc[] | null>(null);
  const [mats, setMats] = useState<MaterialSet | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pages, setPages] = useState<Map<string, number[]>>(new Map());
  const [layout, setLayout] = useState<Layout | null>(null);
  const [rendered, setRendered] = useState(0);
  const [imagesDone, setImagesDone] = useState(false);
  const rounds = useRef(0);
  const measureRef = useRef<HTMLDivElement>(null);
  const park = new URLSearchParams(typeof location === 'undefined' ? '' : location.search).get('park');

  useEffect(() => {
    let alive = true;
    let set: MaterialSet | null = null;
    (async () => {
      let subs: SubmissionSummary[] = [];
      if (!id) {
        subs = (await api.get('/api/submissions', { query: { packId: packId ?? '' } })).filter((s) => !park || s.parkId === park);
        // one submission per form: the latest
        const latest = new Map<string, SubmissionSummary>();
        for (const s of subs) {
          const cur = latest.get(s.formId);
          if (!cur || String(s.updatedAt ?? '') > String(cur.updatedAt ?? '')) latest.set(s.formId, s);
        }
        subs = [...latest.values()];
      }
      const ids = id ? [id] : subs.map((s) => s.id);
      const out: Doc[] = [];
      for (const sid of ids) {
        const sub = await api.get('/api/submissions/{id}', { params: { id: sid } });
        const { detail } = await loadPackVersion(sub.packVersionId);
        if (sub.formId === '*') {
          // a whole application: each form's data under its id
          for (const f of detail.forms) if (isObj(sub.data) && sub.data[f.id] !== undefined) out.push({ key: `${sub.id}/${f.id}`, pack: detail, form: f, sub, data: sub.data[f.id] });
        } else {
          const form = detail.forms.find((f) => f.id === sub.formId);
          if (form) out.push({ key: sub.id, pack: detail, form, sub, data: sub.data });
        }
      }
      const order = (d: Doc) => d.pack.manifest.forms.findIndex((f) => f.id === d.form.id);
      out.sort((a, b) => order(a) - order(b));
      // the materials the documents hold (attachments named by a file field's current value)
      const atts = new Map<string, Attachment>();
      for (const d of out) for (const a of d.sub.attachments ?? []) atts.set(a.id, a);
      const used = new Set<string>();
      for (const d of out) {
        const walk = (schema: Json, value: unknown) => {
          const s = deref(d.form.schema, schema);
          const props = isObj(s.properties) ? s.properties : {};
          const v = isObj(value) ? value : {};
          for (const [k, sub] of Object.entries(props)) {
            if (!isObj(sub)) continue;
            const ds = deref(d.form.schema, sub);
            if (isFileField(d.form.schema, ds)) for (const x of attachmentIds(v[k])) used.add(x);
            else if (ds.type === 'object') walk(ds, v[k]);
          }
        };
        walk(d.form.schema, d.data);
      }
      set = await loadMaterials([...used].map((x) => atts.get(x)).filter((a): a is Attachment => a !== undefined));
      if (!alive) return set.dispose();
      setMats(set);
      setDocs(out);
    })().catch((e: unknown) => alive && setError(e instanceof ApiFailure ? e.message : '加载失败'));
    return () => {
      alive = false;
      set?.dispose();
    };
  }, [id, packId, park]);

  const parkName = (docs?.[0]?.sub as { park?: { name?: string } } | undefined)?.park?.name ?? me?.park?.name;
  const ctx = useMemo<Ctx | null>(
    () =>
      docs && mats
        ? { docs, whole: !id, parkName, pages, materials: mats.materials, images: mats.images, forms: new Set(docs.map((d) => d.form.id)) }
        : null,
    // `rendered`: a PDF page image arrived (the pages themselves do not move)
    [docs, mats, id, parkName, pages, rendered],
  );
  const blocks = useMemo(() => (ctx ? buildBlocks(ctx, docs?.[0]?.pack) : []), [ctx, docs]);
  const byKey = useMemo(() => new Map(blocks.map((b) => [b.key, b])), [blocks]);

  // measure the blocks at the printed width, paginate, and repeat while the page numbers change
  useEffect(() => {
    if (!ctx || layout || !measureRef.current) return;
    let cancelled = false;
    void document.fonts.ready.then(() => {
      const root = measureRef.current;
      if (cancelled || !root) return;
      const pageHeight = (root.querySelector('.yp-probe') as HTMLElement).getBoundingClientRect().height;
      const els = new Map<string, HTMLElement>();
      for (const el of root.querySelectorAll<HTMLElement>('[data-mkey]')) els.set(el.dataset.mkey as string, el);
      const height = (key: string) => els.get(key)?.getBoundingClientRect().height ?? 0;
      const clones = new Map<string, { el: HTMLElement; split: HTMLElement }>();
      const memo = new Map<string, number>();
      const measureSlice = (key: string, from: number, to: number, cont: boolean) => {
        const mk = `${key}|${from}|${to}|${cont ? 1 : 0}`;
        const hit = memo.get(mk);
        if (hit !== undefined) return hit;
        let c = clones.get(key);
        if (!c) {
          const src = els.get(key);
          const el = src?.cloneNode(true) as HTMLElement | undefined;
          const split = el?.querySelector<HTMLElement>('[data-split]');
          if (!el || !split) return 0;
          el.removeAttribute('data-mkey');
          root.appendChild(el);
          c = { el, split };
          clones.set(key, c);
        }
        c.split.textContent = (byKey.get(key)?.text ?? '').slice(from, to);
        if (cont) c.split.setAttribute('data-cont', '');
        else c.split.removeAttribute('data-cont');
        const h = c.el.getBoundingClientRect().height;
        memo.set(mk, h);
        return h;
      };
      const l = paginate(
        blocks.map((b) => ({ ...b, height: b.kind === 'flow' ? height(b.key) : 0, ...(b.text !== undefined ? { textLength: b.text.length } : {}) })),
        // a little room kept at the foot of each page: the printer lays text out as the screen does, to a fraction of a pixel
        { pageHeight: pageHeight - 4, ruleHeight: 1, measureSlice },
      );
      for (const c of clones.values()) c.el.remove();
      if (sameAnchors(l.anchors, pages) || rounds.current >= 6) setLayout(l);
      else {
        rounds.current++;
        setPages(l.anchors);
      }
    });
    return () => {
      cancelled = true;
    };
  }, [ctx, blocks, byKey, layout, pages]);

  // once laid out, render the PDF pages as images (they fill pages whose place is already known)
  useEffect(() => {
    if (!layout || !mats) return;
    let alive = true;
    void mats.render(() => alive && setRendered((n) => n + 1)).then(() => alive && setImagesDone(true));
    return () => {
      alive = false;
    };
  }, [layout, mats]);

  const checks = useMemo(() => (ctx && layout ? pageRefChecks(ctx) : []), [ctx, layout]);

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!docs || !ctx) return <Spin style={{ margin: 48 }} />;
  if (docs.length === 0) return <Alert type="info" message="尚无可打印的申报" style={{ margin: 48 }} />;

  const total = layout?.pages.length ?? 0;
  const parts = new Map<number, NonNullable<typeof layout>['pages']>();
  for (const p of layout?.pages ?? []) parts.set(p.part, [...(parts.get(p.part) ?? []), p]);
  const partDoc = (part: number) => (ctx.whole ? docs[part - 1] : docs[part]);
  const issues = checks.filter((x) => x.status === 'mismatch' || x.status === 'absent' || x.status === 'untyped');
  const ready = !!layout && imagesDone;
  return (
    <div className="yp-print" data-print-ready={ready ? 'true' : 'false'} data-pages={total || undefined}>
      <div className="yp-print-toolbar">
        <span className="yp-print-status">{layout ? `共 ${total} 页${imagesDone ? '' : '，正在生成材料页面……'}` : '正在排版……'}</span>
        <Button type="primary" disabled={!ready} onClick={() => window.print()}>
          打印 / 另存为 PDF
        </Button>
        <Button onClick={() => history.back()}>返回</Button>
      </div>
      {layout && issues.length ? (
        <div className="yp-screen-only yp-print-issues" data-testid="page-ref-issues">
          <Alert
            type="warning"
            showIcon
            message={`${issues.length} 处页码与装订后材料所在的页码不一致或未填写（打印件按装订后的页码印出；以下提示不会打印）`}
            description={
              <ul>
                {issues.map((x) => (
                  <li key={`${x.formId}.${x.path}`} data-issue={`${x.formId}.${x.path}`}>
                    {x.label}：
                    {x.status === 'absent'
                      ? `所引材料（${x.refs.join('、')}）尚未上传或填写${x.typed ? `，填写的“${x.typed}”无处可指` : ''}`
                      : x.status === 'untyped'
                        ? `未填写，装订后在第 ${formatPages(x.computed ?? [])} 页`
                        : `填写“${x.typed}”，装订后在第 ${formatPages(x.computed ?? [])} 页`}
                    {me?.user.role === 'applicant' ? (
                      <>
                        {'　'}
                        <Link to={`/submissions/${x.submissionId}`}>去修改</Link>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            }
          />
        </div>
      ) : null}
      {!layout ? (
        // the blocks at the printed width, measured, then laid out on pages
        <div className="yp-measure" ref={measureRef} aria-hidden>
          <div className="yp-page-body yp-probe" />
          {blocks.map((b) =>
            b.kind === 'flow' ? (
              <div key={b.key} data-mkey={b.key} className="yp-b">
                {b.render({})}
              </div>
            ) : null,
          )}
        </div>
      ) : null}
      {!layout ? <Spin style={{ display: 'block', margin: 48 }} /> : null}
      {[...parts].map(([part, ps]) => {
        const d = partDoc(part);
        const attrs = ctx.whole && part === 0 ? { 'data-toc': '' } : d ? { 'data-print-form': d.form.id } : {};
        return (
          <section key={part} className="yp-part" {...attrs}>
            {ps.map((p) => (
              <div key={p.n} className="yp-page" data-page={p.n}>
                <div className="yp-page-body">
                  {p.items.map((it) => {
                    const b = byKey.get(it.key);
                    if (!b) return null;
                    const { key: _k, ...placed } = it;
                    return b.kind === 'page' ? (
                      <div key={`${it.key}`} className="yp-b yp-b-page">
                        {b.render(placed)}
                      </div>
                    ) : (
                      <div key={`${it.key}:${it.slice?.[0] ?? 0}:${it.cont ? 1 : 0}`} className="yp-b">
                        {b.render(placed)}
                      </div>
                    );
                  })}
                </div>
                <div className="yp-foot">
                  第 {p.n} 页　共 {total} 页
                </div>
              </div>
            ))}
          </section>
        );
      })}
    </div>
  );
}
