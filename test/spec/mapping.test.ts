import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { checkStateMappings } from '../../src/spec/mapping.ts';
import { loadSpec } from '../../src/spec/prove.ts';
import { projectRoot } from '../cli/helpers.ts';
import { cacheDir } from '../diff/corpus.ts';

const dir = path.join(projectRoot, 'fixtures-migration/renamed-ledger');
const contract = async (file: string) => selectContract(await compileFile(path.join(dir, file), { cacheDir }), 'Ledger');

describe('spec state mappings against the storage layouts', () => {
  it('accepts a rename in place and reports a moved variable as not proved through', async () => {
    const spec = await loadSpec(path.join(dir, 'ledger.spec'));
    const [renamed, moved] = checkStateMappings(spec.stateMappings, await contract('old.sol'), await contract('new.sol'));
    expect(renamed!.inPlace).toBe(true);
    expect(renamed!.detail).toContain('renamed in place (slot 1, offset 0, mapping(address => uint256))');
    expect(moved!.inPlace).toBe(false);
    expect(moved!.detail).toContain('moved or retyped (old slot 2, offset 0, uint256; new slot 3, offset 0, uint256): the entry points were compared slot by slot, not through this mapping');
  });

  it('names the spec entry when a variable does not exist', async () => {
    const spec = await loadSpec(path.join(dir, 'ledger.spec'));
    const wrong = [{ ...spec.stateMappings[0]!, oldName: 'balanceOf' }];
    const [o, n] = [await contract('old.sol'), await contract('new.sol')];
    expect(() => checkStateMappings(wrong, o, n)).toThrow(/ledger\.spec:3:1: rename balanceOf -> balanceOf: the old version Ledger has no state variable balanceOf/);
  });
});
