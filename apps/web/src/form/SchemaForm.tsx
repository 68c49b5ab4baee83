/**
 * Any form of any pack, rendered from its JSON Schema and UI schema with @rjsf (antd theme).
 * Nothing here knows a pack: units come from `x-unit`, computed fields from `x-compute`,
 * uploads from `x-file`, length counters from `maxLength` / `x-max-chars`.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent, type FocusEvent, type ReactNode } from 'react';
import { ThemedForm as Form, generateTemplates } from './theme';
import type { BaseInputTemplateProps, ErrorSchema, FieldErrorProps, ObjectFieldTemplateProps, RJSFSchema, UiSchema, WidgetProps, RJSFValidationError } from '@rjsf/utils';
import { Input, InputNumber } from 'antd';
import { computeFields } from '@yuanping/core/browser';
import { formValidator, transformErrors } from './validator';
import { translateString } from './translate';
import { deref, deriveUi, isObj, type Json } from './ui';
import { FileWidget, type FileContext } from './FileWidget';

function BaseInput(props: BaseInputTemplateProps) {
  const { id, schema, value, readonly, disabled, onChange, onBlur, onFocus, options, placeholder, type } = props;
  const s = schema as Json;
  const unit = typeof s['x-unit'] === 'string' ? s['x-unit'] : undefined;
  const computed = s['x-compute'] !== undefined;
  const isNumber = type === 'number' || s.type === 'number' || s.type === 'integer';
  if (isNumber) {
    return (
      <InputNumber
        id={id}
        name={id}
        style={{ width: '100%' }}
        value={typeof value === 'number' ? value : value === undefined || value === null || value === '' ? null : Number(value)}
        disabled={disabled}
        readOnly={readonly || computed}
        variant={readonly || computed ? 'filled' : 'outlined'}
        {...(unit ? { addonAfter: unit } : {})}
        {...(s.type === 'integer' ? { precision: 0 } : typeof s['x-precision'] === 'number' ? {} : {})}
        placeholder={computed ? '自动计算' : placeholder}
        changeOnWheel={false}
        onChange={(v) => onChange(v === null ? options.emptyValue : v)}
        onBlur={(e: FocusEvent<HTMLInputElement>) => onBlur(id, e.target.value)}
        onFocus={(e: FocusEvent<HTMLInputElement>) => onFocus(id, e.target.value)}
      />
    );
  }
  const max = typeof s.maxLength === 'number' ? s.maxLength : undefined;
  return (
    <Input
      id={id}
      name={id}
      value={typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value)}
      disabled={disabled}
      readOnly={readonly}
      variant={readonly ? 'filled' : 'outlined'}
      placeholder={placeholder || (type === 'date' || s.format === 'date' ? '年-月-日，如 2021-06-22' : '')}
      {...(unit ? { addonAfter: unit } : {})}
      {...(max && max <= 200 ? { showCount: true, maxLength: max } : {})}
      type={type === 'email' || type === 'url' ? type : 'text'}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value === '' ? options.emptyValue : e.target.value)}
      onBlur={(e) => onBlur(id, e.target.value)}
      onFocus={(e) => onFocus(id, e.target.value)}
    />
  );
}

/** One line per distinct message (live validation and the server may say the same thing). */
function FieldErrors({ errors, fieldPathId }: FieldErrorProps) {
  const list = [...new Set((errors ?? []).map((e) => (typeof e === 'string' ? e : String(e))))];
  if (list.length === 0) return null;
  return (
    <div id={`${fieldPathId?.$id ?? ''}__error`} className="yp-field-errors" role="alert">
      {list.map((m) => (
        <div key={m} style={{ color: '#ff4d4f' }}>
          {m}
        </div>
      ))}
    </div>
  );
}

const AntObject = generateTemplates().ObjectFieldTemplate;

/** An object of two to four plain fields as one row under its title; anything else as antd lays it out. */
function CompactObject(props: ObjectFieldTemplateProps) {
  const { properties, schema, title, fieldPathId } = props;
  const plain = properties.length >= 1 && properties.length <= 4 && properties.every((p) => {
    const t = (schema.properties?.[p.name] as Json | undefined)?.type;
    return t !== 'object' && t !== 'array';
  });
  // untitled objects are the wrappers of a form's own fields: lay them out as usual
  if (!plain || !title || !AntObject) return AntObject ? <AntObject {...props} /> : null;
  return (
    <div className="yp-compact" id={fieldPathId.$id}>
      <div className="yp-compact-title">{title}</div>
      <div className="yp-compact-fields" style={{ gridTemplateColumns: `repeat(${properties.length}, minmax(0, 1fr))` }}>
        {properties.map((p) => (
          <div key={p.name}>{p.content}</div>
        ))}
      </div>
    </div>
  );
}

