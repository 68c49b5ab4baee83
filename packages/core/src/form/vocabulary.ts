/**
 * The form vocabulary: the JSON Schema keywords our forms may use beyond draft-07.
 * Each is an annotation (no validation of its own) and is documented in docs/packs.md.
 * ajv runs in strict mode, so every keyword a pack uses must be listed here.
 */
import { ptrToken, resolvePointer } from '../util/json.js';
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
  'x-pages-of': { description: '页码字段所指的材料：同一通知包中的表单或其字段（“表单标识” 或 “表单标识.字段路径”，可写多个）；打印整份申报时按装订后的实际页码印出，申报人填写的页码与之不符时在屏幕上标出' },
  'x-scorecard': { description: '评分表：{ columns（每项的各栏）, groups（分组及满分）, limit?, maxInTitle? }，写在容纳各评分项的对象上；见 meta/scorecard.schema.json' },
  'x-score': { description: '评分项：{ max（满分）, group? }；分值栏的 maximum、标题中的“（N分）”、小计合计都由它生成。在栏目上写 self / reviewer / proof 表示该栏的作用' },
  'x-score-total': { description: '评分合计栏：{ basis: self | reviewer, of?, groups? }，由评分表生成计算表达式（服务器计算）' },
  // the table-form layout of @yuanping/tables (its TABLE_KEYWORDS), which exports and imports the official xlsx
  'x-table': { description: '表格版式（@yuanping/tables）：{ attachment, sheetName, preamble, columns（多级表头）, sections, total, notes }' },
  'x-numFmt': { description: '表格列在 xlsx 中的数字格式，如 0.00' },
  'x-width': { description: '表格列在 xlsx 中的列宽' },
  'x-added': { description: '本平台在通知原表上增设的表格列：导入时可缺（按 x-derive 推算或留空），导出时标为增设列（底色与图例）' },
  'x-result': { description: '群体评价结果写入的官方列：score、rank、grade、reward、selected、status、explanation 之一（分档导出时填入该列）' },
  'x-derive': { description: '增设列的推算式：文件没有该列时，由同一行的其他列（含文件给出的计算列）与表头字段按 json-logic 推算' },
};

export const FORM_KEYWORD_NAMES = Object.keys(FORM_KEYWORDS);

/** rjsf reads these; ajv must accept them in strict mode. */
export const RJSF_KEYWORDS = ['enumNames'];

type SchemaNode = Record<string, unknown>;
const isNode = (v: unknown): v is SchemaNode => typeof v === 'object' && v !== null && !Array.isArray(v);
function derefLocal(root: SchemaNode, s: SchemaNode): SchemaNode {
  let cur = s;
  for (let i = 0; i < 20 && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/'); i++) {
    const t = resolvePointer(root, cur.$ref);
    if (!isNode(t)) break;
    cur = t;
  }
  return cur;
}
/** Whether a dotted field path (numeric segments step into a list) names a field of the schema. */
function hasField(root: SchemaNode, path: string): boolean {
  let cur = derefLocal(root, root);
  for (const seg of path.split('.')) {
    const props = cur.properties;
    if (isNode(props) && isNode(props[seg])) cur = derefLocal(root, props[seg]);
    else if (/^\d+$/.test(seg) && isNode(cur.items)) cur = derefLocal(root, cur.items);
    else return false;
  }
  return true;
}

/**
 * The `x-pages-of` references of a pack's forms that name no form or field of the pack
 * (`<form id>` or `<form id>.<field path>`), each with its form's file and JSON pointer.
 */
export function unresolvedPageRefs(forms: ReadonlyMap<string, { file: string; schema: Record<string, unknown> }>): Array<{ file: string; pointer: string; ref: string }> {
  const out: Array<{ file: string; pointer: string; ref: string }> = [];
  const esc = ptrToken;
  const visit = (file: string, node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((x, i) => visit(file, x, `${pointer}/${i}`));
    if (!isNode(node)) return;
    if (node['x-pages-of'] !== undefined) {
      const v = node['x-pages-of'];
      const refs = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [v];
      refs.forEach((ref, i) => {
        const at = `${pointer}/x-pages-of${Array.isArray(v) ? `/${i}` : ''}`;
        if (typeof ref !== 'string' || ref.trim() === '') return out.push({ file, pointer: at, ref: String(ref) });
        const [formId = '', ...rest] = ref.trim().split('.');
        const target = forms.get(formId);
        if (!target || (rest.length > 0 && !hasField(target.schema, rest.join('.')))) out.push({ file, pointer: at, ref });
      });
    }
    for (const [k, x] of Object.entries(node)) if (k !== 'x-pages-of' && typeof x === 'object') visit(file, x, `${pointer}/${esc(k)}`);
  };
  for (const f of forms.values()) visit(f.file, f.schema, '');
  return out;
}
