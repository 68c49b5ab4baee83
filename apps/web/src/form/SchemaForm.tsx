/**
 * Any form of any pack, rendered from its JSON Schema and UI schema with @rjsf (antd theme).
 * Nothing here knows a pack: units come from `x-unit`, computed fields from `x-compute`,
 * uploads from `x-file`, length counters from `maxLength` / `x-max-chars`.
 */
import { memo, useCallback, useMemo, useRef, type ChangeEvent, type FocusEvent } from 'react';
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
  if (!plain || !AntObject) return AntObject ? <AntObject {...props} /> : null;
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

interface Section {
  key: string;
  schema: Json;
  ui: UiSchema;
}

/**
 * A form whose top level is a row of groups (基本情况, 经济效益, …) renders as one rjsf form
 * per group, so a keystroke re-renders and re-validates its group, not the whole form.
 * Forms with rules across groups at the top level (allOf, if/then, dependencies) stay whole.
 */
function sectionsOf(schema: Json, uiSchema: UiSchema): Section[] | null {
  if (!isObj(schema.properties)) return null;
  for (const k of ['allOf', 'anyOf', 'oneOf', 'if', 'not', 'dependencies', 'dependentRequired', 'dependentSchemas', 'patternProperties', 'additionalProperties']) {
    if (schema[k] !== undefined && !(k === 'additionalProperties' && schema[k] === false)) return null;
  }
  const entries = Object.entries(schema.properties);
  if (entries.length < 2) return null;
  const order = Array.isArray(uiSchema['ui:order']) ? (uiSchema['ui:order'] as string[]) : [];
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i >= 0 ? i : order.indexOf('*') >= 0 ? order.indexOf('*') : 1e6;
  };
  const sections: Section[] = [];
  for (const [key, raw] of [...entries].sort((a, b) => rank(a[0]) - rank(b[0]))) {
    if (!isObj(raw)) return null;
    const sub = deref(schema, raw);
    if (sub.type !== 'object' || !isObj(sub.properties)) return null;
    const defs = { ...(isObj(schema.definitions) ? { definitions: schema.definitions } : {}), ...(isObj(schema.$defs) ? { $defs: schema.$defs } : {}) };
    sections.push({ key, schema: { ...defs, ...sub }, ui: { ...(isObj(uiSchema[key]) ? (uiSchema[key] as UiSchema) : {}), 'ui:submitButtonOptions': { norender: true } } as UiSchema });
  }
  return sections;
}

export function SchemaForm(props: SchemaFormProps) {
  const { schema, ui, data, onChange, serverErrors, role = 'applicant' } = props;
  const uiSchema = useMemo(() => deriveUi(schema, ui, role) as UiSchema, [schema, ui, role]);
  const sections = useMemo(() => sectionsOf(schema, uiSchema), [schema, uiSchema]);
  // the latest data and callback for the section handlers (stable, so untouched sections skip rendering)
  const latest = useRef({ data, onChange });
  latest.current = { data, onChange };
  const handlers = useMemo(() => {
    const m = new Map<string, (v: Json) => void>();
    for (const s of sections ?? []) m.set(s.key, (v: Json) => latest.current.onChange?.({ ...latest.current.data, [s.key]: v }));
    return m;
  }, [sections]);
  const errorsBySection = useMemo(() => {
    const m = new Map<string, Array<{ path: string; message: string }>>();
    for (const e of serverErrors ?? []) {
      const [head, ...rest] = e.path.split('.');
      const list = m.get(head ?? '') ?? [];
      list.push({ path: rest.join('.'), message: e.message });
      m.set(head ?? '', list);
    }
    return m;
  }, [serverErrors]);
  const { ui: _ui, ...rest } = props;
  if (!sections) return <OneForm {...rest} uiSchema={uiSchema} idPrefix="root" onChange={onChange} />;
  const title = typeof schema.title === 'string' ? schema.title : '';
  return (
    <div className="yp-sectioned">
      {title ? <div className="yp-form-title">{title}</div> : null}
      {sections.map((s) => (
        <OneForm
          key={s.key}
          {...rest}
          schema={s.schema}
          uiSchema={s.ui}
          data={(isObj(data[s.key]) ? data[s.key] : {}) as Json}
          onChange={onChange ? handlers.get(s.key) : undefined}
          serverErrors={errorsBySection.get(s.key) ?? EMPTY}
          idPrefix={`root.${s.key}`}
        />
      ))}
    </div>
  );
}

const EMPTY: Array<{ path: string; message: string }> = [];
