/**
 * The app's antd theme, used by its ConfigProvider (src/App.tsx) and by the build, which
 * extracts these styles to a static CSS file (vite.config.ts): one theme, or the two disagree.
 *
 * Colours: the primary (buttons, links, the focus ring) is blue and the error state red, so a
 * focused field never looks like a wrong one; secondary and help text, status words and tags
 * are dark enough for 4.5:1 on white and on the page's grey (WCAG AA).
 *
 * The status colours are darker than antd's seeds, so the light backgrounds and borders antd
 * would derive from them come out grey (a success tag's green on #b1baab is 2.78:1): they are
 * given here as antd's own light shades, on which each status colour reads at 5:1 or more.
 */
import type { ThemeConfig } from 'antd';

export const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#1f5fad',
    colorLink: '#1f5fad',
    colorError: '#c41d1d',
    colorSuccess: '#2a7a0f',
    colorWarning: '#8a5300',
    colorInfo: '#1f5fad',
    // a hovered (or just clicked) primary button keeps 4.5:1 for its white text: antd would derive #3f7bba (4.41:1)
    colorPrimaryHover: '#2a6cbd',
    colorPrimaryActive: '#174a8b',
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorErrorBg: '#fff2f0',
    colorErrorBorder: '#ffccc7',
    colorWarningBg: '#fffbe6',
    colorWarningBorder: '#ffe58f',
    colorInfoBg: '#e6f4ff',
    colorInfoBorder: '#91caff',
    colorTextDescription: 'rgba(0, 0, 0, 0.66)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.5)',
    colorTextDisabled: 'rgba(0, 0, 0, 0.5)',
    borderRadius: 4,
  },
  components: {
    // an empty table's words are drawn in the disabled grey (3.94:1): they are text to read
    Table: { colorTextDisabled: 'rgba(0, 0, 0, 0.62)' },
    // an open date picker draws the days of the months before and after in the disabled grey (3.6:1
    // on its hover grey): they are dates one can pick
    DatePicker: { colorTextDisabled: 'rgba(0, 0, 0, 0.62)' },
  },
};
