/**
 * A list table as people expect it: sort and filter per column, search across the columns, column
 * widths dragged, columns shown or hidden (both remembered per list in this browser), pagination,
 * selection with bulk actions, export of the list as shown (or of the selection) to xlsx.
 */
import { useMemo, useState, type ReactNode, type ThHTMLAttributes, type PointerEvent as ReactPointerEvent } from 'react';
import { App, Button, Checkbox, Input, Popover, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { downloadXlsx } from './xlsx';

export interface ListColumn<T> {
  key: string;
  title: string;
  /** the cell's value: sorted, filtered, searched and exported */
  value: (row: T) => string | number | null;
  render?: (row: T) => ReactNode;
  sortable?: boolean;
  /** a filter menu of the column's distinct values */
  filter?: boolean;
  /** a server-filtered list (remote.onQuery): the filter menu's choices (one at a time), as the server names them */
  options?: Array<{ text: string; value: string }>;
  width?: number;
  /** not exported (e.g. a link to act) */
  noExport?: boolean;
}

export interface DataTableProps<T> {
  /** the list's name for the remembered choices (column widths, hidden columns) */
  id: string;
  rows: T[];
  rowKey: (row: T) => string;
  columns: Array<ListColumn<T>>;
  /** the exported file's and sheet's name (without .xlsx) */
  exportName: string;
  /** actions on the selected rows; `done` clears the selection */
  bulk?: (selected: T[], done: () => void) => ReactNode;
  selectable?: (row: T) => boolean;
  pageSize?: number;
  emptyText?: string;
  toolbar?: ReactNode;
  testId?: string;
  /**
   * the server's pages (a long log): the table shows one page the server sent; sort, filter, search
   * and export apply to it — unless `onQuery` is given: then the search, the column filters (their
   * `options`) and the sort of the columns marked `sortable: true` go to the server, which answers
   * the page; export writes the page shown
   */
  remote?: { current: number; pageSize: number; total: number; onChange: (page: number) => void; onQuery?: (q: RemoteQuery) => void };
  loading?: boolean;
  /**
   * a list in a narrow column (a side panel): small buttons and search, the pagination small, without
   * the page-size menu, at the left (seen without scrolling sideways on a phone)
   */
  compact?: boolean;
  /** the export button's test id (a page with its own "export-xlsx", e.g. the official layout, names this one apart) */
  exportTestId?: string;
}

/** What a server-filtered list asks the server for: the search, one value per filtered column, the sort. */
export interface RemoteQuery {
  q: string;
  filters: Record<string, string | null>;
  sort: { key: string; order: 'ascend' | 'descend' } | null;
}

interface Choices {
  hidden: string[];
  widths: Record<string, number>;
}

const STORE = 'yp.list.';

function loadChoices(id: string): Choices {
  try {
    const v = JSON.parse(localStorage.getItem(STORE + id) ?? 'null') as Partial<Choices> | null;
    return { hidden: Array.isArray(v?.hidden) ? v.hidden.filter((x) => typeof x === 'string') : [], widths: v?.widths && typeof v.widths === 'object' ? v.widths : {} };
  } catch {
    return { hidden: [], widths: {} };
  }
}

function saveChoices(id: string, c: Choices): void {
  try {
    localStorage.setItem(STORE + id, JSON.stringify(c));
  } catch {
    /* storage full or refused: the choice lasts for this visit */
  }
}

type HeaderCellProps = ThHTMLAttributes<HTMLTableCellElement> & { onResize?: (width: number) => void; 'data-col'?: string };

/** A header cell with a handle on its right edge that drags the column's width. */
function ResizableHeaderCell({ onResize, ...rest }: HeaderCellProps) {
  if (!onResize) return <th {...rest} />;
  const start = (e: ReactPointerEvent<HTMLSpanElement>) => {
    e.preventDefault();
    e.stopPropagation();
    const th = e.currentTarget.parentElement;
    const x0 = e.clientX;
    const w0 = th ? th.getBoundingClientRect().width : 120;
    const move = (ev: PointerEvent) => onResize(Math.max(60, Math.round(w0 + ev.clientX - x0)));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  return (
    <th {...rest} style={{ ...rest.style, position: 'relative' }}>
      {rest.children}
      <span className="yp-col-resize" onPointerDown={start} onClick={(e) => e.stopPropagation()} role="separator" aria-orientation="vertical" aria-label="拖动调整列宽" />
    </th>
  );
}

/** One value per filtered column (a server-filtered list's menus take one at a time). */
function serverFilters(f: Record<string, unknown[] | null>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v && v.length ? String(v[0]) : null]));
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === null || a === '') return b === null || b === '' ? 0 : 1;
  if (b === null || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'zh-CN');
}