function TextareaWidget(props: WidgetProps) {
  const { id, schema, value, readonly, disabled, onChange, onBlur, onFocus, options } = props;
  const s = schema as Json;
  const max = typeof s['x-max-chars'] === 'number' ? s['x-max-chars'] : typeof s.maxLength === 'number' ? s.maxLength : undefined;
  const rows = max && max > 1000 ? 10 : 4;
  return (
    <Input.TextArea
      id={id}
      name={id}
      value={typeof value === 'string' ? value : ''}
      disabled={disabled}
      readOnly={readonly}
      autoSize={{ minRows: rows, maxRows: 24 }}
      {...(max ? { showCount: { formatter: ({ count }: { count: number }) => `${count} / ${max} 字` } } : {})}
      onChange={(e) => onChange(e.target.value === '' ? options.emptyValue : e.target.value)}
      onBlur={(e) => onBlur(id, e.target.value)}
      onFocus={(e) => onFocus(id, e.target.value)}
    />
  );
}

export interface SchemaFormProps {
  schema: Json;
  ui: Json;
  data: Json;
  onChange?: (data: Json) => void;
  readonly?: boolean;
  /** show "请填写…" for empty required fields (after a submit attempt) */
  showRequired?: boolean;
  /** server field errors (dotted paths) to show at the fields */
  serverErrors?: Array<{ path: string; message: string }>;
  files?: FileContext;
  /** who fills in: fields of another role (`x-role`) are read-only */
  role?: string;
  /** lay out objects of a few plain fields on one row (a scorecard item: its score, the page that supports it, …) */
  compact?: boolean;
}

function toErrorSchema(errors: Array<{ path: string; message: string }>): Json {
  const root: Json = {};
  for (const e of errors) {
    let cur = root;
    for (const k of e.path.split('.').filter(Boolean)) {
      cur[k] = (cur[k] as Json | undefined) ?? {};
      cur = cur[k] as Json;
    }
    const list = (cur.__errors as string[] | undefined) ?? [];
    list.push(e.message);
    cur.__errors = list;
  }
  return root;
}

const TEMPLATES = { BaseInputTemplate: BaseInput, FieldErrorTemplate: FieldErrors };
const TEMPLATES_COMPACT = { ...TEMPLATES, ObjectFieldTemplate: CompactObject };
const WIDGETS = { FileWidget, TextareaWidget, textarea: TextareaWidget };

interface OneFormProps extends Omit<SchemaFormProps, 'onChange' | 'ui'> {
  uiSchema: UiSchema;
  idPrefix: string;
  onChange?: ((data: Json) => void) | undefined;
}

/** One rjsf form (the whole form, or one section of it). */
const OneForm = memo(function OneForm({ schema, uiSchema, data, onChange, readonly, showRequired = false, serverErrors, files, compact = false, idPrefix }: OneFormProps) {
  const handle = useCallback(
    (e: { formData?: unknown }) => {
      const next = computeFields(schema, e.formData ?? {}) as Json;
      onChange?.(next);
    },
    [schema, onChange],
  );
  const transform = useCallback((errs: RJSFValidationError[]) => transformErrors(errs, showRequired), [showRequired]);
  const extraErrors = useMemo(() => (serverErrors && serverErrors.length ? toErrorSchema(serverErrors) : undefined), [serverErrors]);
  const formContext = useMemo(() => ({ files, readonlyAsDisabled: false }), [files]);
  return (
    <Form
      schema={schema as RJSFSchema}
      uiSchema={uiSchema}
      formData={data}
      validator={formValidator}
      onChange={handle}
      idPrefix={idPrefix}
      idSeparator="."
      liveValidate="onChange"
      showErrorList={false}
      noHtml5Validate
      readonly={readonly ?? false}
      transformErrors={transform}
      translateString={translateString}
      templates={compact ? TEMPLATES_COMPACT : TEMPLATES}
      widgets={WIDGETS}
      formContext={formContext}
      {...(extraErrors ? { extraErrors: extraErrors as ErrorSchema } : {})}
      experimental_defaultFormStateBehavior={{ emptyObjectFields: 'skipDefaults' }}
    />
  );
});

