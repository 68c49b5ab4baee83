/* eslint-disable no-irregular-whitespace -- the full-width space (U+3000) is ordinary Chinese typography */
/**
 * The print view: each form laid out as the official paper form on A4 (title, attachment
 * number, a ruled table of every field in the schema's order, the stamp and signature
 * areas), printable to PDF from the browser. With a pack id, the park's whole application
 * (every form of the pack it filled) as one document with a table of contents and pages.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Spin } from 'antd';
import { displayValue, indexFields, type FieldInfo } from '@yuanping/core/browser';
import { ApiFailure, api, type FormView, type PackDetail, type Submission, type SubmissionSummary } from '../lib/api';
import { loadPackVersion } from '../lib/pack';
import { useSession } from '../lib/session';
import { deref, isObj, type Json } from '../form/ui';
import './print.css';

interface Doc {
  pack: PackDetail;
  form: FormView;
  sub: Submission;
}

function Rows({ root, schema, value, prefix, fields, depth }: { root: Json; schema: Json; value: unknown; prefix: string; fields: Map<string, FieldInfo>; depth: number }): ReactNode[] {
  const s = deref(root, schema);
  const props = isObj(s.properties) ? s.properties : {};
  const v = isObj(value) ? value : {};
  const out: ReactNode[] = [];
  const keys = Object.keys(props);
  const order = (k: string) => {
    const p = props[k];
    return isObj(p) && typeof p['x-order'] === 'number' ? p['x-order'] : keys.indexOf(k) + 1000;
  };
  for (const k of [...keys].sort((a, b) => order(a) - order(b))) {
    const sub = props[k];
    if (!isObj(sub)) continue;
    const ds = deref(root, sub);
    const path = prefix ? `${prefix}.${k}` : k;
    const title = typeof ds.title === 'string' ? ds.title : k;
    if (ds.type === 'object' && isObj(ds.properties)) {
      out.push(
        <tr key={path} className="yp-group">
          <td colSpan={2} style={{ paddingLeft: `${2 + depth * 3}mm` }}>
            {title}
          </td>
        </tr>,
      );
      out.push(...Rows({ root, schema: ds, value: v[k], prefix: path, fields, depth: depth + 1 }));
      continue;
    }
    if (ds.type === 'array' && isObj(ds.items) && isObj(deref(root, ds.items).properties)) {
      const item = deref(root, ds.items);
      const cols = Object.entries(item.properties as Json).filter(([, c]) => isObj(c));
      const rows = Array.isArray(v[k]) ? (v[k] as unknown[]) : [];
      out.push(
        <tr key={path}>
          <td colSpan={2} style={{ padding: 0 }}>
            <div style={{ padding: '2mm 2.5mm', fontWeight: 600 }}>{title}</div>
            <table className="yp-official" style={{ border: 'none' }}>
              <thead>
                <tr>
                  {cols.map(([ck, c]) => (
                    <th key={ck}>{typeof (c as Json).title === 'string' ? ((c as Json).title as string) : ck}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    {cols.map(([ck]) => (
                      <td key={ck}>{displayValue(fields.get(`${path}[].${ck}`), isObj(r) ? r[ck] : undefined)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </td>
        </tr>,
      );
      continue;
    }
    const f = fields.get(path);
    const raw = v[k];
    const long = ds.type === 'string' && ((typeof ds.maxLength === 'number' && ds.maxLength > 200) || ds['x-max-chars'] !== undefined);
    const text = ds['x-file'] !== undefined ? (raw ? '已上传（见附件）' : '未上传') : raw === undefined || raw === null || raw === '' ? '' : displayValue(f, raw);
    out.push(
      <tr key={path} data-path={path}>
        <td className="yp-label">
          {title}
          {typeof ds['x-unit'] === 'string' ? <span className="yp-unit">（{ds['x-unit']}）</span> : null}
        </td>
        <td className={long ? 'yp-long' : ''} style={long ? { height: '40mm', verticalAlign: 'top' } : undefined}>
          {typeof raw === 'number' && f?.unit ? String(raw) : text}
        </td>
      </tr>,
    );
  }
  return out;
}

/** A document outline prints as a document: each section's title, then its text. */
function OutlineBody({ root, schema, value, depth }: { root: Json; schema: Json; value: unknown; depth: number }): ReactNode {
  const s = deref(root, schema);
  const props = isObj(s.properties) ? s.properties : {};
  const v = isObj(value) ? value : {};
  return (
    <>
      {Object.entries(props).map(([k, raw]) => {
        if (!isObj(raw)) return null;
        const ds = deref(root, raw);
        const title = typeof ds.title === 'string' ? ds.title : k;
        const Tag = depth === 0 ? 'h3' : 'h4';
        if (ds.type === 'object' && isObj(ds.properties)) {
          return (
            <section key={k}>
              <Tag className="yp-outline-h">{title}</Tag>
              <OutlineBody root={root} schema={ds} value={v[k]} depth={depth + 1} />
            </section>
          );
        }
        const val = v[k];
        const text = ds['x-file'] !== undefined ? (val ? '（已上传，见附件）' : '（未上传）') : typeof val === 'string' ? val : val === undefined || val === null ? '' : String(val);
        return (
          <section key={k} data-path={k}>
            <Tag className="yp-outline-h">{title}</Tag>
            {text
              ? text.split(/\n+/).map((para, i) => (
                  <p key={i} className="yp-outline-p">
                    {para}
                  </p>
                ))
              : <p className="yp-outline-p yp-outline-empty">（未填写）</p>}
          </section>
        );
      })}
    </>
  );
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

function Sheet({ doc, parkName, pageNo }: { doc: Doc; parkName?: string | undefined; pageNo?: number | undefined }) {
  const { form, pack, sub } = doc;
  const fields = indexFields(form.schema);
  return (
    <section className="yp-sheet" data-print-form={form.id}>
      {form.attachment ? <div className="yp-attach">{form.attachment}</div> : null}
      <h1>{form.title}</h1>
      <div className="yp-sub">
        {pack.manifest.issuer}　{pack.manifest.documentNumber ?? ''}　数据截至 {pack.manifest.dataCutoff}
      </div>
      {form.kind === 'outline' ? (
        <OutlineBody root={form.schema} schema={form.schema} value={sub.data} depth={0} />
      ) : (
        <table className="yp-official">
          <tbody>{Rows({ root: form.schema, schema: form.schema, value: sub.data, prefix: '', fields, depth: 0 })}</tbody>
        </table>
      )}
      <Signature parkName={parkName} />
      {pageNo !== undefined ? <div className="yp-pageno">— {pageNo} —</div> : null}
    </section>
  );
}

const MM = 96 / 25.4;
/** The printable height of an A4 page inside the @page margins (18 mm top, 20 mm bottom; see print.css). */
const PRINT_CONTENT_PX = (297 - 18 - 20) * MM;

export default function PrintPage({ id, packId }: { id?: string; packId?: string }) {
  const { me } = useSession();
  const [docs, setDocs] = useState<Doc[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pages, setPages] = useState<number[]>([]);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    (async () => {
      const ids = id
        ? [id]
        : (await api.get<SubmissionSummary[]>(`/api/submissions?packId=${encodeURIComponent(packId ?? '')}`)).map((s) => s.id);
      const out: Doc[] = [];
      for (const sid of ids) {
        const sub = await api.get<Submission>(`/api/submissions/${encodeURIComponent(sid)}`);
        const { detail } = await loadPackVersion(sub.packVersionId);
        const form = detail.forms.find((f) => f.id === sub.formId);
        if (form) out.push({ pack: detail, form, sub });
      }
      const order = (d: Doc) => d.pack.manifest.forms.findIndex((f) => f.id === d.form.id);
      out.sort((a, b) => order(a) - order(b));
      setDocs(out);
    })().catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [id, packId]);

  // Pages each sheet takes on A4 → the table of contents' page numbers.
  useLayoutEffect(() => {
    if (!docs || !ref.current) return;
    const sheets = [...ref.current.querySelectorAll<HTMLElement>('section[data-print-form]')];
    let page = packId ? 2 : 1;
    const starts: number[] = [];
    for (const el of sheets) {
      starts.push(page);
      // in print the sheet's own padding gives way to the page margins: count its content only
      const cs = getComputedStyle(el);
      const content = el.scrollHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
      page += Math.max(1, Math.ceil(content / PRINT_CONTENT_PX - 0.01));
    }
    if (starts.join() !== pages.join()) setPages(starts);
  }, [docs, packId, pages]);

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!docs) return <Spin style={{ margin: 48 }} />;
  const parkName = me?.park?.name;
  const first = docs[0];
  return (
    <div className="yp-print" ref={ref}>
      <div className="yp-print-toolbar">
        <Button type="primary" onClick={() => window.print()}>
          打印 / 另存为 PDF
        </Button>
        <Button onClick={() => history.back()}>返回</Button>
      </div>
      {packId && first ? (
        <section className="yp-sheet yp-cover" data-toc>
          <h1 style={{ marginTop: '30mm' }}>{first.pack.manifest.title}</h1>
          <div className="yp-sub" style={{ fontSize: '14pt', margin: '10mm 0 20mm' }}>
            申报材料
            <br />
            {parkName ?? ''}
          </div>
          <h2 style={{ textAlign: 'center', fontSize: '16pt' }}>目　录</h2>
          <div className="yp-toc">
            {docs.map((d, i) => (
              <div className="yp-toc-row" key={d.sub.id}>
                <span>
                  {d.form.attachment ?? ''}　{d.form.title}
                </span>
                <span className="yp-toc-dots" />
                <span data-toc-page={d.form.id}>{pages[i] ?? ''}</span>
              </div>
            ))}
          </div>
          <div className="yp-pageno">— 1 —</div>
        </section>
      ) : null}
      {docs.map((d, i) => (
        <Sheet key={d.sub.id} doc={d} parkName={parkName} pageNo={pages[i]} />
      ))}
      {docs.length === 0 ? <Alert type="info" message="尚无可打印的申报" /> : null}
    </div>
  );
}
