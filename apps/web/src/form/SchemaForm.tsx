/**
 * Any form of any pack, rendered from its JSON Schema and UI schema with @rjsf (antd theme).
 * Nothing here knows a pack: units come from `x-unit`, computed fields from `x-compute`,
 * uploads from `x-file`, length counters from `maxLength` / `x-max-chars`.
 */
import { memo, startTransition, useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent, type ComponentType, type FocusEvent, type ReactNode } from 'react';
import type RjsfForm from '@rjsf/core';
import { ThemedForm as Form, generateTemplates } from './theme';
import type { BaseInputTemplateProps, ErrorSchema, FieldErrorProps, FieldProps, ObjectFieldTemplateProps, RJSFSchema, UiSchema, WidgetProps, RJSFValidationError } from '@rjsf/utils';
import { Input, InputNumber } from 'antd';
import { canonicalJson, computeFields, formLayout, formNodes, type FormNode, type LayoutNode } from '@yuanping/core/browser';
import { transformErrors, useValidators, validatorFor, type ValidatorFns } from './validator';
import { translateString } from './translate';
import { deriveUi, isObj, type Json } from './ui';
import { FileWidget, type FileContext } from './FileWidget';
import { THEME } from '../theme';
import { DateInput } from './DateInput';
import { createStore, type DataStore } from './store';
import { whenIdle } from '../lib/idle';
import { fieldAria, hasHelp } from './aria';

