import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'test-results/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['@yuanping/*/src/*', '**/packages/*/src/**'], message: '只能通过包的 exports 引用（no deep imports）' }] }],
    },
  },
  {
    // the web app's API types come from the server's OpenAPI document (apps/web/src/api/schema.d.ts,
    // `pnpm gen:api`): calls name an operation by its path template and get their answer's type from it
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ignores: ['apps/web/src/lib/api.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='api'][typeArguments]", message: 'API 的答复类型来自生成的 schema（按路径模板）：不要写类型参数' },
        { selector: "CallExpression[callee.name=/^(request|upload)$/][typeArguments]", message: 'API 的答复类型来自生成的 schema（按路径模板）：不要写类型参数' },
        { selector: "TSAsExpression > AwaitExpression > CallExpression[callee.object.name='api']", message: '不要对 API 的答复做类型断言：改服务器的答复 schema，再 pnpm gen:api' },
        { selector: "TSAsExpression > CallExpression[callee.object.name='api']", message: '不要对 API 的答复做类型断言：改服务器的答复 schema，再 pnpm gen:api' },
        { selector: "TSAsExpression > MemberExpression[property.name='body']", message: '不要对 API 的答复做类型断言：改服务器的答复 schema，再 pnpm gen:api' },
        { selector: 'TSInterfaceDeclaration[id.name=/(Response|Answer|Reply)$/]', message: 'API 的答复类型不要手写：用 lib/api.ts 的 Answer<路径, 方法>（生成的 schema）' },
      ],
    },
  },
  {
    // the server's handlers get their request types from the route schemas (json-schema-to-ts type
    // provider): a cast of what the request carries would hide a schema that says something else
    files: ['apps/server/src/**/*.ts'],
    ignores: ['apps/server/src/**/*.test.ts', 'apps/server/src/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression > MemberExpression[object.name=/^(req|request)$/][property.name=/^(body|query|params)$/]",
          message: '不要对请求内容做类型断言：在路由 schema 中声明（类型由 json-schema-to-ts 推出）',
        },
      ],
    },
  },
  {
    // JSON comes through lib/api.ts; fetch is for bytes (downloads, attachments) and streams (the impact preview)
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ignores: ['apps/web/src/lib/api.ts', 'apps/web/src/lib/download.ts', 'apps/web/src/lib/workbench.ts', 'apps/web/src/pages/print-materials.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'fetch', message: 'JSON 请求用 lib/api.ts 的 api / request（类型按路径来自生成的 schema）' }],
    },
  },
);
