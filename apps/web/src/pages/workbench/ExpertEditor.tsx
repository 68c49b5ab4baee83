/**
 * The expert mode: every file of a pack (manifest, forms, ui files, rule sets, cohort steps,
 * fixtures) as JSON text in CodeMirror 6 — syntax colouring, the one checker's problems as lint
 * markers at their place (file + JSON pointer → line and column: core's pointerPlace), syntax
 * errors as you type (core's parseJsonText, in Chinese), completion and hover from our meta-schemas
 * (codemirror-json-schema) for the files that have one; the problems listed beside the text, each
 * opening its file at its line. A text that parses is handed on at once (`onChange`); one that
 * does not stays here, marked, until it does. Loaded on demand (React.lazy): its own chunk.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Col, List, Row, Select, Space, Tag, Typography } from 'antd';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, hoverTooltip, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { jsonCompletion, jsonSchemaHover, stateExtensions, updateSchema } from 'codemirror-json-schema';
import { formMetaSchemaUnfolded, META_SCHEMAS, packPaths, parseJsonText, pointerPlace, type Problem as CheckProblem } from '@yuanping/core/browser';
import type { CompletionContext } from '@codemirror/autocomplete';
import { fileLabels } from '../../lib/pack-files';
import cohortStepMeta from '@yuanping/cohort/meta/cohort-step.schema.json';
import cohortFixtureMeta from '@yuanping/cohort/meta/cohort-fixture.schema.json';

type Files = Record<string, unknown>;
type JSONSchema7 = NonNullable<Parameters<typeof updateSchema>[1]>;
type Problem = Omit<Pick<CheckProblem, 'file' | 'pointer' | 'message' | 'severity'>, never> & { code: string };

export interface ExpertEditorProps {
  /** the pack's files (path → parsed JSON) */
  files: Files;
  packId: string;
  /** the last full check's problems (all files); null while the first check has not answered */
  problems: Problem[] | null;
  /** a file's text parsed: the files with it */
  onChange?: (files: Files) => void;
  /** whether some file's text does not parse (then nothing of it was handed on) */
  onSyntax?: (bad: boolean) => void;
  readOnly?: boolean;
  /** the edits are saved as they are made (a draft); else only checked until published (the admin page) */
  saves?: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The form meta-schema unfolded (its completion does not follow the recursive $ref). */
const FORM_META = formMetaSchemaUnfolded();

/** The meta-schema a file is written in (completion and hover), by where it is in the pack. */
function metaSchemaOf(path: string, manifestPath: string, schemasDir: string): JSONSchema7 | undefined {
  const s = (x: unknown) => x as JSONSchema7;
  if (path === manifestPath) return s(META_SCHEMAS['manifest.schema.json']);
  if (path.endsWith('.ui.json')) return s(META_SCHEMAS['ui.schema.json']);
  if (path.endsWith('.rules.json')) return s(META_SCHEMAS['ruleset.schema.json']);
  if (/\/fixtures\/[^/]+\.json$/.test(path)) return s(META_SCHEMAS['fixture.schema.json']);
  if (/\/cohort-fixtures\/[^/]+\.json$/.test(path)) return s(cohortFixtureMeta);
  if (path.endsWith('.cohort.json')) return s(cohortStepMeta);
  // a form: a JSON Schema with our keywords (the manifest's forms, under the pack's schemas folder)
  if (path.startsWith(`${schemasDir}/`) && path.endsWith('.json')) return s(FORM_META);
  return undefined;
}

const TYPE_NAMES: Record<string, string> = { string: '文字', number: '数值', integer: '整数', boolean: '是/否（true/false）', array: '列表', object: '对象', null: '空（null）' };

