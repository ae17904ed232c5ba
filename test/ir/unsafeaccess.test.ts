import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';

// The exact `_unsafeAccess` shape over one-slot elements is modelled (checked on the EVM by
// test/diff/contracts/UnsafeAccess.sol); anything else stays unsupported.
it('refuses assembly element access over multi-slot elements and near-miss shapes', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-unsafe-'));
  const file = path.join(dir, 'C.sol');
  writeFileSync(file, `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract C {
    struct Big { uint256 a; uint256 b; }
    struct Small { uint48 k; uint208 v; }
    Big[] private bigs;
    Small[] private smalls;
    function _big(Big[] storage self, uint256 pos) private pure returns (Big storage result) {
        assembly {
            mstore(0, self.slot)
            result.slot := add(keccak256(0, 0x20), pos)
        }
    }
    function _offByOne(Small[] storage self, uint256 pos) private pure returns (Small storage result) {
        assembly {
            mstore(0, self.slot)
            result.slot := add(keccak256(0, 0x20), add(pos, 1))
        }
    }
    function _small(Small[] storage self, uint256 pos) private pure returns (Small storage result) {
        assembly {
            mstore(0, self.slot)
            result.slot := add(keccak256(0, 0x20), pos)
        }
    }
    function big(uint256 i) external view returns (uint256) { return _big(bigs, i).b; }
    function shifted(uint256 i) external view returns (uint208) { return _offByOne(smalls, i).v; }
    function small(uint256 i) external view returns (uint208) { return _small(smalls, i).v; }
}
`);
  const comp = await compileFile(file);
  const ir = lowerContract(comp, selectContract(comp, 'C'));
  const r = Object.fromEntries(ir.functions.map((f) => [f.signature, f.body.ok ? 'ok' : f.body.unsupported.construct]));
  expect(r['big(uint256)']).toMatch(/_big \(assembly element access\) of an array whose elements are not one slot each/);
  expect(r['shifted(uint256)']).toMatch(/storage pointer returned by _offByOne other than by one final return/);
  expect(r['small(uint256)']).toBe('ok');
});
