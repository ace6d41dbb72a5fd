// ESLint rule `linernotes/layering`: enforces the import layering described in ARCHITECTURE.md.
//   app/      the engine: may not import `electron`, nor any file under main/ or renderer/.
//   renderer/ the UI: may not import Node built-ins or `electron`; from app/ it may take types only (`import type`).
//   main/     the Electron shell: may import app/ and electron, never renderer/ code.
import path from 'node:path';
import { builtinModules } from 'node:module';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Which top-level layer (app, main, renderer, …) a file belongs to, relative to the repository root. */
export function layerOf(file, root) {
  const rel = path.relative(root, file).split(path.sep);
  return rel[0] === '..' ? undefined : rel[0];
}

/** Returns a message when `source` (as written in an import of `file`) breaks the layering, else undefined. */
export function layeringViolation(file, source, root, typeOnly = false) {
  const from = layerOf(file, root);
  const isRelative = source.startsWith('.') || source.startsWith('/');
  const target = isRelative ? layerOf(path.resolve(path.dirname(file), source), root) : undefined;
  const bare = source.split('/')[0];
  if (from === 'app') {
    if (bare === 'electron') return 'app/ is plain Node: it may not import electron';
    if (target === 'main' || target === 'renderer') return `app/ may not import from ${target}/`;
  }
  if (from === 'renderer') {
    if (builtins.has(source) || builtins.has(bare)) return `renderer/ runs in a browser: it may not import the Node built-in '${source}'`;
    if (bare === 'electron') return 'renderer/ may not import electron: use the preload bridge';
    if (target === 'main') return 'renderer/ may not import from main/';
    if (target === 'app' && !typeOnly) return 'renderer/ may import only types from app/ (use `import type`)';
  }
  if (from === 'main' && target === 'renderer') return 'main/ may not import renderer/ code';
  return undefined;
}

const rule = {
  meta: { type: 'problem', docs: { description: 'Enforce the app/main/renderer import layering' }, schema: [] },
  create(context) {
    const root = context.cwd ?? process.cwd();
    const file = context.filename ?? context.getFilename();
    function check(node, source, typeOnly) {
      if (typeof source !== 'string') return;
      const message = layeringViolation(file, source, root, typeOnly);
      if (message) context.report({ node, message });
    }
    return {
      ImportDeclaration(node) {
        const allTypes = node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
        check(node, node.source.value, allTypes);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, node.exportKind === 'type');
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, false);
      },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value, false);
        }
      },
    };
  },
};

export default { rules: { layering: rule } };
