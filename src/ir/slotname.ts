import type { StorageVar } from './types.ts';

const hex = (x: bigint) => '0x' + x.toString(16);

/**
 * A readable name for a canonical storage key (root, shape, key and offset words; see smt/storage.ts):
 * the variable declared at or before the root slot, then `[key]` per mapping step, `[i]` per array
 * data step, with slot offsets shown as `+n` (struct members and elements wider than one slot) when
 * the variable's layout is not known in more detail.
 */
export function slotName(vars: readonly StorageVar[], root: bigint, shape: string, keys: readonly bigint[]): string {
  const atRoot = [...new Set(vars.filter((s) => s.slot === root).map((s) => s.name))];
  let name: string;
  if (atRoot.length) name = atRoot.join('/');
  else {
    const below = vars.filter((s) => s.slot < root).sort((a, b) => (a.slot < b.slot ? 1 : a.slot > b.slot ? -1 : 0))[0];
    name = below ? `${below.name}+${root - below.slot}` : `slot ${hex(root)}`;
  }
  let j = 0;
  for (const kind of shape) {
    if (kind === 'k') name += `[${hex(keys[j++] ?? 0n)}]`;
    const off = keys[j++] ?? 0n;
    if (kind === 'd') name += `.data[+${off}]`;
    else if (off !== 0n) name += `+${off}`;
  }
  return name;
}
