/** rjsf's interface strings in Chinese. */
import { TranslatableString, englishStringTranslator } from '@rjsf/utils';

const ZH: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.ArrayItemTitle]: '第 %1 项',
  [TranslatableString.MissingItems]: '缺少列表项的定义',
  [TranslatableString.EmptyArray]: '尚无内容，请点击下方按钮添加',
  [TranslatableString.YesLabel]: '是',
  [TranslatableString.NoLabel]: '否',
  [TranslatableString.CloseLabel]: '关闭',
  [TranslatableString.ErrorsLabel]: '填写有误',
  [TranslatableString.NewStringDefault]: '新值',
  [TranslatableString.AddButton]: '添加',
  [TranslatableString.AddItemButton]: '添加一项',
  [TranslatableString.CopyButton]: '复制',
  [TranslatableString.ExpandButton]: '展开',
  [TranslatableString.MoveDownButton]: '下移',
  [TranslatableString.MoveUpButton]: '上移',
  [TranslatableString.RemoveButton]: '删除',
  [TranslatableString.NowLabel]: '现在',
  [TranslatableString.ClearLabel]: '清除',
  [TranslatableString.AriaDateLabel]: '选择日期',
  [TranslatableString.PreviewLabel]: '预览',
  [TranslatableString.DecrementAriaLabel]: '减少 1',
  [TranslatableString.IncrementAriaLabel]: '增加 1',
  [TranslatableString.OptionalObjectAdd]: '填写此可选项',
  [TranslatableString.OptionalObjectRemove]: '清除此可选项',
  [TranslatableString.OptionalObjectEmptyMsg]: '此可选项未填写',
  [TranslatableString.Type]: '类型',
  [TranslatableString.Value]: '值',
  [TranslatableString.ClearButton]: '清空',
  [TranslatableString.UnknownFieldType]: '未知的字段类型 %1',
  [TranslatableString.OptionPrefix]: '选项 %1',
  [TranslatableString.TitleOptionPrefix]: '%1 选项 %2',
  [TranslatableString.KeyLabel]: '%1 键',
  [TranslatableString.DeprecatedLabel]: '%1（已停用）',
  [TranslatableString.CycleDetected]: '字段“%1”存在循环引用',
  [TranslatableString.InvalidObjectField]: '字段“%1”的配置无效：%2',
  [TranslatableString.UnsupportedField]: '不支持的字段定义',
  [TranslatableString.UnsupportedFieldWithId]: '字段 %1 的定义不受支持',
  [TranslatableString.UnsupportedFieldWithReason]: '不支持的字段定义：%1',
  [TranslatableString.UnsupportedFieldWithIdAndReason]: '字段 %1 的定义不受支持：%2',
  [TranslatableString.FilesInfo]: '**%1**（%2，%3 字节）',
};

export function translateString(s: TranslatableString, params?: string[]): string {
  const zh = ZH[s];
  if (zh === undefined) return englishStringTranslator(s, params);
  return (params ?? []).reduce((acc, p, i) => acc.replaceAll(`%${i + 1}`, p), zh);
}
