/**
 * The app's antd theme, used by its ConfigProvider (src/App.tsx) and by the build, which
 * extracts these styles to a static CSS file (vite.config.ts): one theme, or the two disagree.
 *
 * Colours: the primary (buttons, links, the focus ring) is blue and the error state red, so a
 * focused field never looks like a wrong one; secondary and help text, status words and tags
 * are dark enough for 4.5:1 on white and on the page's grey (WCAG AA).
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
    colorTextDescription: 'rgba(0, 0, 0, 0.66)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.5)',
    colorTextDisabled: 'rgba(0, 0, 0, 0.5)',
    borderRadius: 4,
  },
};
