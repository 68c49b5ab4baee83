/**
 * How a form is split into small rjsf forms (the web app renders each node as its own form; the
 * server precompiles a validator for each node's schema: rjsf validates against each node's root).
 * Pure: a function of the form's schema and the `ui:order`s of its ui schema.
 */
type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A schema with its local `$ref`s (`#/…`) followed, the referring schema's other keywords kept. */
export function deref(root: Json, s: Json): Json {
  let cur = s;
  for (let i = 0; i < 8 && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/'); i++) {
    let t: unknown = root;
    for (const tok of cur.$ref.slice(2).split('/')) t = isObj(t) ? t[tok] : undefined;
    if (!isObj(t)) break;
    const { $ref: _r, ...rest } = cur;
    cur = { ...t, ...rest };
  }
  return cur;
}

/**
 * The layout of a form as a tree of small rjsf forms, so a keystroke re-renders only the
 * small form it happened in (rjsf re-renders every field of a form on each change):
 * - a "form" node renders some properties of one object (`path`: where the object is, `keys`;
 *   `keys` null: the whole object, for a form that is not split);
 * - a "group" node is an object with many sub-objects (a scorecard's items): a frame with its
 *   title around the nodes of its properties.
 * Objects with rules across their properties (allOf, if/then, dependencies, …) stay one form.
 */
export type FormNode = { kind: 'form'; id: string; path: string[]; keys: string[] | null; schema: Json; ui: Json };
export type LayoutNode = FormNode | { kind: 'group'; id: string; path: string[]; title: string; description: string; children: LayoutNode[] };

const CROSS_RULES = ['allOf', 'anyOf', 'oneOf', 'if', 'not', 'dependencies', 'dependentRequired', 'dependentSchemas', 'patternProperties'];
const NO_SUBMIT = { 'ui:submitButtonOptions': { norender: true } };

function orderedKeys(props: Json, ui: Json): string[] {
  const keys = Object.keys(props);
  const order = Array.isArray(ui['ui:order']) ? (ui['ui:order'] as string[]) : [];
  if (order.length === 0) return keys;
  const star = order.indexOf('*');
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i >= 0 ? i : star >= 0 ? star : 1e6;
  };
  return [...keys].sort((x, y) => rank(x) - rank(y));
}

function layoutOf(root: Json, obj: Json, ui: Json, path: string[], depth: number): LayoutNode[] | null {
  if (!isObj(obj.properties)) return null;
  if (CROSS_RULES.some((k) => obj[k] !== undefined)) return null;
  const props = obj.properties;
  const keys = orderedKeys(props, ui);
  const objectKeys = keys.filter((k) => isObj(props[k]) && deref(root, props[k] as Json).type === 'object');
  const inner = new Map<string, LayoutNode[] | null>();
  for (const k of objectKeys) {
    const childUi = (isObj(ui[k]) ? ui[k] : {}) as Json;
    inner.set(k, layoutOf(root, deref(root, props[k] as Json), childUi, [...path, k], depth + 1));
  }
  // worth splitting: several groups at the top, many items in a group, or a group below worth it
  if (objectKeys.length < (depth === 0 ? 2 : 6) && ![...inner.values()].some(Boolean)) return null;
  const defs = { ...(isObj(root.definitions) ? { definitions: root.definitions } : {}), ...(isObj(root.$defs) ? { $defs: root.$defs } : {}) };
  const required = Array.isArray(obj.required) ? (obj.required as string[]) : [];
  const out: LayoutNode[] = [];
  let loose: string[] = [];
  const flush = () => {
    if (!loose.length) return;
    const ks = loose;
    loose = [];
    const sub: Json = { ...defs, type: 'object', properties: Object.fromEntries(ks.map((k) => [k, props[k]])) };
    const req = required.filter((r) => ks.includes(r));
    if (req.length) sub.required = req;
    const subUi: Json = { ...NO_SUBMIT, 'ui:order': ks, ...Object.fromEntries(ks.filter((k) => isObj(ui[k])).map((k) => [k, ui[k]])) };
    out.push({ kind: 'form', id: [...path, ks[0] ?? ''].join('.'), path, keys: ks, schema: sub, ui: subUi });
  };
  for (const k of keys) {
    const raw = props[k];
    if (!isObj(raw)) continue;
    const child = deref(root, raw);
    if (child.type !== 'object') {
      loose.push(k);
      continue;
    }
    flush();
    const childUi = (isObj(ui[k]) ? ui[k] : {}) as Json;
    const nested = inner.get(k) ?? null;
    if (nested) {
      out.push({
        kind: 'group',
        id: [...path, k].join('.'),
        path: [...path, k],
        title: typeof child.title === 'string' ? child.title : k,
        description: typeof child.description === 'string' ? child.description : '',
        children: nested,
      });
    } else {
      const sub: Json = { ...defs, type: 'object', properties: { [k]: raw }, ...(required.includes(k) ? { required: [k] } : {}) };
      out.push({ kind: 'form', id: [...path, k].join('.'), path, keys: [k], schema: sub, ui: { ...NO_SUBMIT, [k]: childUi } as Json });
    }
  }
  flush();
  return out;
}


/** The layout of a whole form: its nodes, or one node of the whole form when it is not split. */
export function formLayout(schema: Json, ui: Json): LayoutNode[] {
  return layoutOf(schema, schema, ui, [], 0) ?? [{ kind: 'form', id: '', path: [], keys: null, schema, ui }];
}

/** Ids of the form nodes in document order. */
export function formNodes(layout: LayoutNode[]): FormNode[] {
  const list: FormNode[] = [];
  const walk = (ns: LayoutNode[]) => ns.forEach((n) => (n.kind === 'form' ? list.push(n) : walk(n.children)));
  walk(layout);
  return list;
}

