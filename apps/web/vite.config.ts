import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createHash } from 'node:crypto';

// One copy of ajv's helpers: @rjsf/validator-ajv8 asks for ajv-formats 2 and @rjsf/utils for
// fast-uri 4, core uses ajv-formats 3 and ajv's fast-uri 3 (same API for what they call).
const fromCore = createRequire(fileURLToPath(new URL('../../packages/core/package.json', import.meta.url)));
const fromAjv = createRequire(fromCore.resolve('ajv/package.json'));
const ajvFormats = dirname(fromCore.resolve('ajv-formats/package.json'));
const fastUri = dirname(fromAjv.resolve('fast-uri/package.json'));

const api = process.env.YUANPING_API ?? 'http://127.0.0.1:3100';

// the theme of the app's ConfigProvider (src/App.tsx): the extracted styles below are those of this theme
import { THEME } from './src/theme';

/**
 * antd's styles for the components of the application page and the review page (its tables,
 * segmented filters; the header's bell: badge, popover), as a CSS file made at build time
 * (antd's documented "extract to a static CSS file" way: the file ends with the map of the
 * style paths it holds, which antd's runtime reads once): on the page, antd neither builds
 * these styles in JavaScript nor injects and looks them up as <style> elements (hundreds of
 * milliseconds of the main thread on a loaded machine). Components not rendered here (tabs,
 * modals, drawers, …) keep their styles made at run time, as before; so would all of them if the
 * theme above and App.tsx's disagreed (the bench prints how many antd <style> elements a page has).
 */
async function antdStyles(): Promise<string> {
  const req = createRequire(import.meta.url);
  const fromAntd = createRequire(req.resolve('antd/package.json'));
  const React = req('react') as typeof import('react');
  const { renderToString } = req('react-dom/server') as typeof import('react-dom/server');
  const antd = req('antd') as typeof import('antd');
  const { createCache, StyleProvider, extractStyle } = fromAntd('@ant-design/cssinjs') as typeof import('@ant-design/cssinjs');
  const h = React.createElement;
  const { Alert, App, Badge, Button, Card, Checkbox, Col, ConfigProvider, Divider, Empty, Form, Input, InputNumber, Layout, List, Pagination, Popover, Radio, Row, Segmented, Space, Spin, Table, Tag, Timeline, Tooltip, Typography } = antd;
  const parts = [
    h(Layout, null, h(Layout.Header), h(Layout.Content)),
    h(Space), h(Space.Compact), h(Typography.Title), h(Typography.Text), h(Typography.Paragraph), h(Button), h(Spin), h(Alert, { message: '' }), h(Card), h(Row, null, h(Col)), h(Tag),
    h(Form, null, h(Form.Item, { label: '' }, h(Input))), h(Input), h(Input.TextArea), h(InputNumber), h(Radio.Group), h(Radio), h(Checkbox.Group), h(Checkbox), h(Divider), h(Empty), h(List), h(Timeline),
    h(Table, { columns: [{ title: '', dataIndex: 'a', key: 'a' }], dataSource: [{ key: 1, a: '' }], pagination: false }), h(Pagination, { total: 20 }), h(Segmented, { options: [''] }), h(Badge, { count: 1 }), h(Popover, { content: '' }, h('span')), h(Tooltip, { title: '' }, h('span')),
  ];
  const cache = createCache();
  renderToString(h(StyleProvider, { cache }, h(ConfigProvider, { theme: THEME }, h(App, null, ...parts))));
  return extractStyle(cache, { plain: true });
}

function antdStaticStyles(): Plugin {
  let file = '';
  return {
    name: 'yp-antd-static-styles',
    apply: 'build',
    async buildStart() {
      const css = await antdStyles();
      file = `assets/antd-${createHash('sha256').update(css).digest('base64url').slice(0, 8)}.css`;
      this.emitFile({ type: 'asset', fileName: file, source: css });
    },
    // after index.html's inline script (a style sheet before it would hold it up until loaded), before the app's CSS
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace('<!--yp:antd-css-->', file ? `<link rel="stylesheet" crossorigin href="/${file}">` : ''),
    },
  };
}

/**
 * Writes into index.html, for each page a direct visit fetches ahead (the application page, the
 * review page), the files of the page's code that the entry does not already preload (the page's
 * chunk and its imports, their CSS), so that a direct visit fetches them with the entry instead
 * of after it has run (see index.html).
 */
const ROUTE_PAGES = { application: '/src/pages/ApplicationPage.tsx', review: '/src/pages/ReviewPage.tsx' };
function routePagePreload(): Plugin {
  const MARK = '/*yp:route-chunks*/{}';
  return {
    name: 'yp-route-page-preload',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle || !html.includes(MARK)) return html.replace(MARK, '{}');
        const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const entry = chunks.find((c) => c.isEntry);
        if (!entry) throw new Error('route page preload: no entry chunk');
        const closure = (name: string, into: Set<string>) => {
          if (into.has(name)) return;
          into.add(name);
          const c = bundle[name];
          if (c?.type === 'chunk') c.imports.forEach((i) => closure(i, into));
        };
        const loaded = new Set<string>();
        closure(entry.fileName, loaded);
        const out: Record<string, string[]> = {};
        for (const [route, source] of Object.entries(ROUTE_PAGES)) {
          const page = chunks.find((c) => c.facadeModuleId?.replace(/\\/g, '/').endsWith(source));
          if (!page) throw new Error(`route page preload: no chunk for src${source.slice(4)}`);
          const needed = new Set<string>();
          closure(page.fileName, needed);
          const files: string[] = [];
          for (const f of needed) {
            if (loaded.has(f)) continue;
            files.push(`/${f}`);
            const css = (bundle[f] as { viteMetadata?: { importedCss?: Set<string> } } | undefined)?.viteMetadata?.importedCss;
            css?.forEach((c) => files.push(`/${c}`));
          }
          out[route] = files;
        }
        return html.replace(MARK, JSON.stringify(out));
      },
    },
  };
}

/**
 * codemirror-json-schema's markdown renderer (shiki: a WebAssembly engine and grammars loaded when
 * the module is imported) replaced by plain text (src/pages/workbench/cm-markdown-stub.ts).
 */
function codemirrorJsonSchemaPlainText(): Plugin {
  const stub = fileURLToPath(new URL('./src/pages/workbench/cm-markdown-stub.ts', import.meta.url));
  return {
    name: 'yp-cm-json-schema-plain-text',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /codemirror-json-schema[\\/]dist[\\/]/.test(importer) && /(^|\/)utils\/markdown(\.js)?$/.test(source)) return stub;
      return null;
    },
  };
}

export default defineConfig({
  // each built asset also as .br and .gz (the server sends them as they are: no compression per
  // request); index.html is not: the server writes a nonce into it per request
  plugins: [codemirrorJsonSchemaPlainText(), react(), routePagePreload(), antdStaticStyles(), compression({ include: /\.(js|mjs|css|json|svg|txt|wasm)$/, threshold: 1024, algorithms: ['brotliCompress', 'gzip'] })],
  resolve: {
    alias: [
      { find: /^markdown-to-jsx(\/react)?$/, replacement: fileURLToPath(new URL('./src/form/markdown-stub.tsx', import.meta.url)) },
      { find: /^ajv-formats$/, replacement: ajvFormats },
      { find: /^fast-uri$/, replacement: fastUri },
    ],
  },
  server: { port: 5173, proxy: { '/api': api } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
});
