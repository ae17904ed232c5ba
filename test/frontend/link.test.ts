import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { libraryAddress, linkRuntime } from '../../src/frontend/link.ts';
import { projectRoot } from '../cli/helpers.ts';

describe('linking external libraries', () => {
  it('fills every placeholder with the library address and deploys the library there, self-addressed', async () => {
    const file = path.join(projectRoot, 'fixtures/calls-vault-external-mathlib/old.sol');
    const comp = await compileFile(file);
    const vault = selectContract(comp, 'ShareVault');
    expect(vault.deployedBytecode).toContain('__$');
    const { code, libraries } = linkRuntime(comp, vault);
    expect(code).toMatch(/^0x[0-9a-f]+$/);
    const at = libraryAddress('old.sol', 'MathLib');
    expect([...libraries.keys()]).toEqual([at]);
    const hex = at.toString(16).padStart(40, '0');
    expect(code).toContain(hex);
    // The library's call protection compares against its own address, which deployment fills in.
    expect(libraries.get(at)!.startsWith('0x73' + hex)).toBe(true);
  });

  it('leaves code without libraries unchanged', async () => {
    const comp = await compileFile(path.join(projectRoot, 'fixtures/example/old.sol'));
    const c = comp.contracts.at(-1)!;
    expect(linkRuntime(comp, c)).toEqual({ code: c.deployedBytecode, libraries: new Map() });
  });
});
