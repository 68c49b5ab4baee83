/**
 * The workbench's form for editing one field (its title, kind, range, options, help), as a JSON
 * Schema the web app renders with the same rjsf form as the applicant's. It is here, not in the
 * web app, because the server precompiles its validators (the browser compiles no code): the
 * schema depends only on the field's shape, and `fieldEditSchemas` lists every shape.
 */
type Obj = Record<string, unknown>;

export type FieldKind = 'string' | 'textarea' | 'choice' | 'number' | 'integer' | 'boolean' | 'date' | 'file' | 'checklist' | 'other';

export const FIELD_KIND_LABELS: Record<FieldKind, string> = {
  string: '文字',
  textarea: '多行文字',
  choice: '单选',
  number: '数值',
  integer: '整数',
  boolean: '是/否',
  date: '日期',
  file: '附件（上传文件）',
  checklist: '多选',
  other: '其他（表格、文件等，请在专家模式中修改）',
};

/** The kinds a field can be given in the editor (a checklist or a table keeps its kind). */
export const EDITABLE_KINDS: FieldKind[] = ['string', 'textarea', 'number', 'integer', 'date', 'boolean', 'choice', 'file'];

/** What the edit form of a field depends on. */
export interface FieldEditShape {
  kind: FieldKind;
  /** options whose values are their labels (editable here) */
  optionsEditable: boolean;
  /** a bound given by a parameter's reference (not editable here) */
  minimumIsParam: boolean;
  maximumIsParam: boolean;
}

/** The edit form of a field of this shape. */
export function fieldEditSchema(shape: FieldEditShape): Obj {
  const { kind } = shape;
  const numeric = kind === 'number' || kind === 'integer';
  const choice = kind === 'choice' || kind === 'checklist';
  const props: Obj = {
    title: { type: 'string', title: '标题', minLength: 1, maxLength: 300 },
  };
  // a field's type changes among the common kinds; a choice whose values are not its labels, a checklist or a table keeps its kind
  if (EDITABLE_KINDS.includes(kind) && (kind !== 'choice' || shape.optionsEditable)) props.kind = { type: 'string', title: '类型', oneOf: EDITABLE_KINDS.map((k) => ({ const: k, title: FIELD_KIND_LABELS[k] })) };
  props.required = { type: 'boolean', title: '必填' };
  if (numeric) {
    props.unit = { type: 'string', title: '单位', maxLength: 20 };
    if (!shape.minimumIsParam) props.minimum = { type: 'number', title: '最小值' };
    if (!shape.maximumIsParam) props.maximum = { type: 'number', title: '最大值' };
  }
  if (choice && shape.optionsEditable) props.options = { type: 'array', title: '选项', minItems: 1, maxItems: 200, items: { type: 'string', title: '选项', minLength: 1, maxLength: 200 } };
  props.help = { type: 'string', title: '填写说明（显示在字段下方）', maxLength: 2000 };
  return { type: 'object', properties: props };
}

/** The edit form of every shape of field (what the server precompiles). */
export function fieldEditSchemas(): Obj[] {
  const out: Obj[] = [];
  for (const kind of Object.keys(FIELD_KIND_LABELS) as FieldKind[])
    for (const optionsEditable of [false, true])
      for (const minimumIsParam of [false, true]) for (const maximumIsParam of [false, true]) out.push(fieldEditSchema({ kind, optionsEditable, minimumIsParam, maximumIsParam }));
  return out;
}
