import { computeSection } from './compute.js';
import { tableLayout, type Row, type TableForm } from './form.js';
import { importGrid, type GridCell, type ImportResult } from './import.js';
import type { ExportOptions } from './xlsx.js';

const BOM = '\uFEFF';

function quote(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'boolean' ? (v ? '是' : '否') : Array.isArray(v) ? v.join('\n') : String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV (UTF-8 with BOM so Excel opens it as UTF-8). One header row of column titles — a title
 * that occurs twice in the form is written as its header path `分组/列`. Multi-section forms are
 * written as blocks (header row + rows per section, the section title in the first column).
 * The total row is written last, computed.
 */
export function exportCsv(form: TableForm, rowsOrData: readonly Row[] | Record<string, unknown>, opts: ExportOptions = {}): Buffer {
  const layout = tableLayout(form);
  const data: Record<string, unknown> = Array.isArray(rowsOrData)
    ? { ...(opts.values ?? {}), [layout.sections[0]?.field ?? 'rows']: rowsOrData }
    : { ...(opts.values ?? {}), ...(rowsOrData as Record<string, unknown>) };
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const s of layout.sections) for (const c of s.columns) counts.set(c.header, (counts.get(c.header) ?? 0) + 1);
  const extra = layout.sections.length === 1 ? (opts.extraColumns ?? []) : [];
  for (const p of layout.preamble) {
    if ('field' in p && data[p.field] !== undefined) lines.push(quote(`${p.label}：${String(data[p.field])}`));
  }
  for (const s of layout.sections) {
    const computed = opts.noCompute
      ? { rows: (Array.isArray(data[s.field]) ? data[s.field] : []) as Row[], total: undefined }
      : computeSection(s, Array.isArray(data[s.field]) ? (data[s.field] as Row[]) : []);
    const lead = layout.sectionColumn ? [quote(s.title ?? s.field)] : [];
    const header = s.columns.map((c) => ((counts.get(c.header) ?? 0) > 1 ? [...c.groups, c.title].join('/') : c.header));
    lines.push([...lead, ...header, ...extra.map((e) => e.title)].map(quote).join(','));
    const write = (row: Row): void => {
      lines.push([...lead, ...s.columns.map((c) => quote(row[c.key])), ...extra.map((e) => quote(row[e.key]))].join(','));
    };
    computed.rows.forEach(write);
    if (computed.total) write(computed.total);
  }
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}

/** RFC 4180 CSV parsing (quotes, doubled quotes, CRLF/LF, a leading BOM). */
export function parseCsv(text: string): string[][] {
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else q = false;
      } else field += ch;
    } else if (ch === '"' && field === '') q = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * The text of a CSV file: UTF-8 (with or without BOM), else GB18030 — what Excel and WPS in a
 * Chinese locale write (“CSV（逗号分隔）”), a superset of GBK and GB2312. UTF-16 with its BOM too.
 */
export function decodeCsv(input: Buffer | Uint8Array): { text: string; encoding: 'UTF-8' | 'GB18030' | 'UTF-16' } {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'GB18030' };
  }
}

/** Import a CSV (UTF-8 or GB18030/GBK, detected). Numbers are read from text by the one normaliser; one bad cell refuses the file. */
export function importCsv(form: TableForm, input: Buffer | Uint8Array | string): ImportResult {
  const { text, encoding } = typeof input === 'string' ? { text: input, encoding: 'UTF-8' as const } : decodeCsv(input);
  if (text.includes('\uFFFD')) {
    return { ok: false, errors: [{ sheet: 'CSV', row: 0, column: '', reason: '文件编码无法识别（请在 Excel 中另存为“CSV UTF-8（逗号分隔）”）' }], warnings: [] };
  }
  const rows: GridCell[][] = parseCsv(text);
  const res = importGrid(form, { sheet: 'CSV', rows, textOnly: true });
  if (encoding === 'UTF-8') return res;
  return { ...res, warnings: [{ sheet: 'CSV', row: 0, column: '', reason: `文件按 ${encoding} 编码读取` }, ...res.warnings] };
}
