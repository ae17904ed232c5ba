import { keccakHex } from '../util/hash.ts';
import { PatchproofError } from './errors.ts';
import type { Compilation, ContractOutput } from './compile.ts';

/**
 * Linking runtime code that calls external libraries (public/external library functions run by
 * DELEGATECALL at an address filled in at deployment). patchproof links each library at a fixed address
 * derived from its source unit and name, and deploys the library's runtime code compiled from the same
 * sources there: the assumption every verdict on such code rests on is that the deployed contract is
 * linked against exactly these libraries (which the certificate binds through the linked code's hash).
 */

export interface LinkedRuntime {
  /** The runtime code with every library placeholder replaced, 0x-hex. */
  readonly code: string;
  /** Runtime code of every library it reaches (also through other libraries), by address. */
  readonly libraries: ReadonlyMap<bigint, string>;
}

/** The address patchproof links library `name` of source unit `unit` at (never a small or precompile address). */
export function libraryAddress(unit: string, name: string): bigint {
  return BigInt('0x' + keccakHex(`patchproof.library:${unit}:${name}`).slice(-40)) | (1n << 156n);
}

export function linkRuntime(comp: Compilation, contract: ContractOutput): LinkedRuntime {
  const libraries = new Map<bigint, string>();
  const link = (c: ContractOutput): string => {
    let code = c.deployedBytecode.startsWith('0x') ? c.deployedBytecode : '0x' + c.deployedBytecode;
    for (const [unit, libs] of Object.entries(c.linkReferences ?? {})) {
      for (const [name, refs] of Object.entries(libs)) {
        const at = libraryAddress(unit, name);
        const hex = at.toString(16).padStart(40, '0');
        for (const r of refs) code = code.slice(0, 2 + 2 * r.start) + hex + code.slice(2 + 2 * (r.start + r.length));
        if (libraries.has(at)) continue;
        const lib = comp.contracts.find((x) => x.unit === unit && x.name === name);
        if (!lib) throw new PatchproofError('compile', `library ${name} of ${unit} is linked but not in the compilation`);
        libraries.set(at, '0x');
        libraries.set(at, selfAddressed(link(lib), hex));
      }
    }
    return code;
  };
  return { code: link(contract), libraries };
}

/**
 * A library's runtime code begins with `PUSH20 <its own address>` (zero in the compiler output, filled in
 * when it is deployed) for its call protection: fill it in as deployment would.
 */
function selfAddressed(code: string, hex: string): string {
  return code.startsWith('0x73' + '00'.repeat(20)) ? '0x73' + hex + code.slice(4 + 40) : code;
}