function BaseInput(props: BaseInputTemplateProps) {
  const { id, schema, value, readonly, disabled, onChange, onBlur, onFocus, options, placeholder, type, required, rawErrors, uiSchema } = props;
  const s = schema as Json;
  const aria = fieldAria({ id, required, rawErrors, hasHelp: hasHelp(uiSchema) });
  const unit = typeof s['x-unit'] === 'string' ? s['x-unit'] : undefined;
  const computed = s['x-compute'] !== undefined;
  const isNumber = type === 'number' || s.type === 'number' || s.type === 'integer';
  if (isNumber) {
    return (
      <InputNumber
        id={id}
        name={id}
        {...aria}
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
  if (type === 'date' || s.format === 'date') {
    return (
      <DateInput
        id={id}
        value={value}
        readonly={!!readonly}
        disabled={!!disabled}
        onChange={(v) => onChange(v === undefined ? options.emptyValue : v)}
        onBlur={() => onBlur(id, value)}
        onFocus={() => onFocus(id, value)}
      />
    );
  }
  const max = typeof s.maxLength === 'number' ? s.maxLength : undefined;
  return (
    <Input
      id={id}
      name={id}
      {...aria}
      value={typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value)}
      disabled={disabled}
      readOnly={readonly}
      variant={readonly ? 'filled' : 'outlined'}
      placeholder={placeholder}
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
        <div key={m} style={{ color: THEME.token?.colorError }}>
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
  const { id, schema, value, readonly, disabled, onChange, onBlur, onFocus, options, required, rawErrors, uiSchema } = props;
  const s = schema as Json;
  const aria = fieldAria({ id, required, rawErrors, hasHelp: hasHelp(uiSchema) });
  const max = typeof s['x-max-chars'] === 'number' ? s['x-max-chars'] : typeof s.maxLength === 'number' ? s.maxLength : undefined;
  const rows = max && max > 1000 ? 10 : 4;
  return (
    <Input.TextArea
      id={id}
      name={id}
      {...aria}
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
  /**
   * The URL of the form's precompiled validators (a module the server compiles: the browser
   * compiles no code); the form shows once they are loaded.
   */
  validators: string | null;
  /** the data (when no `store` is given; a new object replaces what the form shows) */
  data?: Json;
  /** the data as a store the form writes into (the application page: a keystroke re-renders its group only) */
  store?: DataStore;
  /** every change, with the whole data (computed fields included) */
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
  /** a note under a field (dotted path → text), e.g. where a pre-filled value came from */
  notes?: Record<string, string>;
  /** the prefix of the fields' ids (`<idRoot>.<dotted path>`; default `root`): several forms on one page each have their own */
  idRoot?: string;
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

/** A number as typed into a text widget: the number, or the text as it is (the validator names it). */
function toNumber(v: string): number | string | undefined {
  const t = v.trim();
  if (t === '') return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : v;
}

/**
 * rjsf's NumberField without its locale lookup (it builds an Intl.NumberFormat on every
 * render of every number field to find the decimal separator): our number widget already
 * hands over numbers, and text typed elsewhere is converted here, with '.' as the separator.
 */
function NumberField(props: FieldProps) {
  const { registry, onChange } = props;
  const StringField = registry.fields.StringField as ComponentType<FieldProps>;
  const handle = useCallback<FieldProps['onChange']>((v, ...rest) => onChange(typeof v === 'string' ? toNumber(v) : v, ...rest), [onChange]);
  return <StringField {...props} onChange={handle} />;
}

const FIELDS = { NumberField };
const TEMPLATES = { BaseInputTemplate: BaseInput, FieldErrorTemplate: FieldErrors };
const TEMPLATES_COMPACT = { ...TEMPLATES, ObjectFieldTemplate: CompactObject };
const WIDGETS = { FileWidget, TextareaWidget, textarea: TextareaWidget };

function getAt(data: Json, path: string[]): Json {
  let cur: unknown = data;
  for (const k of path) cur = isObj(cur) ? cur[k] : undefined;
  return isObj(cur) ? cur : {};
}

function setKeysAt(data: Json, path: string[], keys: string[] | null, value: Json): Json {
  if (path.length === 0) {
    if (keys === null) return value;
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

/** A form node's part of the data (a new object). */
function sliceOf(data: Json, n: FormNode): Json {
  const obj = getAt(data, n.path);
  if (n.keys === null) return obj;
  const value: Json = {};
  for (const k of n.keys) if (obj[k] !== undefined) value[k] = obj[k];
  return value;
}

/** Adds notes (dotted path → text) as `ui:help` under the fields of a node's ui schema. */
function withNotes(ui: UiSchema, n: FormNode, notes: Record<string, string> | undefined): UiSchema {
  if (!notes) return ui;
  const prefix = n.path.length ? `${n.path.join('.')}.` : '';
  let out: UiSchema | null = null;
  for (const [path, text] of Object.entries(notes)) {
    if (prefix && !path.startsWith(prefix)) continue;
    const rel = path.slice(prefix.length).split('.');
    if (n.keys !== null && !n.keys.includes(rel[0] ?? '')) continue;
    out ??= structuredClone(ui) as UiSchema;
    let cur = out as Json;
    for (const k of rel) {
      cur[k] = isObj(cur[k]) ? cur[k] : {};
      cur = cur[k] as Json;
    }
    cur['ui:help'] = text;
  }
  return out ?? ui;
}

interface NodeFormProps {
  node: FormNode;
  store: DataStore;
  validators: ValidatorFns;
  /** the whole form's schema (computed fields anywhere follow a change) */
  rootSchema: Json;
  uiSchema: UiSchema;
  idPrefix: string;
  editable: boolean;
  readonly: boolean;
  showRequired: boolean;
  serverErrors: Array<{ path: string; message: string }>;
  files: FileContext | undefined;
  compact: boolean;
}

/** The keys a form node's data has in either of two slices (a node that is not split: all of them). */
function keysOf(n: FormNode, a: Json, b: Json): string[] {
  return n.keys ?? [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

/**
 * One rjsf form (the whole form, or one node of it) on its part of the store. The rjsf form is
 * uncontrolled: it keeps what is typed in its own state and reports it (a keystroke is one rjsf
 * update, not a second one for the same data coming back as a prop), and what changes in the
 * store from elsewhere (a reload, an accepted prefill, a computed field) is handed to it field
 * by field (`setFieldValue`), so that the field being typed in keeps its focus and its state.
 */
const NodeForm = memo(function NodeForm({ node, store, validators, rootSchema, uiSchema, idPrefix, editable, readonly, showRequired, serverErrors, files, compact }: NodeFormProps) {
  const form = useRef<RjsfForm>(null);
  const [initial] = useState(() => sliceOf(store.get(), node));
  // the data rjsf holds, as far as it has told (key order aside: canonical JSON, and the value)
  const held = useRef({ json: canonicalJson(initial), value: initial });
  useEffect(
    () =>
      store.subscribe(() => {
        const s = sliceOf(store.get(), node);
        const json = canonicalJson(s);
        if (json === held.current.json) return;
        const before = held.current.value;
        held.current = { json, value: s };
        for (const k of keysOf(node, s, before)) {
          if (canonicalJson(s[k]) !== canonicalJson(before[k])) form.current?.setFieldValue([k], s[k]);
        }
      }),
    [store, node],
  );
  const handle = useCallback(
    (e: { formData?: unknown }) => {
      const fd = (isObj(e.formData) ? e.formData : {}) as Json;
      const own: Json = node.keys === null ? fd : Object.fromEntries(node.keys.filter((k) => fd[k] !== undefined).map((k) => [k, fd[k]]));
      const json = canonicalJson(own);
      held.current = { json, value: own };
      // nothing new for the store: what it handed over coming back, or a read-only form
      if (!editable || json === canonicalJson(sliceOf(store.get(), node))) return;
      const next = computeFields(rootSchema, setKeysAt(store.get(), node.path, node.keys, fd)) as Json;
      store.set(next, node.id);
    },
    [store, node, rootSchema, editable],
  );
  const transform = useCallback((errs: RJSFValidationError[]) => transformErrors(errs, showRequired), [showRequired]);
  const extraErrors = useMemo(() => (serverErrors.length ? toErrorSchema(serverErrors) : undefined), [serverErrors]);
  const formContext = useMemo(() => ({ files, readonlyAsDisabled: false }), [files]);
  const validator = useMemo(() => validatorFor(validators, node.schema as RJSFSchema), [validators, node.schema]);
  // validators that arrive while the form is shown (a draft's preview after a save): check what it holds again.
  // Not in this effect itself: rjsf's Form takes a new validator into its state in its own
  // componentDidUpdate (a setState processed after this effect has run), so validateForm here would
  // still use the old one — a value typed while the new validators were loading stayed unchecked
  const first = useRef(validator);
  useEffect(() => {
    if (validator === first.current || readonly) return;
    const t = setTimeout(() => form.current?.validateForm(), 0);
    return () => clearTimeout(t);
  }, [validator, readonly]);
  return (
    <Form
      ref={form}
      schema={node.schema as RJSFSchema}
      uiSchema={uiSchema}
      initialFormData={initial}
      validator={validator}
      onChange={handle}
      onError={IGNORE}
      idPrefix={idPrefix}
      idSeparator="."
      liveValidate="onChange"
      showErrorList={false}
      noHtml5Validate
      readonly={readonly}
      transformErrors={transform}
      translateString={translateString}
      templates={compact ? TEMPLATES_COMPACT : TEMPLATES}
      widgets={WIDGETS}
      fields={FIELDS}
      formContext={formContext}
      {...(extraErrors ? { extraErrors: extraErrors as ErrorSchema } : {})}
      experimental_defaultFormStateBehavior={DEFAULTS_BEHAVIOUR}
    />
  );
});

const DEFAULTS_BEHAVIOUR = { emptyObjectFields: 'skipDefaults' } as const;
/** The errors of a check (shown at the fields already): rjsf would also log them as console errors. */
const IGNORE = () => {};

export function SchemaForm(props: SchemaFormProps) {
  const { schema, ui, validators: validatorsUrl, data, onChange, serverErrors, role = 'applicant', readonly = false, showRequired = false, files, compact = false, notes, idRoot = 'root' } = props;
  const uiSchema = useMemo(() => deriveUi(schema, ui, role) as UiSchema, [schema, ui, role]);
  const layout = useMemo(() => formLayout(schema, uiSchema), [schema, uiSchema]);
  const forms = useMemo(() => formNodes(layout), [layout]);
  // the data: the page's store, or one kept here from the `data` prop
  const [own] = useState(() => (props.store ? null : createStore(data ?? {})));
  const store = props.store ?? (own as DataStore);
  useEffect(() => {
    if (own && data && data !== own.get()) own.set(data, 'external');
  }, [own, data]);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => store.subscribe((origin) => origin !== 'external' && latest.current?.(store.get())), [store]);
  const errorsFor = useMemo(() => {
    const m = new Map<string, Array<{ path: string; message: string }>>();
    for (const n of forms) {
      const prefix = n.path.join('.');
      const list = (serverErrors ?? [])
        .filter((e) => (prefix ? e.path.startsWith(`${prefix}.`) : true) && (n.keys === null || n.keys.includes((prefix ? e.path.slice(prefix.length + 1) : e.path).split('.')[0] ?? '')))
        .map((e) => ({ path: prefix ? e.path.slice(prefix.length + 1) : e.path, message: e.message }));
      m.set(n.id, list.length ? list : EMPTY);
    }
    return m;
  }, [forms, serverErrors]);
  const uiFor = useMemo(() => new Map(forms.map((n) => [n.id, withNotes(n.ui, n, notes)])), [forms, notes]);
  // the first forms mount at once; the others one at a time when the browser is idle, each in a
  // transition (so a keystroke in a form already shown is not kept waiting)
  const [mounted, setMounted] = useState(FIRST);
  useEffect(() => {
    if (mounted >= forms.length) return;
    return whenIdle(() => startTransition(() => setMounted((m) => m + 1)));
  }, [mounted, forms.length]);
  const order = useMemo(() => new Map(forms.map((f, i) => [f.id, i])), [forms]);
  const editable = !readonly && !!(onChange || props.store);
  const validators = useValidators(validatorsUrl);
  const render = (nodes: LayoutNode[]): ReactNode =>
    nodes.map((n) =>
      n.kind === 'group' ? (
        <fieldset key={n.id} className="yp-group" id={`${idRoot}.${n.id}`}>
          <legend className="yp-group-title">{n.title}</legend>
          {n.description ? <div className="yp-group-desc">{n.description}</div> : null}
          {render(n.children)}
        </fieldset>
      ) : (order.get(n.id) ?? 0) >= mounted || !validators ? (
        <div key={n.id} className="yp-pending" />
      ) : (
        <NodeForm
          key={n.id}
          node={n}
          store={store}
          validators={validators}
          rootSchema={schema}
          uiSchema={uiFor.get(n.id) ?? n.ui}
          idPrefix={n.path.length ? `${idRoot}.${n.path.join('.')}` : idRoot}
          editable={editable}
          readonly={readonly}
          showRequired={showRequired}
          serverErrors={errorsFor.get(n.id) ?? EMPTY}
          files={files}
          compact={compact}
        />
      ),
    );
  if (forms.length === 1 && forms[0]?.keys === null) return <>{render(layout)}</>;
  const title = typeof schema.title === 'string' ? schema.title : '';
  return (
    <div className="yp-sectioned">
      {title ? <div className="yp-form-title">{title}</div> : null}
      {render(layout)}
    </div>
  );
}

const EMPTY: Array<{ path: string; message: string }> = [];
const FIRST = 1;