/**
 * The layout of a form as a tree of small rjsf forms, so a keystroke re-renders only the
 * small form it happened in (rjsf re-renders every field of a form on each change):
 * - a "form" node renders some properties of one object (`path`: where the object is, `keys`);
 * - a "group" node is an object with many sub-objects (a scorecard's items): a frame with its
 *   title around the nodes of its properties.
 * Objects with rules across their properties (allOf, if/then, dependencies, …) stay one form.
 */
type LayoutNode =
  | { kind: 'form'; id: string; path: string[]; keys: string[]; schema: Json; ui: UiSchema }
  | { kind: 'group'; id: string; path: string[]; title: string; description: string; children: LayoutNode[] };

const CROSS_RULES = ['allOf', 'anyOf', 'oneOf', 'if', 'not', 'dependencies', 'dependentRequired', 'dependentSchemas', 'patternProperties'];
const NO_SUBMIT = { 'ui:submitButtonOptions': { norender: true } };

function orderedKeys(props: Json, ui: UiSchema): string[] {
  const keys = Object.keys(props);
  const order = Array.isArray(ui['ui:order']) ? (ui['ui:order'] as string[]) : [];
  if (order.length === 0) return keys;
  const star = order.indexOf('*');
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i >= 0 ? i : star >= 0 ? star : 1e6;
  };
  return [...keys].sort((x, y) => rank(x) - rank(y));
}

function layoutOf(root: Json, obj: Json, ui: UiSchema, path: string[], depth: number): LayoutNode[] | null {
  if (!isObj(obj.properties)) return null;
  if (CROSS_RULES.some((k) => obj[k] !== undefined)) return null;
  const props = obj.properties;
  const keys = orderedKeys(props, ui);
  const objectKeys = keys.filter((k) => isObj(props[k]) && deref(root, props[k] as Json).type === 'object');
  const inner = new Map<string, LayoutNode[] | null>();
  for (const k of objectKeys) {
    const childUi = (isObj(ui[k]) ? ui[k] : {}) as UiSchema;
    inner.set(k, layoutOf(root, deref(root, props[k] as Json), childUi, [...path, k], depth + 1));
  }
  // worth splitting: several groups at the top, many items in a group, or a group below worth it
  if (objectKeys.length < (depth === 0 ? 2 : 6) && ![...inner.values()].some(Boolean)) return null;
  const defs = { ...(isObj(root.definitions) ? { definitions: root.definitions } : {}), ...(isObj(root.$defs) ? { $defs: root.$defs } : {}) };
  const required = Array.isArray(obj.required) ? (obj.required as string[]) : [];
  const out: LayoutNode[] = [];
  let loose: string[] = [];
  const flush = () => {
    if (!loose.length) return;
    const ks = loose;
    loose = [];
    const sub: Json = { ...defs, type: 'object', properties: Object.fromEntries(ks.map((k) => [k, props[k]])) };
    const req = required.filter((r) => ks.includes(r));
    if (req.length) sub.required = req;
    const subUi: UiSchema = { ...NO_SUBMIT, 'ui:order': ks, ...Object.fromEntries(ks.filter((k) => isObj(ui[k])).map((k) => [k, ui[k]])) };
    out.push({ kind: 'form', id: [...path, ks[0] ?? ''].join('.'), path, keys: ks, schema: sub, ui: subUi });
  };
  for (const k of keys) {
    const raw = props[k];
    if (!isObj(raw)) continue;
    const child = deref(root, raw);
    if (child.type !== 'object') {
      loose.push(k);
      continue;
    }
    flush();
    const childUi = (isObj(ui[k]) ? ui[k] : {}) as UiSchema;
    const nested = inner.get(k) ?? null;
    if (nested) {
      out.push({
        kind: 'group',
        id: [...path, k].join('.'),
        path: [...path, k],
        title: typeof child.title === 'string' ? child.title : k,
        description: typeof child.description === 'string' ? child.description : '',
        children: nested,
      });
    } else {
      const sub: Json = { ...defs, type: 'object', properties: { [k]: raw }, ...(required.includes(k) ? { required: [k] } : {}) };
      out.push({ kind: 'form', id: [...path, k].join('.'), path, keys: [k], schema: sub, ui: { ...NO_SUBMIT, [k]: childUi } as UiSchema });
    }
  }
  flush();
  return out;
}

function getAt(data: Json, path: string[]): Json {
  let cur: unknown = data;
  for (const k of path) cur = isObj(cur) ? cur[k] : undefined;
  return isObj(cur) ? cur : {};
}

function setKeysAt(data: Json, path: string[], keys: string[], value: Json): Json {
  if (path.length === 0) {
    const out: Json = { ...data };
    for (const k of keys) {
      if (value[k] === undefined) delete out[k];
      else out[k] = value[k];
    }
    return out;
  }
  const [head, ...rest] = path as [string, ...string[]];
  return { ...data, [head]: setKeysAt(getAt(data, [head]), rest, keys, value) };
}