/** The hover of a key: its description in our meta-schema and what it takes, in Chinese. */
function hoverTexts({ schema }: { schema: unknown }): { message: string; typeInfo: string } {
  const s = isObj(schema) ? schema : {};
  const types = (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []).map((t) => TYPE_NAMES[String(t)] ?? String(t));
  const parts = [types.length ? `类型：${types.join(' 或 ')}` : ''];
  if (Array.isArray(s.enum)) parts.push(`可选值：${s.enum.map((v) => JSON.stringify(v)).join('、')}`);
  if (typeof s.minimum === 'number') parts.push(`最小 ${s.minimum}`);
  if (typeof s.maximum === 'number') parts.push(`最大 ${s.maximum}`);
  return { message: typeof s.description === 'string' ? s.description : typeof s.title === 'string' ? s.title : '', typeInfo: parts.filter(Boolean).join('；') };
}
function hoverDom({ message, typeInfo }: { message: string; typeInfo: string }): HTMLElement {
  const div = document.createElement('div');
  div.className = 'yp-cm-hover';
  for (const t of [message, typeInfo]) {
    if (!t) continue;
    const p = document.createElement('div');
    p.textContent = t;
    div.appendChild(p);
  }
  if (!div.childNodes.length) div.textContent = '（没有说明）';
  return div;
}

/** CodeMirror's own words, in Chinese. */
const PHRASES = {
  'Folded lines': '已折叠的行',
  'Unfolded lines': '已展开的行',
  to: '至',
  'folded code': '已折叠的内容',
  unfold: '展开',
  'Fold line': '折叠',
  'Unfold line': '展开',
  Diagnostics: '问题',
  'No diagnostics': '没有问题',
  Completions: '补全',
  'Control character': '控制字符',
  'Selection deleted': '已删除所选内容',
  'Go to line': '转到行',
  go: '转到',
};

