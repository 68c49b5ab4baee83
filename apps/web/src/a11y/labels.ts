/**
 * Chinese names for what antd and its parts label in English: an icon carries its file name
 * as `aria-label` (`close-circle`, `plus-circle`, `eye-invisible`), the number input's
 * steppers say `Increase Value` / `Decrease Value`. antd's zh_CN locale does not cover them,
 * so the page's own words are put in when these elements appear:
 *
 * - an icon inside something that already has a name (a button with text, a labelled
 *   control) is decoration: hidden from screen readers;
 * - an icon that is the control itself gets a Chinese name from the table below, or, when
 *   the table has none, is hidden (the checks of the e2e journeys then report a control
 *   without a name, so an icon never goes unnoticed);
 * - any other English `aria-label` of a library part is translated from the same table.
 */

/** English names used by antd and rc-* parts → the Chinese a screen reader should read. */
export const LABELS: Readonly<Record<string, string>> = {
  'Increase Value': '增加',
  'Select all': '全选本页',
  'Decrease Value': '减少',
  'eye-invisible': '显示密码',
  eye: '隐藏密码',
  'close-circle': '清除',
  close: '关闭',
  search: '搜索',
  left: '上一页',
  right: '下一页',
  'double-left': '向前五页',
  'double-right': '向后五页',
  up: '增加',
  down: '展开',
  copy: '复制',
  check: '已复制',
  'plus-circle': '添加',
  plus: '添加',
  'minus-circle': '删除',
  delete: '删除',
  edit: '编辑',
  upload: '上传',
  download: '下载',
  'info-circle': '说明',
  'exclamation-circle': '注意',
  'check-circle': '成功',
  'question-circle': '帮助',
  loading: '加载中',
  calendar: '选择日期',
  'swap-right': '至',
  filter: '筛选',
  'caret-up': '升序',
  'caret-down': '降序',
  ellipsis: '更多',
  'arrow-up': '上移',
  'arrow-down': '下移',
  'paper-clip': '附件',
  file: '文件',
};

const LATIN = /[A-Za-z]/;

/** Whether the element (or the control around it) is named by text other than its own label. */
function namedByOthers(icon: Element): boolean {
  const control = icon.parentElement?.closest('button, a, [role="button"], [role="tab"], [role="menuitem"], label, .ant-tag, .ant-alert, .ant-select, .ant-picker, .ant-input-affix-wrapper, .ant-message-notice, .ant-modal-confirm-body, .ant-result');
  if (!control) return false;
  if (control.getAttribute('aria-label') && control.getAttribute('aria-label') !== icon.getAttribute('aria-label')) return true;
  const text = (control.textContent ?? '').trim();
  return text.length > 0;
}

function fix(el: Element): void {
  const label = el.getAttribute('aria-label');
  if (!label || !LATIN.test(label)) return;
  const isIcon = el.classList.contains('anticon');
  if (isIcon && namedByOthers(el)) {
    el.removeAttribute('aria-label');
    el.setAttribute('aria-hidden', 'true');
    return;
  }
  const zh = LABELS[label];
  if (zh) el.setAttribute('aria-label', zh);
  else if (isIcon) {
    el.removeAttribute('aria-label');
    el.setAttribute('aria-hidden', 'true');
  }
}

/** A table's row checkbox (antd gives it no name): named after what it does. */
const ROW_CHECKBOX = '.ant-table-selection-column input[type="checkbox"]:not([aria-label])';

/**
 * rc-textarea's hidden measuring textarea (auto-sized text areas) is appended to the body with
 * `tab-index="-1"` (a misspelt attribute) and aria-hidden: it stays in the tab order, a hidden
 * field a keyboard user lands on. Taken out of the tab order.
 */
const MEASURING_TEXTAREA = 'textarea[aria-hidden="true"][tab-index]:not([tabindex])';

function fixTree(root: Element): void {
  if (root.matches(MEASURING_TEXTAREA)) root.setAttribute('tabindex', '-1');
  if (root.hasAttribute('aria-label')) fix(root);
  for (const el of Array.from(root.querySelectorAll('[aria-label]'))) fix(el);
  if (root.matches(ROW_CHECKBOX)) root.setAttribute('aria-label', '选择此行');
  for (const el of Array.from(root.querySelectorAll(ROW_CHECKBOX))) el.setAttribute('aria-label', '选择此行');
}

/** Translates library labels in `root` now and whenever elements are added or relabelled. */
export function watchLabels(root: Element = document.body): () => void {
  fixTree(root);
  const obs = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes' && r.target instanceof Element) fix(r.target);
      for (const n of Array.from(r.addedNodes)) if (n instanceof Element) fixTree(n);
    }
  });
  obs.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  return () => obs.disconnect();
}
