/**
 * A date field (`format: "date"`): antd's DatePicker in Chinese. What is typed is read in the
 * ways people write dates (2016-05-18, 2016/5/18, 2016.5.18, 20160518, 2016年5月18日) and stored as
 * YYYY-MM-DD.
 */
import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';

dayjs.locale('zh-cn');

/** The first is how a date is shown and stored; the others are also read when typed. */
export const DATE_FORMATS = ['YYYY-MM-DD', 'YYYY-M-D', 'YYYY/MM/DD', 'YYYY/M/D', 'YYYY.MM.DD', 'YYYY.M.D', 'YYYYMMDD', 'YYYY年M月D日'];

export function DateInput(props: {
  id: string;
  value: unknown;
  readonly: boolean;
  disabled: boolean;
  onChange: (v: string | undefined) => void;
  onBlur: () => void;
  onFocus: () => void;
}) {
  const { id, value, readonly, disabled, onChange, onBlur, onFocus } = props;
  const v = typeof value === 'string' ? dayjs(value, DATE_FORMATS[0], true) : null;
  return (
    <DatePicker
      id={id}
      name={id}
      style={{ width: '100%' }}
      value={v && v.isValid() ? v : null}
      format={DATE_FORMATS}
      placeholder="年-月-日，如 2021-06-22"
      disabled={disabled}
      inputReadOnly={readonly}
      open={readonly ? false : undefined}
      allowClear={!readonly}
      variant={readonly ? 'filled' : 'outlined'}
      onChange={(d: Dayjs | null) => onChange(d ? d.format(DATE_FORMATS[0]) : undefined)}
      onBlur={onBlur}
      onFocus={onFocus}
    />
  );
}
