import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * How a project's imports resolve, read from its root: Foundry's foundry.toml (`src`, `libs`,
 * `remappings`) and remappings.txt, or a Hardhat layout (hardhat.config.* : direct imports that are not
 * project files come from node_modules, under the import path as unit name, as Hardhat names them).
 * Only read when a root is given explicitly (--root, --old-root, --new-root).
 */
export interface ProjectConfig {
  readonly kind: 'foundry' | 'hardhat' | 'plain';
  /** solc remappings `[context:]prefix=target`, targets relative to the root; most specific first. */
  readonly remappings: readonly Remapping[];
  /** Hardhat: a direct import that is not a file under the root is looked up in node_modules. */
  readonly nodeModules: boolean;
  /** Source directory (Foundry `src`, default src; Hardhat contracts). */
  readonly src: string;
  /**
   * Compiler settings the project sets (Foundry: `optimizer`, `optimizer_runs`, `evm_version`), so the
   * code compiled is the code the project builds. Hardhat's config is a program and is not run: use its
   * build-info for its exact settings.
   */
  readonly settings?: { readonly optimizer?: { readonly enabled: boolean; readonly runs?: number }; readonly evmVersion?: string };
  /** Foundry `via_ir = true`: refused by compile.ts (the lowering models the legacy pipeline). */
  readonly viaIR?: boolean;
}

export interface Remapping {
  readonly context: string;
  readonly prefix: string;
  readonly target: string;
}

export async function readProject(root: string): Promise<ProjectConfig> {
  const toml = await fs.readFile(path.join(root, 'foundry.toml'), 'utf8').catch(() => undefined);
  if (toml !== undefined) return foundry(root, toml);
  const names = await fs.readdir(root).catch(() => [] as string[]);
  if (names.some((n) => /^hardhat\.config\.(c|m)?(j|t)s$/.test(n))) return { kind: 'hardhat', remappings: [], nodeModules: true, src: 'contracts' };
  return { kind: 'plain', remappings: [], nodeModules: false, src: '.' };
}

async function foundry(root: string, toml: string): Promise<ProjectConfig> {
  const profile = defaultProfile(toml);
  const src = stringOf(profile.get('src')) ?? 'src';
  const libs = arrayOf(profile.get('libs')) ?? ['lib'];
  const explicit = [...(arrayOf(profile.get('remappings')) ?? [])];
  const txt = await fs.readFile(path.join(root, 'remappings.txt'), 'utf8').catch(() => '');
  explicit.push(...txt.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')));
  // Foundry's automatic ones: every library directory under `libs` as `<name>/` (its src/ when it has one).
  const auto: string[] = [];
  for (const lib of libs) {
    for (const e of await fs.readdir(path.join(root, lib), { withFileTypes: true }).catch(() => [])) {
      if (!e.isDirectory()) continue;
      const hasSrc = await fs.stat(path.join(root, lib, e.name, 'src')).then((s) => s.isDirectory(), () => false);
      auto.push(`${e.name}/=${lib}/${e.name}/${hasSrc ? 'src/' : ''}`);
    }
  }
  const parsed = [...explicit, ...auto].map(parseRemapping).filter((r): r is Remapping => r !== undefined);
  // An explicit remapping overrides the automatic one of the same prefix.
  const seen = new Set<string>();
  const remappings = parsed.filter((r) => {
    const k = `${r.context}:${r.prefix}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const optimizer = booleanOf(profile.get('optimizer'));
  const runs = numberOf(profile.get('optimizer_runs'));
  const evmVersion = stringOf(profile.get('evm_version'));
  const settings = {
    ...(optimizer === undefined && runs === undefined ? {} : { optimizer: { enabled: optimizer ?? false, ...(runs === undefined ? {} : { runs }) } }),
    ...(evmVersion === undefined ? {} : { evmVersion }),
  };
  return { kind: 'foundry', remappings, nodeModules: false, src, ...(Object.keys(settings).length ? { settings } : {}), ...(booleanOf(profile.get('via_ir')) === true ? { viaIR: true } : {}) };
}

function booleanOf(v: string | undefined): boolean | undefined {
  const t = v?.trim();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

function numberOf(v: string | undefined): number | undefined {
  const t = v?.trim().replace(/_/g, '');
  return t !== undefined && /^\d+$/.test(t) ? Number(t) : undefined;
}

export function parseRemapping(s: string): Remapping | undefined {
  const m = /^(?:([^:=]*):)?([^=]+)=(.*)$/.exec(s.trim());
  if (m === null) return undefined;
  return { context: m[1] ?? '', prefix: m[2]!, target: m[3]! };
}

export function formatRemapping(r: Remapping): string {
  return `${r.context === '' ? '' : `${r.context}:`}${r.prefix}=${r.target}`;
}

/** solc's rule: among remappings whose context prefixes the importer, the longest context, then the longest prefix. */
export function applyRemappings(remappings: readonly Remapping[], importer: string, imp: string): string {
  let best: Remapping | undefined;
  for (const r of remappings) {
    if (!importer.startsWith(r.context) || !imp.startsWith(r.prefix)) continue;
    if (best === undefined || r.context.length > best.context.length || (r.context.length === best.context.length && r.prefix.length > best.prefix.length)) best = r;
  }
  return best === undefined ? imp : best.target + imp.slice(best.prefix.length);
}

/** The keys of `[profile.default]` (or of the top level before any table), as their raw TOML text. */
function defaultProfile(toml: string): Map<string, string> {
  const out = new Map<string, string>();
  let table = '';
  // Arrays may span lines: join the text of a key until its brackets balance.
  let pending: { key: string; text: string } | undefined;
  for (const raw of toml.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (pending !== undefined) {
      pending.text += ' ' + line;
      if (balanced(pending.text)) {
        if (table === 'profile.default' || table === '') out.set(pending.key, pending.text);
        pending = undefined;
      }
      continue;
    }
    const t = /^\[([^\]]+)\]$/.exec(line);
    if (t !== null) {
      table = t[1]!.trim();
      continue;
    }
    const kv = /^([A-Za-z0-9_-]+)\s*=\s*(.*)$/.exec(line);
    if (kv === null) continue;
    if (!balanced(kv[2]!)) pending = { key: kv[1]!, text: kv[2]! };
    else if (table === 'profile.default' || table === '') out.set(kv[1]!, kv[2]!);
  }
  return out;
}

function balanced(s: string): boolean {
  return (s.match(/\[/g)?.length ?? 0) === (s.match(/\]/g)?.length ?? 0);
}

function stringOf(v: string | undefined): string | undefined {
  const m = v === undefined ? null : /^["']([^"']*)["']$/.exec(v.trim());
  return m === null ? undefined : m[1];
}

function arrayOf(v: string | undefined): string[] | undefined {
  if (v === undefined || !v.trim().startsWith('[')) return undefined;
  return [...v.matchAll(/["']([^"']*)["']/g)].map((m) => m[1]!);
}
