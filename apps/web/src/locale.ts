/**
 * antd's Chinese locale as the app uses it: the date picker's arrows are named in Chinese only
 * (antd writes “上一年 (Control键加左方向键)”, an English key name a screen reader reads out and
 * the page checks refuse; the shortcut still works), and its year and month buttons by their text.
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
      // the year and month buttons are named by what they show (“2023年”), not “选择年份”: a name
      // that leaves out the visible text is one a voice-control user cannot say (WCAG 2.5.3)
      yearSelect: '',
      monthSelect: '',
      decadeSelect: '',
    },
  },
};