export function DataTable<T extends object>(props: DataTableProps<T>) {
  const { message } = App.useApp();
  const [choices, setChoices] = useState<Choices>(() => loadChoices(props.id));
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [view, setView] = useState<{ filters: Record<string, unknown[] | null>; sort: { key: string; order: 'ascend' | 'descend' } | null }>({ filters: {}, sort: null });
  const [exporting, setExporting] = useState(false);
  const update = (c: Choices) => {
    setChoices(c);
    saveChoices(props.id, c);
  };

  const server = props.remote?.onQuery;
  const searched = useMemo(() => {
    const needle = q.trim();
    if (!needle || server) return props.rows;
    return props.rows.filter((r) => props.columns.some((c) => String(c.value(r) ?? '').includes(needle)));
  }, [props.rows, props.columns, q, server]);

  const visible = props.columns.filter((c) => !choices.hidden.includes(c.key));
  const columns: TableColumnsType<T> = visible.map((c) => {
    const width = choices.widths[c.key] ?? c.width;
    const base = {
      key: c.key,
      title: c.title,
      ...(width ? { width } : {}),
      ellipsis: true,
      render: (_: unknown, r: T) => (c.render ? c.render(r) : (c.value(r) ?? '')),
      onHeaderCell: () => ({ onResize: (w: number) => update({ ...choices, widths: { ...choices.widths, [c.key]: w } }), 'data-col': c.key }) as HeaderCellProps,
    };
    if (server) {
      // the server sorts, filters and pages: the menus offer its values, one at a time
      return {
        ...base,
        ...(c.sortable === true ? { sorter: true, showSorterTooltip: { title: '点击排序' } } : {}),
        ...(c.filter && c.options ? { filters: c.options, filterMultiple: false } : {}),
      };
    }
    const distinct = c.filter ? [...new Set(props.rows.map((r) => String(c.value(r) ?? '')))].sort((a, b) => a.localeCompare(b, 'zh-CN')) : [];
    return {
      ...base,
      ...(c.sortable === false ? {} : { sorter: (a: T, b: T) => compare(c.value(a), c.value(b)), showSorterTooltip: { title: '点击排序' } }),
      ...(c.filter ? { filters: distinct.map((v) => ({ text: v || '（空）', value: v })), onFilter: (v: unknown, r: T) => String(c.value(r) ?? '') === v, filterSearch: distinct.length > 8 } : {}),
    };
  });

  // the rows as the table shows them (search, column filters, sort): what "导出 Excel" writes
  const shown = useMemo(() => {
    if (server) return props.rows;
    let out = searched;
    for (const [key, values] of Object.entries(view.filters)) {
      const c = props.columns.find((x) => x.key === key);
      if (c && values && values.length) out = out.filter((r) => values.includes(String(c.value(r) ?? '')));
    }
    const sc = view.sort ? props.columns.find((x) => x.key === view.sort?.key) : undefined;
    if (sc && view.sort) {
      const dir = view.sort.order === 'ascend' ? 1 : -1;
      out = [...out].sort((a, b) => dir * compare(sc.value(a), sc.value(b)));
    }
    return out;
  }, [searched, view, props.columns, server, props.rows]);

  const keyed = new Map(props.rows.map((r) => [props.rowKey(r), r]));
  const selectedRows = selected.map((k) => keyed.get(k)).filter((r): r is T => r !== undefined);

  const exportRows = async (rows: T[], suffix: string) => {
    setExporting(true);
    try {
      const cols = visible.filter((c) => !c.noExport);
      await downloadXlsx(
        `${props.exportName}${suffix}.xlsx`,
        props.exportName,
        cols.map((c) => ({ title: c.title, ...(choices.widths[c.key] ? { width: Math.round((choices.widths[c.key] ?? 80) / 8) } : {}) })),
        rows.map((r) => cols.map((c) => c.value(r))),
      );
      void message.success(`已导出 ${rows.length} 行`);
    } catch {
      void message.error('导出失败，请重试');
    } finally {
      setExporting(false);
    }
  };

  const chooser = (
    <Space direction="vertical" data-testid="column-chooser">
      {props.columns.map((c) => (
        <Checkbox
          key={c.key}
          checked={!choices.hidden.includes(c.key)}
          disabled={!choices.hidden.includes(c.key) && visible.length === 1}
          onChange={(e) => update({ ...choices, hidden: e.target.checked ? choices.hidden.filter((k) => k !== c.key) : [...choices.hidden, c.key] })}
        >
          {c.title || '操作'}
        </Checkbox>
      ))}
      <Button size="small" type="link" onClick={() => update({ hidden: [], widths: {} })}>
        恢复默认列
      </Button>
    </Space>
  );

  return (
    <div data-testid={props.testId} className="yp-datatable">
      <Space wrap style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          {props.toolbar}
          <Input.Search
            {...(props.compact ? { size: 'small' as const } : {})}
            placeholder={server ? '按名称查找（回车）' : '在列表中查找'}
            allowClear
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              // cleared: the whole list again
              if (server && !e.target.value) server({ q: '', filters: serverFilters(view.filters), sort: view.sort });
            }}
            onSearch={server ? (v) => server({ q: v.trim(), filters: serverFilters(view.filters), sort: view.sort }) : undefined}
            style={{ width: props.compact ? 180 : 220 }}
            aria-label="在列表中查找"
            data-testid="list-search"
          />
        </Space>
        <Space wrap>
          {selectedRows.length ? (
            <>
              <Typography.Text data-testid="selected-count">已选 {selectedRows.length} 项</Typography.Text>
              {props.bulk?.(selectedRows, () => setSelected([]))}
              <Button onClick={() => void exportRows(selectedRows, '（所选）')} loading={exporting}>
                导出所选
              </Button>
            </>
          ) : null}
          <Button {...(props.compact ? { size: 'small' as const } : {})} onClick={() => void exportRows(shown, '')} loading={exporting} data-testid={props.exportTestId ?? 'export-xlsx'}>
            导出 Excel
          </Button>
          <Popover trigger="click" placement="bottomRight" title="显示的列" content={chooser}>
            <Button {...(props.compact ? { size: 'small' as const } : {})} data-testid="columns-button">
              列设置
            </Button>
          </Popover>
        </Space>
      </Space>
      {/* on a narrow screen the table scrolls sideways inside this region (each column keeps a readable
          width); not antd's scroll.x, whose hidden measure row holds focusable header content (axe
          aria-hidden-focus) */}
      <div role="region" aria-label="列表（可横向滚动）" tabIndex={0} style={{ overflowX: 'auto' }}>
      <Table<T>
        style={{ minWidth: columns.reduce((a, c) => a + (typeof c.width === 'number' ? c.width : 110), props.bulk ? 40 : 0) }}
        size="small"
        rowKey={(r) => props.rowKey(r)}
        dataSource={searched}
        columns={columns}
        components={{ header: { cell: ResizableHeaderCell } }}
        tableLayout="fixed"
        onChange={(_p, filters, sorter, extra) => {
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          const next = {
            filters: Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, v ? v.map(String) : null])),
            sort: one?.order && one.columnKey !== undefined ? { key: String(one.columnKey), order: one.order } : null,
          };
          setView(next);
          // the page's change is remote.onChange's; a filter or sort asks the server again
          if (server && extra.action !== 'paginate') server({ q: q.trim(), filters: serverFilters(next.filters), sort: next.sort });
        }}
        rowSelection={
          props.bulk
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                preserveSelectedRowKeys: true,
                // every checkbox named in Chinese (antd names the header one in its locale, the rows' not at all)
                getTitleCheckboxProps: () => ({ 'aria-label': '全选本页' }),
                getCheckboxProps: (r: T) => ({ 'aria-label': '选择此行', ...(props.selectable ? { disabled: !props.selectable(r) } : {}) }),
              }
            : undefined
        }
        loading={props.loading}
        pagination={
          props.remote
            ? { current: props.remote.current, pageSize: props.remote.pageSize, total: props.remote.total, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`, onChange: props.remote.onChange }
            : props.compact
              ? { defaultPageSize: props.pageSize ?? 20, size: 'small', showSizeChanger: false, position: ['bottomLeft'], showTotal: (t) => `共 ${t} 条` }
              : { defaultPageSize: props.pageSize ?? 20, showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100], showTotal: (t) => `共 ${t} 条` }
        }
        locale={{ emptyText: props.emptyText ?? '没有数据', triggerAsc: '点击升序', triggerDesc: '点击降序', cancelSort: '取消排序', filterConfirm: '确定', filterReset: '重置', filterSearchPlaceholder: '查找', selectionAll: '全选', selectNone: '清空', selectInvert: '反选' }}
      />
      </div>
    </div>
  );
}