export function SchemaForm(props: SchemaFormProps) {
  const { schema, ui, data, onChange, serverErrors, role = 'applicant' } = props;
  const uiSchema = useMemo(() => deriveUi(schema, ui, role) as UiSchema, [schema, ui, role]);
  const layout = useMemo(() => layoutOf(schema, schema, uiSchema, [], 0), [schema, uiSchema]);
  // the latest data and callback for the node handlers (stable, so untouched nodes skip rendering)
  const latest = useRef({ data, onChange });
  latest.current = { data, onChange };
  const forms = useMemo(() => {
    const list: Array<Extract<LayoutNode, { kind: 'form' }>> = [];
    const walk = (ns: LayoutNode[]) => ns.forEach((n) => (n.kind === 'form' ? list.push(n) : walk(n.children)));
    walk(layout ?? []);
    return list;
  }, [layout]);
  const handlers = useMemo(() => {
    const m = new Map<string, (v: Json) => void>();
    for (const n of forms) {
      m.set(n.id, (v: Json) => {
        // computed fields anywhere (totals at the top read the items) follow the change
        const next = computeFields(schema, setKeysAt(latest.current.data, n.path, n.keys, v)) as Json;
        latest.current.onChange?.(next);
      });
    }
    return m;
  }, [forms, schema]);
  // each node's slice of the data keeps its identity while its content is unchanged
  const slices = useRef(new Map<string, { json: string; value: Json }>());
  const sliceOf = (n: Extract<LayoutNode, { kind: 'form' }>): Json => {
    const obj = getAt(data, n.path);
    const value: Json = {};
    for (const k of n.keys) if (obj[k] !== undefined) value[k] = obj[k];
    const json = JSON.stringify(value);
    const hit = slices.current.get(n.id);
    if (hit && hit.json === json) return hit.value;
    slices.current.set(n.id, { json, value });
    return value;
  };
  const errorsFor = useMemo(() => {
    const m = new Map<string, Array<{ path: string; message: string }>>();
    for (const n of forms) {
      const prefix = n.path.join('.');
      const list = (serverErrors ?? [])
        .filter((e) => (prefix ? e.path.startsWith(`${prefix}.`) : true) && n.keys.includes((prefix ? e.path.slice(prefix.length + 1) : e.path).split('.')[0] ?? ''))
        .map((e) => ({ path: prefix ? e.path.slice(prefix.length + 1) : e.path, message: e.message }));
      m.set(n.id, list.length ? list : EMPTY);
    }
    return m;
  }, [forms, serverErrors]);
  // many small forms mount a batch per frame: the first ones are usable at once
  const [mounted, setMounted] = useState(BATCH);
  useEffect(() => {
    if (mounted >= forms.length) return;
    const t = requestAnimationFrame(() => setMounted((m) => m + BATCH));
    return () => cancelAnimationFrame(t);
  }, [mounted, forms.length]);
  const order = useMemo(() => new Map(forms.map((f, i) => [f.id, i])), [forms]);
  const { ui: _ui, ...rest } = props;
  if (!layout) return <OneForm {...rest} uiSchema={uiSchema} idPrefix="root" onChange={onChange} />;
  const render = (nodes: LayoutNode[]): ReactNode =>
    nodes.map((n) =>
      n.kind === 'group' ? (
        <fieldset key={n.id} className="yp-group" id={`root.${n.id}`}>
          <legend className="yp-group-title">{n.title}</legend>
          {n.description ? <div className="yp-group-desc">{n.description}</div> : null}
          {render(n.children)}
        </fieldset>
      ) : (order.get(n.id) ?? 0) >= mounted ? (
        <div key={n.id} className="yp-pending" />
      ) : (
        <OneForm
          key={n.id}
          {...rest}
          schema={n.schema}
          uiSchema={n.ui}
          data={sliceOf(n)}
          onChange={onChange ? handlers.get(n.id) : undefined}
          serverErrors={errorsFor.get(n.id) ?? EMPTY}
          idPrefix={n.path.length ? `root.${n.path.join('.')}` : 'root'}
        />
      ),
    );
  const title = typeof schema.title === 'string' ? schema.title : '';
  return (
    <div className="yp-sectioned">
      {title ? <div className="yp-form-title">{title}</div> : null}
      {render(layout)}
    </div>
  );
}

const EMPTY: Array<{ path: string; message: string }> = [];
const BATCH = 8;
