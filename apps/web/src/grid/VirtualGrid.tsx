/**
 * A table form's rows as a spreadsheet: only the rows in view are rendered (so 1,200 rows
 * scroll and edit like 12), multi-level headers, keyboard navigation (arrows, Tab, Enter,
 * F2, Delete, typing starts editing), paste from Excel (tab-separated), computed columns
 * read-only, cell errors in Chinese, a totals row for `x-total: sum` columns, and (for a
 * combined table) each row's source unit in a column beside the row number.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent, type UIEvent } from 'react';
import type { Column, HeaderCell } from './columns';
import { display, parseCell, parseCellNoted } from './cells';

export { display, parseCell };

type Row = Record<string, unknown>;
export interface PasteNote {
  row: number;
  /** the column's title, and its key */
  column: string;
  key: string;
  note: string;
}
export const ROW_H = 32;
const IDX_W = 56;
const SRC_W = 110;

export interface GridProps {
  columns: Column[];
  header: { cells: HeaderCell[]; depth: number };
  rows: Row[];
  onChange?: (rows: Row[], changedRows: number[]) => void;
  readOnly?: boolean;
  errors?: Map<string, string>; // `${row}.${col}` → message
  height?: number;
  /** the total row's label and the column it sits in */
  totalLabel?: { label: string; column: string } | null;
  /** told of each normalisation a paste applied (full-width digits, 1,234.5, √ …): row index, column title, note */
  onNormalized?: (notes: PasteNote[]) => void;
  /** computes the `recompute` columns of the total row from its summed columns */
  recompute?: (sums: Row) => Row;
  /** each row's source (the unit a combined table's row came from): a read-only column beside the row number */
  sources?: string[];
  /** select this cell and bring it into view (a problem clicked in a list): each new `seq` moves once */
  goto?: { row: number; key: string; seq: number };
  /** the row of the selected cell, whenever it changes (e.g. for 删除此行) */
  onActiveRow?: (row: number) => void;
}

interface RowProps {
  row: Row;
  index: number;
  source: string | undefined;
  columns: Column[];
  template: string;
  activeCol: number | null;
  editing: boolean;
  draft: string;
  setDraft: (s: string) => void;
  commit: (move: 'down' | 'right' | 'left' | 'none') => void;
  cancel: () => void;
  errors: Array<[number, string]>;
  onCellDown: (r: number, c: number) => void;
  onCellDouble: (r: number, c: number) => void;
}

/** The cell editor's keys (an input or a select): Enter commits and moves down, Tab / Shift+Tab right / left, Escape cancels. */
function editorKeys(commit: RowProps['commit'], cancel: RowProps['cancel']) {
  return (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commit('down');
    } else if (e.key === 'Escape') cancel();
    else if (e.key === 'Tab') {
      e.preventDefault();
      commit(e.shiftKey ? 'left' : 'right');
    }
  };
}