const THEME = EditorView.theme({
  '&': { height: '62vh', minHeight: '320px', border: '1px solid #d9d9d9', borderRadius: '6px', fontSize: '13px' },
  '&.cm-focused': { outline: '2px solid #1677ff' },
  '.cm-scroller': { overflow: 'auto', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
  '.cm-gutters': { background: '#fafafa', color: '#595959' },
  '.yp-cm-hover': { padding: '4px 8px', maxWidth: '420px', whiteSpace: 'normal' },
});

function problemPlace(text: string, p: Problem, syntaxAt: { offset: number } | undefined): { from: number; to: number; line: number } {
  if (p.code === 'PACK_JSON_SYNTAX' && syntaxAt) {
    const from = Math.min(syntaxAt.offset, text.length);
    const to = Math.min(from + 1, text.length);
    const line = text.slice(0, from).split('\n').length;
    return { from, to, line };
  }
  const place = pointerPlace(text, p.pointer);
  return { from: place.from, to: place.to, line: place.line };
}

const completeFromSchema = (() => {
  const source = jsonCompletion();
  // the library answers "nothing" with an empty list; CodeMirror takes null
  // and names a key's type in English (string, object, …): said in Chinese
  return (ctx: CompletionContext) => {
    const r = source(ctx);
    if (Array.isArray(r) || !r) return null;
    return { ...r, options: r.options.map((o) => (o.detail ? { ...o, detail: o.detail.split(/\s*\|\s*|\s+or\s+/).map((t) => TYPE_NAMES[t.trim()] ?? t).join(' 或 ') } : o)) };
  };
})();

export default function ExpertEditor({ files, packId, problems: checked, onChange, onSyntax, readOnly = false, saves = true }: ExpertEditorProps) {
  const manifestPath = packPaths(packId).manifest;
  const schemasDir = packPaths(packId).schemasDir;
  const problems = useMemo(() => checked ?? [], [checked]);
  const labels = useMemo(() => fileLabels(files, packId), [files, packId]);
  const [file, setFile] = useState(() => labels[0]?.path ?? '');
  const host = useRef<HTMLDivElement | null>(null);
  const view = useRef<EditorView | null>(null);
  // per file: the text being edited, the value it was made from or last handed on
  const texts = useRef(new Map<string, string>());
  const basis = useRef(new Map<string, unknown>());
  const filesRef = useRef(files);
  filesRef.current = files;
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const [local, setLocal] = useState<Record<string, { problems: Problem[]; syntaxAt?: { offset: number } }>>({});
  const [docVersion, setDocVersion] = useState(0);
  const shown = useRef<string | null>(null);
  const pendingJump = useRef<{ file: string; pointer: string; code: string } | null>(null);

  const textOf = (path: string): string => {
    const value = filesRef.current[path];
    if (basis.current.get(path) !== value || !texts.current.has(path)) {
      basis.current.set(path, value);
      texts.current.set(path, `${JSON.stringify(value, null, 2)}\n`);
    }
    return texts.current.get(path)!;
  };

  const stateFor = (path: string): EditorState => {
    const schema = metaSchemaOf(path, manifestPath, schemasDir);
    const label = labels.find((l) => l.path === path)?.label ?? '文件';
    const ext: Extension[] = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      history(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      json(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      lintGutter(),
      EditorView.lineWrapping,
      THEME,
      EditorState.phrases.of(PHRASES),
      EditorState.readOnly.of(readOnly),
      EditorView.editable.of(!readOnly),
      EditorView.contentAttributes.of({ 'aria-label': `${label}（JSON 文本）`, tabindex: '0' }),
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        const text = u.state.doc.toString();
        texts.current.set(path, text);
        const r = parseJsonText(text, path);
        setLocal((l) => ({ ...l, [path]: { problems: r.problems, ...(r.syntaxAt ? { syntaxAt: r.syntaxAt } : {}) } }));
        setDocVersion((v) => v + 1);
        if (r.value !== undefined && !r.problems.some((p) => p.code === 'PACK_JSON_SYNTAX')) {
          basis.current.set(path, r.value);
          changeRef.current?.({ ...filesRef.current, [path]: r.value });
        }
      }),
    ];
    if (schema) {
      ext.push(
        autocompletion({ override: [(ctx: CompletionContext) => completeFromSchema(ctx)] }),
        hoverTooltip(jsonSchemaHover({ getHoverTexts: hoverTexts as never, formatHover: hoverDom })),
        stateExtensions(schema),
      );
    }
    return EditorState.create({ doc: textOf(path), extensions: ext });
  };

  // the editor, made once; a file opened is a new state (its text kept here between visits)
  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({ state: stateFor(file), parent: host.current });
    shown.current = file;
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // made once: the file and the texts are swapped in by the effects below
  }, []);

  // another file chosen, or this file changed from outside (another editor, the page's undo): its text anew
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const value = files[file];
    const outside = basis.current.get(file) !== value;
    if (outside || shown.current !== file) {
      shown.current = file;
      v.setState(stateFor(file));
      if (outside) setLocal((l) => ({ ...l, [file]: { problems: [] } }));
      setDocVersion((x) => x + 1);
    }
    const jump = pendingJump.current;
    if (jump && jump.file === file) {
      pendingJump.current = null;
      const text = v.state.doc.toString();
      const at = problemPlace(text, jump as Problem, local[file]?.syntaxAt);
      v.dispatch({ selection: { anchor: at.from, head: at.to }, effects: EditorView.scrollIntoView(at.from, { y: 'center' }) });
      v.focus();
    }
    // textOf/stateFor read refs
  }, [file, files]);

  // the markers of this file: its syntax error as typed, the full check's problems at their place
  const local_ = local[file];
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const text = v.state.doc.toString();
    const own = local_?.problems ?? [];
    const syntaxBad = own.some((p) => p.code === 'PACK_JSON_SYNTAX');
    // while the text does not parse, the last check's places may be stale: only the syntax error is shown
    const checked = syntaxBad ? [] : problems.filter((p) => p.file === file && p.code !== 'PACK_JSON_SYNTAX' && p.code !== 'PACK_DUPLICATE_KEY');
    const diags: Diagnostic[] = [...own, ...checked].map((p) => {
      const at = problemPlace(text, p, local_?.syntaxAt);
      return { from: at.from, to: Math.max(at.to, at.from), severity: p.severity === 'error' ? 'error' : 'warning', message: p.message, source: '检查' };
    });
    v.dispatch(setDiagnostics(v.state, diags));
  }, [problems, file, local_, docVersion]);

  const anyBad = Object.values(local).some((l) => l.problems.some((p) => p.code === 'PACK_JSON_SYNTAX'));
  useEffect(() => onSyntax?.(anyBad), [anyBad, onSyntax]);

  // the list beside: this editor's syntax errors, then the full check's problems, each with its file and line
  const listed = useMemo(() => {
    const syntax = Object.values(local).flatMap((l) => l.problems);
    const syntaxFiles = new Set(syntax.filter((p) => p.code === 'PACK_JSON_SYNTAX').map((p) => p.file));
    // the fixtures copied for review are marked in their files, not listed one by one (as on the check tab)
    const rest = problems.filter((p) => !syntaxFiles.has(p.file) && p.code !== 'PACK_DUPLICATE_KEY' && p.code !== 'FIXTURE_NEEDS_REVIEW');
    return [...syntax, ...rest].map((p) => {
      const text = texts.current.get(p.file) ?? (p.file in files ? `${JSON.stringify(files[p.file], null, 2)}\n` : '');
      const line = text ? problemPlace(text, p, local[p.file]?.syntaxAt).line : null;
      return { p, line, label: labels.find((l) => l.path === p.file)?.label ?? '整个通知包' };
    });
    // docVersion: the lines move as the text is edited
  }, [problems, local, files, labels, docVersion]);

  const open = (p: Problem) => {
    pendingJump.current = { file: p.file, pointer: p.pointer, code: p.code };
    if (p.file === file) {
      // same file: jump now
      const v = view.current;
      if (!v) return;
      pendingJump.current = null;
      const at = problemPlace(v.state.doc.toString(), p, local[file]?.syntaxAt);
      v.dispatch({ selection: { anchor: at.from, head: at.to }, effects: EditorView.scrollIntoView(at.from, { y: 'center' }) });
      v.focus();
    } else if (p.file in files) setFile(p.file);
  };

  // keep the schema of the open file in the editor's state (completion, hover)
  useEffect(() => {
    const v = view.current;
    const schema = metaSchemaOf(file, manifestPath, schemasDir);
    if (v && schema) updateSchema(v, schema);
  }, [file, manifestPath, schemasDir]);

  const errors = listed.filter((x) => x.p.severity === 'error').length;
  const reviews = problems.filter((p) => p.code === 'FIXTURE_NEEDS_REVIEW').length;
  return (
    <Row gutter={[12, 12]} data-testid="expert-mode">
      <Col xs={24} lg={16}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            aria-label="要编辑的文件"
            style={{ width: '100%' }}
            value={file}
            onChange={setFile}
            showSearch
            optionFilterProp="label"
            options={labels.map((l) => ({ value: l.path, label: `${l.label}${local[l.path]?.problems.some((p) => p.code === 'PACK_JSON_SYNTAX') ? '（格式错误，未保存）' : ''}` }))}
            data-testid="file-select"
          />
          {/* the text of a file as written (JSON keys are not the page's words): data-source-text */}
          <div ref={host} data-testid="pack-editor" data-source-text="" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            输入时按 Ctrl+Space 列出此处可写的键；鼠标停在键上显示它的说明。格式正确的修改随即{saves ? '保存并检查' : '检查（发布时才保存）'}，格式错误的修改{saves ? '不保存' : '不检查'}，在出错的行标出。
          </Typography.Text>
        </Space>
      </Col>
      <Col xs={24} lg={8}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {anyBad ? <Alert type="error" showIcon message="有文件的 JSON 格式错误：改正前这些修改不会保存" data-testid="syntax-alert" /> : null}
          {checked === null && listed.length === 0 ? (
            <Alert type="info" showIcon message="正在检查…" />
          ) : listed.length === 0 ? (
            <Alert type="success" showIcon message={`检查通过，没有发现问题${reviews ? `（另有 ${reviews} 个从上一年度复制的样例待复核，见“检查与样例”）` : ''}`} data-testid="check-ok" />
          ) : (
            <List
              size="small"
              bordered
              header={<Typography.Text strong>{`问题（${errors} 个错误，${listed.length - errors} 个警告）：点击转到所在行`}</Typography.Text>}
              dataSource={listed}
              data-testid="expert-problems"
              pagination={{ pageSize: 30, hideOnSinglePage: true, size: 'small' }}
              renderItem={({ p, line, label }) => (
                <List.Item>
                  <button type="button" className="yp-linklike" onClick={() => open(p)} data-problem-line={line ?? ''} style={{ all: 'unset', cursor: 'pointer', display: 'block', width: '100%' }}>
                    <Space align="start">
                      <Tag color={p.severity === 'error' ? 'red' : 'orange'}>{p.severity === 'error' ? '错误' : '警告'}</Tag>
                      <Typography.Text>{p.message}</Typography.Text>
                    </Space>
                    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                      {label}
                      {line ? `，第 ${line} 行` : ''}
                    </Typography.Text>
                  </button>
                </List.Item>
              )}
            />
          )}
        </Space>
      </Col>
    </Row>
  );
}
