// `pnpm gen:examples`: writes the samples of examples/ (list: examples/examples.json) from the
// data they are made of — fixtures' inputs and records, or the hand-written JSON beside them:
// submissions as JSON, table forms as their official xlsx layout.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadPack, type Form } from '@yuanping/core';
import { exportXlsx, type TableForm } from '@yuanping/tables';
import { exampleData, exampleList, EXAMPLES, REPO } from '../test/examples/examples.js';

const list = exampleList();
for (const e of list.submissions) {
  const out = join(EXAMPLES, e.file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(exampleData(e), null, 2) + '\n');
  console.log(`写入 examples/${e.file}`);
}
for (const e of list.tables) {
  const pack = await loadPack(e.pack, { root: REPO });
  const form: Form | undefined = pack.forms.get(e.form);
  if (form?.kind !== 'table') throw new Error(`${e.pack} 没有表格表单 ${e.form}`);
  const out = join(EXAMPLES, e.file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await exportXlsx(form.schema as TableForm, exampleData(e) as Record<string, unknown>));
  console.log(`写入 examples/${e.file}`);
}
