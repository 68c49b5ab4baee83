/**
 * The UI file of a form (`schemas/<pack>/forms/<form>.ui.json`, rjsf's uiSchema): how the form's
 * fields are shown. Keys that are not `ui:` keys name fields of the form (the checker also checks
 * that the field exists: UI_UNKNOWN_FIELD); `items` holds the columns of a table's rows. Only the
 * `ui:` keys the web app's form renders are allowed, so a typo (`ui:widgt`) is refused instead of
 * being silently ignored.
 */
const UI_KEYS = ['ui:order', 'ui:widget', 'ui:help', 'ui:readonly', 'ui:options', 'ui:title', 'ui:description', 'ui:placeholder', 'ui:disabled'] as const;

/** The widgets the web app's form has (rjsf's names; FileWidget: an upload of supporting pages). */
export const UI_WIDGETS = ['text', 'textarea', 'radio', 'checkboxes', 'select', 'checkbox', 'hidden', 'FileWidget'] as const;

const uiNode = {
  type: 'object',
  properties: {
    $schema: { type: 'string', maxLength: 500 },
    'ui:order': {
      type: 'array',
      items: { type: 'string', maxLength: 200 },
      maxItems: 1000,
      description: '字段的显示顺序（字段名；"*" 表示其余字段）',
    },
    'ui:widget': { enum: [...UI_WIDGETS], description: '输入方式：textarea 多行文字，radio 单选，checkboxes 多选，select 下拉，FileWidget 上传材料' },
    'ui:help': { type: 'string', maxLength: 2000, description: '字段下方的填写说明' },
    'ui:readonly': { type: 'boolean', description: '只读' },
    'ui:disabled': { type: 'boolean', description: '不可填写' },
    'ui:title': { type: 'string', maxLength: 300, description: '显示的标题（代替表单中的 title）' },
    'ui:description': { type: 'string', maxLength: 4000, description: '显示的说明（代替表单中的 description）' },
    'ui:placeholder': { type: 'string', maxLength: 300, description: '输入框中的提示文字' },
    'ui:options': {
      type: 'object',
      additionalProperties: false,
      properties: {
        rows: { type: 'integer', minimum: 1, maximum: 100, description: '多行文字的行数' },
        inline: { type: 'boolean', description: '选项排成一行' },
        orderable: { type: 'boolean', description: '表格的行可以调整顺序' },
        addable: { type: 'boolean', description: '表格可以添加行' },
        removable: { type: 'boolean', description: '表格可以删除行' },
      },
      description: '输入方式的选项',
    },
    items: { $ref: '#/definitions/node', description: '表格每一行的各列' },
    additionalItems: { $ref: '#/definitions/node' },
  },
  // any other `ui:` key is a typo; every other key names a field of the form
  patternProperties: { [`^ui:(?!(${UI_KEYS.map((k) => k.slice(3)).join('|')})$)`]: false },
  additionalProperties: { $ref: '#/definitions/node' },
} as const;

export const uiMetaSchema = {
  $id: 'https://yuanping.local/meta/ui.schema.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: '表单界面文件（forms/*.ui.json）',
  definitions: { node: uiNode },
  allOf: [{ $ref: '#/definitions/node' }],
  type: 'object',
} as const;