const GridRow = memo(function GridRow({ row, index, source, columns, template, activeCol, editing, draft, setDraft, commit, cancel, errors, onCellDown, onCellDouble }: RowProps) {
  return (
    <div className="yp-grid-row" role="row" aria-rowindex={index + 2} style={{ top: index * ROW_H, gridTemplateColumns: template }} data-row={index}>
      <div className="yp-grid-idx" role="rowheader">{index + 1}</div>
      {source !== undefined ? (
        <div className="yp-cell yp-computed" role="gridcell" title={source} data-testid="grid-source">
          {source}
        </div>
      ) : null}
      {columns.map((c, ci) => {
        const active = activeCol === ci;
        const err = errors.find(([x]) => x === ci)?.[1];
        const cls = `yp-cell${active ? ' yp-active' : ''}${c.computed ? ' yp-computed' : ''}${err ? ' yp-error' : ''}${c.type === 'number' || c.type === 'integer' ? ' yp-num' : ''}`;
        if (active && editing) {
          // the cell editor (a select for a column with options, else an input): the same value, keys and blur
          const editor = {
            autoFocus: true,
            className: 'yp-cell-input',
            'aria-label': c.title,
            value: draft,
            onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
            onBlur: () => commit('none'),
            onKeyDown: editorKeys(commit, cancel),
          };
          if (c.options) {
            return (
              <div key={c.key} className={cls} role="gridcell">
                <select {...editor}>
                  <option value="">（空）</option>
                  {c.options.map((o) => (
                    <option key={String(o.value)} value={o.label}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </div>
            );
          }
          return (
            <div key={c.key} className={cls} role="gridcell">
              <input {...editor} />
            </div>
          );
        }
        return (
          <div
            key={c.key}
            className={cls}
            role="gridcell"
            aria-selected={active}
            {...(err ? { 'aria-invalid': true } : {})}
            title={err ?? undefined}
            data-col={c.key}
            onMouseDown={() => onCellDown(index, ci)}
            onDoubleClick={() => onCellDouble(index, ci)}
          >
            {display(c, row[c.key])}
          </div>
        );
      })}
    </div>
  );
});

export function VirtualGrid({ columns, header, rows, onChange, readOnly, errors, height = 560, totalLabel, recompute, sources, onNormalized, goto, onActiveRow }: GridProps) {
  const [scrollTop, setScrollTop] = useState(0);
  const [active, setActive] = useState<{ r: number; c: number }>({ r: 0, c: 0 });
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const box = useRef<HTMLDivElement>(null);
  // the selected cell's keyboard catcher: an input that holds the focus while a cell is selected, so
  // that an input method (IME, keydown 229 / 'Process') has somewhere to compose; what is composed
  // there starts the cell's editor with it (see onCompositionEnd)
  const ime = useRef<HTMLInputElement>(null);
  const [composing, setComposing] = useState(false);
  const focusGrid = useCallback(() => (ime.current ?? box.current)?.focus({ preventScroll: true }), []);
  // the row number and, for a combined table, the source unit: columns before the form's own
  const lead = sources ? 2 : 1;
  const leadW = IDX_W + (sources ? SRC_W : 0);
  const template = useMemo(() => `${IDX_W}px ${sources ? `${SRC_W}px ` : ''}${columns.map((c) => `${c.width}px`).join(' ')}`, [columns, sources]);
  const totalWidth = leadW + columns.reduce((a, c) => a + c.width, 0);
  const headerH = header.depth * ROW_H;
  const bodyH = height - headerH - ROW_H;
  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - 8);
  const last = Math.min(rows.length, Math.ceil((scrollTop + bodyH) / ROW_H) + 8);

  const errByRow = useMemo(() => {
    const m = new Map<number, Array<[number, string]>>();
    for (const [k, msg] of errors ?? []) {
      const [r, key] = [Number(k.slice(0, k.indexOf('.'))), k.slice(k.indexOf('.') + 1)];
      const ci = columns.findIndex((c) => c.key === key);
      if (ci < 0) continue;
      const list = m.get(r) ?? [];
      list.push([ci, msg]);
      m.set(r, list);
    }
    return m;
  }, [errors, columns]);

  const editable = (c: number) => !readOnly && !!columns[c] && !columns[c]?.computed;

  const ensureVisible = useCallback(
    (r: number, c: number) => {
      const el = box.current;
      if (!el) return;
      const top = r * ROW_H;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_H > el.scrollTop + bodyH) el.scrollTop = top + ROW_H - bodyH;
      let left = leadW;
      for (let i = 0; i < c; i++) left += columns[i]?.width ?? 0;
      const w = columns[c]?.width ?? 0;
      if (left - leadW < el.scrollLeft) el.scrollLeft = left - leadW;
      else if (left + w > el.scrollLeft + el.clientWidth) el.scrollLeft = left + w - el.clientWidth;
    },
    [bodyH, columns, leadW],
  );

  const move = useCallback(
    (r: number, c: number) => {
      const nr = Math.max(0, Math.min(rows.length - 1, r));
      const nc = Math.max(0, Math.min(columns.length - 1, c));
      setActive({ r: nr, c: nc });
      ensureVisible(nr, nc);
    },
    [rows.length, columns.length, ensureVisible],
  );

  const setCells = useCallback(
    (updates: Array<{ r: number; c: number; v: unknown }>) => {
      if (!onChange || updates.length === 0) return;
      const next = rows.slice();
      const changed = new Set<number>();
      for (const u of updates) {
        const col = columns[u.c];
        if (!col || col.computed) continue;
        while (next.length <= u.r) next.push({});
        const row = { ...(next[u.r] ?? {}) };
        if (u.v === undefined) delete row[col.key];
        else row[col.key] = u.v;
        next[u.r] = row;
        changed.add(u.r);
      }
      onChange(next, [...changed]);
    },
    [rows, columns, onChange],
  );

  const startEdit = (initial?: string) => {
    if (!editable(active.c)) return;
    const col = columns[active.c];
    if (!col) return;
    setDraft(initial ?? display(col, rows[active.r]?.[col.key]));
    setEditing(true);
  };

  const commit = useCallback(
    (dir: 'down' | 'right' | 'left' | 'none') => {
      const col = columns[active.c];
      if (editing && col) {
        const v = parseCell(col, draft);
        const old = rows[active.r]?.[col.key];
        if (v !== old) setCells([{ r: active.r, c: active.c, v }]);
      }
      setEditing(false);
      if (dir === 'down') move(active.r + 1, active.c);
      else if (dir === 'right') move(active.r, active.c + 1);
      else if (dir === 'left') move(active.r, active.c - 1);
      if (dir !== 'none') focusGrid();
    },
    [columns, active, editing, draft, rows, setCells, move, focusGrid],
  );
  const cancel = useCallback(() => {
    setEditing(false);
    focusGrid();
  }, [focusGrid]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // an input method is composing in the catcher (keydown 229): its keys are its own
    if (editing || composing || e.nativeEvent.isComposing || e.keyCode === 229) return;
    const { r, c } = active;
    switch (e.key) {
      case 'ArrowDown':
        move(r + 1, c);
        break;
      case 'ArrowUp':
        move(r - 1, c);
        break;
      case 'ArrowLeft':
        move(r, c - 1);
        break;
      case 'ArrowRight':
        move(r, c + 1);
        break;
      case 'Tab':
        move(r, c + (e.shiftKey ? -1 : 1));
        break;
      case 'Enter':
      case 'F2':
        startEdit();
        break;
      case 'PageDown':
        move(r + Math.floor(bodyH / ROW_H), c);
        break;
      case 'PageUp':
        move(r - Math.floor(bodyH / ROW_H), c);
        break;
      case 'Home':
        move(e.ctrlKey ? 0 : r, 0);
        break;
      case 'End':
        move(e.ctrlKey ? rows.length - 1 : r, columns.length - 1);
        break;
      case 'Delete':
      case 'Backspace':
        if (editable(c)) setCells([{ r, c, v: undefined }]);
        break;
      default:
        if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
          startEdit(e.key);
          e.preventDefault();
        }
        return;
    }
    e.preventDefault();
  };

  const onPaste = (e: ClipboardEvent<HTMLDivElement>) => {
    if (readOnly || editing) return;
    const text = e.clipboardData.getData('text/plain');
    if (!text) return;
    e.preventDefault();
    const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
    const updates: Array<{ r: number; c: number; v: unknown }> = [];
    const notes: PasteNote[] = [];
    lines.forEach((line, i) => {
      line.split('\t').forEach((cell, j) => {
        const c = active.c + j;
        const col = columns[c];
        if (!col || col.computed) return;
        const got = parseCellNoted(col, cell);
        updates.push({ r: active.r + i, c, v: got.value });
        for (const note of got.notes) notes.push({ row: active.r + i, column: col.title, key: col.key, note });
      });
    });
    setCells(updates);
    if (notes.length) onNormalized?.(notes);
  };

  const onCellDown = useCallback((r: number, c: number) => {
    setActive({ r, c });
    setEditing(false);
  }, []);
  const onCellDouble = useCallback(
    (r: number, c: number) => {
      setActive({ r, c });
      const col = columns[c];
      if (!readOnly && col && !col.computed) {
        setDraft(display(col, rows[r]?.[col.key]));
        setEditing(true);
      }
    },
    [columns, readOnly, rows],
  );

  useEffect(() => {
    if (active.r >= rows.length && rows.length > 0) setActive((a) => ({ ...a, r: rows.length - 1 }));
  }, [rows.length, active.r]);
  useEffect(() => {
    onActiveRow?.(active.r);
  }, [active.r, onActiveRow]);

  // a problem clicked elsewhere on the page: its cell selected, in view, and the grid focused
  const lastGoto = useRef<number | null>(null);
  useEffect(() => {
    if (!goto || goto.seq === lastGoto.current) return;
    lastGoto.current = goto.seq;
    const ci = columns.findIndex((c) => c.key === goto.key);
    setEditing(false);
    move(goto.row, Math.max(0, ci));
    box.current?.scrollIntoView({ block: 'nearest' });
    focusGrid();
  }, [goto, columns, move, focusGrid]);

  const totals = useMemo(() => {
    const sums: Row = {};
    for (const c of columns) {
      if (c.total !== 'sum') continue;
      let t = 0;
      for (const r of rows) {
        const v = r[c.key];
        if (typeof v === 'number') t += v;
      }
      sums[c.key] = Math.round(t * 1e6) / 1e6;
    }
    const re = recompute && columns.some((c) => c.total === 'recompute') ? recompute(sums) : {};
    return columns.map((c) => {
      if (totalLabel && c.key === totalLabel.column) return totalLabel.label;
      const v = c.total === 'sum' ? sums[c.key] : c.total === 'recompute' ? re[c.key] : undefined;
      return v === undefined || v === null ? '' : String(v);
    });
  }, [rows, columns, recompute, totalLabel]);


  const visible: number[] = [];
  for (let i = first; i < last; i++) visible.push(i);

  // after an edit (the catcher was unmounted while the editor was open) the focus goes back to the catcher
  useEffect(() => {
    if (!editing && document.activeElement === box.current) ime.current?.focus({ preventScroll: true });
  }, [editing, active]);

  // the catcher sits on the selected cell (the input method's candidate window opens there); visible while composing
  const cellLeft = leadW + columns.slice(0, active.c).reduce((a, c) => a + c.width, 0);
  const cellStyle = { top: headerH + active.r * ROW_H, left: cellLeft, width: columns[active.c]?.width ?? 80, height: ROW_H };
  const catcher =
    readOnly || editing ? null : (
      <input
        ref={ime}
        className={`yp-grid-ime${composing ? ' yp-composing' : ''}`}
        style={cellStyle}
        aria-label="在所选单元格输入"
        data-testid="grid-ime"
        defaultValue=""
        onCompositionStart={() => setComposing(true)}
        onCompositionEnd={(e) => {
          setComposing(false);
          const text = e.currentTarget.value || e.data;
          e.currentTarget.value = '';
          if (text) startEdit(text);
        }}
        onInput={(e) => {
          // text that arrives without a key the grid handled (a soft keyboard, insertText): the editor starts with it
          if (composing || (e.nativeEvent as InputEvent).isComposing) return;
          const text = e.currentTarget.value;
          e.currentTarget.value = '';
          if (text) startEdit(text);
        }}
      />
    );

  return (
    <div
      ref={box}
      className="yp-grid"
      style={{ height, width: '100%' }}
      tabIndex={0}
      role="region"
      data-rows={rows.length}
      aria-label="表格（方向键移动，回车或直接输入编辑，可从 Excel 粘贴）"
      onKeyDown={onKeyDown}
      onPaste={onPaste}
      onFocus={(e) => {
        if (e.target === box.current && !editing) focusGrid();
      }}
      onScroll={(e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="grid"
    >
      {/* the grid holds rows only (a screen reader reads it as a table); the keyboard catcher is beside it */}
      <div
        style={{ width: totalWidth, position: 'relative' }}
        role="grid"
        aria-label="表格"
        aria-rowcount={rows.length + 1 + (columns.some((c) => c.total) || totalLabel ? 1 : 0)}
      >
        <div className="yp-grid-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, gridTemplateRows: `repeat(${header.depth}, ${ROW_H}px)` }}>
          <div className="yp-grid-hcell" role="columnheader" style={{ gridColumn: '1 / 2', gridRow: `1 / ${header.depth + 1}` }}>
            行
          </div>
          {sources ? (
            <div className="yp-grid-hcell" role="columnheader" style={{ gridColumn: '2 / 3', gridRow: `1 / ${header.depth + 1}` }}>
              来源单位
            </div>
          ) : null}
          {header.cells.map((h, i) => (
            <div key={i} role="columnheader" className={`yp-grid-hcell${h.span > 1 ? ' yp-grid-group' : ''}`} style={{ gridColumn: `${h.col + lead} / span ${h.span}`, gridRow: `${h.row} / span ${h.rowSpan}` }}>
              <span>{h.title}</span>
            </div>
          ))}
        </div>
        <div className="yp-grid-body" style={{ height: Math.max(rows.length, 1) * ROW_H }}>
          {visible.map((i) => (
            <GridRow
              key={i}
              row={rows[i] ?? {}}
              index={i}
              source={sources ? (sources[i] ?? '') : undefined}
              columns={columns}
              template={template}
              activeCol={active.r === i ? active.c : null}
              editing={active.r === i && editing}
              draft={active.r === i ? draft : ''}
              setDraft={setDraft}
              commit={commit}
              cancel={cancel}
              errors={errByRow.get(i) ?? []}
              onCellDown={onCellDown}
              onCellDouble={onCellDouble}
            />
          ))}
        </div>
        {columns.some((c) => c.total) || totalLabel ? (
          <div className="yp-grid-total" role="row" aria-rowindex={rows.length + 2} style={{ gridTemplateColumns: template }} data-testid="grid-total">
            <div className="yp-grid-idx" role="rowheader">{totalLabel && columns.some((c) => c.key === totalLabel.column) ? '' : (totalLabel?.label ?? '合计')}</div>
            {sources ? <div className="yp-cell" role="gridcell" /> : null}
            {totals.map((t, i) => (
              <div key={i} className="yp-cell yp-num" role="gridcell">
                {t}
              </div>
            ))}
          </div>
        ) : null}
      </div>
      {catcher}
    </div>
  );
}
