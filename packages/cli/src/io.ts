import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { YuanpingError } from '@yuanping/core';

/** Exit codes: 0 clean, 1 problems found, 2 usage error. */
export const EXIT = { OK: 0, PROBLEMS: 1, USAGE: 2 } as const;

export class UsageError extends Error {}

export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`读不到文件 ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    if (!m) throw new UsageError(`${path} 不是合法的 JSON（文件不完整或为空）`);
    const before = text.slice(0, Number(m[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new UsageError(`${path} 不是合法的 JSON：第 ${line} 行第 ${column} 列附近有格式错误（常见原因：缺少逗号或引号、多了逗号、括号不配对）`);
  }
}

/** Every pack id under `<root>/schemas/`. */
export async function allPackIds(root: string): Promise<string[]> {
  try {
    const entries = await readdir(join(root, 'schemas'), { withFileTypes: true });
    const ids: string[] = [];
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      try {
        await readFile(join(root, 'schemas', e.name, 'pack.json'));
        ids.push(e.name);
      } catch {
        /* not a pack */
      }
    }
    return ids.sort();
  } catch {
    return [];
  }
}

export function describeError(err: unknown): string {
  if (err instanceof YuanpingError) return `${err.code}：${err.message}`;
  if (err instanceof UsageError) return err.message;
  return (err as Error).stack ?? String(err);
}

/** Questions on the terminal: `ask(question, suggestion)` shows the suggestion; an empty answer returns ''. */
export async function withPrompt<T>(fn: (ask: (question: string, suggestion: string) => Promise<string>) => Promise<T>): Promise<T> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await fn((q, suggestion) => rl.question(`${q} [${suggestion}]：`));
  } finally {
    rl.close();
  }
}
