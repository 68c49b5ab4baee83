/**
 * antd's Chinese locale as the app uses it: the date picker's arrows are named in Chinese only
 * (antd writes “上一年 (Control键加左方向键)”, an English key name a screen reader reads out and
 * the page checks refuse; the shortcut still works).
 */
import zhCN from 'antd/es/locale/zh_CN';
import type { Locale } from 'antd/es/locale';

const picker = zhCN.DatePicker!;

export const LOCALE: Locale = {
  ...zhCN,
  DatePicker: {
    ...picker,
    lang: {
      ...picker.lang,
      previousMonth: '上个月',
      nextMonth: '下个月',
      previousYear: '上一年',
      nextYear: '下一年',
    },
  },
};
