/**
 * The form vocabulary: the JSON Schema keywords our forms may use beyond draft-07.
 * Each is an annotation (no validation of its own) and is documented in docs/packs.md.
 * ajv runs in strict mode, so every keyword a pack uses must be listed here.
 */
export const FORM_KEYWORDS: Record<string, { description: string }> = {
  'x-compute': { description: '计算字段：json-logic 表达式，由同一对象（表格中为同一行）的其他字段计算，只读' },
  'x-precision': { description: '数值保留的小数位数（计算字段四舍五入、导出格式）' },
  'x-unit': { description: '计量单位，显示在标题和说明中，如 亩、万元' },
  'x-total': { description: '表格合计行中本列的汇总方式：sum（求和）、none；或 json-logic 表达式' },
  'x-file': { description: '附件字段：{ accept: [MIME…], maxBytes, maxDurationSeconds? }' },
  'x-review': { description: '审核人确认项：confirm（审核人逐项确认申报人勾选的内容）' },
  'x-role': { description: '由谁填写：applicant（默认）或 county / city / province 审核人' },
  'x-sections': { description: '文稿提纲的章节（打印与目录）' },
  'x-clause': { description: '字段所依据的通知条款' },
  'x-max-chars': { description: '长文本的字数上限（按汉字计，与 maxLength 相同时仅用于显示）' },
  'x-key': { description: '表格中标识一行的字段（如编码列），用于导入核对与汇总' },
  'x-order': { description: '字段在打印版中的顺序' },
  // the table-form layout of @yuanping/tables (its TABLE_KEYWORDS), which exports and imports the official xlsx
  'x-table': { description: '表格版式（@yuanping/tables）：{ attachment, sheetName, preamble, columns（多级表头）, sections, total, notes }' },
  'x-numFmt': { description: '表格列在 xlsx 中的数字格式，如 0.00' },
  'x-width': { description: '表格列在 xlsx 中的列宽' },
};

export const FORM_KEYWORD_NAMES = Object.keys(FORM_KEYWORDS);

/** rjsf reads these; ajv must accept them in strict mode. */
export const RJSF_KEYWORDS = ['enumNames'];
