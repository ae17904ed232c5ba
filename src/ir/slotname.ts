import { storageSlots, type StorageType, type StorageVar } from './types.ts';

const hex = (x: bigint) => '0x' + x.toString(16);

/**
 * A readable name for a canonical storage key (root, shape letters k/m/d, key and offset words; see smt/storage.ts),
 * following the variable's layout where it is known: `positions[0x1].amount`, `queue[3]`,
 * `queue.length`, `admins[2]`; several value members packed into one word are joined with `/`.
 * Without a layout: the variable at the root slot, `[key]` per mapping step, `.data[+n]` per array data
 * step and `+n` for other offsets.
 */
export function slotName(vars: readonly StorageVar[], root: bigint, shape: string, keys: readonly bigint[]): string {
  const names = new Set<string>();
  for (const v of vars) {
    if (!v.layout || root < v.slot || root >= v.slot + storageSlots(v.layout)) continue;
    const n = walk(v.name, v.layout, root - v.slot, shape, keys);
    if (n !== null) names.add(n);
  }
  if (names.size > 0) return [...names].join('/');
  return generic(vars, root, shape, keys);
}

/** Names the word at slot offset `r` inside a value of type `t`, then the remaining hashed steps. */
function walk(name: string, t: StorageType, r: bigint, shape: string, keys: readonly bigint[]): string | null {
  switch (t.kind) {
    case 'value':
      return shape === '' && r === 0n ? name : null;
    case 'struct': {
      const here = t.members.filter((m) => m.slot <= r && r < m.slot + storageSlots(m.type));
      if (here.length === 0) return null;
      if (here.length > 1 || here[0]!.type.kind === 'value') {
        if (shape !== '' || here.some((m) => m.type.kind !== 'value')) return null;
        return `${name}.${here.map((m) => m.name).join('/')}`;
      }
      const m = here[0]!;
      return walk(`${name}.${m.name}`, m.type, r - m.slot, shape, keys);
    }
    case 'array': {
      const size = storageSlots(t.elem);
      // Packed value elements share a word: name the range of indexes it holds.
      const per = t.elem.kind === 'value' && t.elem.bytes <= 16 ? BigInt(Math.floor(32 / t.elem.bytes)) : null;
      const at = (w: bigint): string => (per === null ? `${name}[${w / size}]` : `${name}[${w * per}..${w * per + per - 1n}]`);
      if (t.length !== null) return walk(at(r), t.elem, per === null ? r % size : 0n, shape, keys);
      if (r !== 0n) return null;
      if (shape === '') return `${name}.length`;
      if (shape[0] !== 'd') return null;
      const off = keys[0] ?? 0n;
      return walk(at(off), t.elem, per === null ? off % size : 0n, shape.slice(1), keys.slice(1));
    }
    case 'bytes':
      if (r !== 0n || (shape !== '' && shape !== 'd')) return null;
      return shape === '' ? name : `${name}.data[+${keys[0] ?? 0n}]`;
    case 'mapping': {
      if (r !== 0n || (shape[0] !== 'k' && shape[0] !== 'm')) return null;
      const n = shape[0] === 'm' ? 2 : 1;
      return walk(`${name}[${hex(keys[0] ?? 0n)}]`, t.value, n === 2 ? (keys[1] ?? 0n) : 0n, shape.slice(1), keys.slice(n));
    }
  }
}

function generic(vars: readonly StorageVar[], root: bigint, shape: string, keys: readonly bigint[]): string {
  const atRoot = [...new Set(vars.filter((s) => s.slot === root).map((s) => s.name))];
  let name: string;
  if (atRoot.length) name = atRoot.join('/');
  else {
    const below = vars.filter((s) => s.slot < root).sort((a, b) => (a.slot < b.slot ? 1 : a.slot > b.slot ? -1 : 0))[0];
    name = below ? `${below.name}+${root - below.slot}` : `slot ${hex(root)}`;
  }
  let j = 0;
  for (const kind of shape) {
    if (kind !== 'd') name += `[${hex(keys[j++] ?? 0n)}]`;
    const off = kind === 'k' || kind === 's' ? 0n : (keys[j++] ?? 0n);
    if (kind === 'd') name += `.data[+${off}]`;
    else if (off !== 0n) name += `+${off}`;
  }
  return name;
}
