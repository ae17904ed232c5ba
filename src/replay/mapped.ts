import { outsidePlace, placeValue, type MappedPlace } from '../obligations/statemap.ts';
import type { Counterexample, MappedSlot } from '../verdicts/types.ts';
import { evmDifference, storageAfter, type EvmRun } from './evm.ts';

/**
 * What differs between two EVM runs compared through a state mapping (obligations/statemap.ts): as
 * `evmDifference`, except that storage is compared through R — every written slot byte for byte outside
 * the mapped places, and each mapped variable's value at its old place (old run) against its new place
 * (new run). Each run starts from its own pre-state.
 */
export function mappedEvmDifference(o: EvmRun, n: EvmRun, oldPre: ReadonlyMap<bigint, bigint>, newPre: ReadonlyMap<bigint, bigint>, mapping: NonNullable<Counterexample['stateMapping']>): string[] {
  // Everything but storage, as evmDifference sees it (storage runs are compared below).
  const rest = evmDifference({ ...o, storage: new Map() }, { ...n, storage: new Map() }, oldPre);
  if (o.status !== 'success' || n.status !== 'success') return rest;
  const place = (m: MappedSlot): MappedPlace => ({ root: 0n, offset: m.offset, bytes: m.bytes, signed: m.signed, type: '' });
  const placesAt = new Map<bigint, MappedPlace[]>();
  for (const p of mapping.places) {
    for (const side of [p.old, p.new]) {
      const slot = BigInt(side.slot);
      placesAt.set(slot, [...(placesAt.get(slot) ?? []), place(side)]);
    }
  }
  const outside = (w: bigint, slot: bigint) => (placesAt.get(slot) ?? []).reduce((x, p) => outsidePlace(x, p), w);
  const slots = new Set([...o.storage.keys(), ...n.storage.keys(), ...placesAt.keys()]);
  const storageDiffers =
    [...slots].some((s) => outside(storageAfter(o, oldPre, s), s) !== outside(storageAfter(n, newPre, s), s)) ||
    mapping.places.some((p) => placeValue(storageAfter(o, oldPre, BigInt(p.old.slot)), place(p.old)) !== placeValue(storageAfter(n, newPre, BigInt(p.new.slot)), place(p.new)));
  if (!storageDiffers) return rest;
  // Keep evmDifference's order: returnData, storage, logs, calls.
  const i = rest.findIndex((x) => x !== 'returnData');
  return i < 0 ? [...rest, 'storage'] : [...rest.slice(0, i), 'storage', ...rest.slice(i)];
}
