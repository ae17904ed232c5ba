import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';

// Internal function pointers named directly as arguments are modelled (checked on the EVM by
// test/diff/contracts/FnPointers.sol); pointers from anywhere else, or reassigned, stay unsupported.
it('refuses function pointers that are not named directly or are reassigned', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-fnptr-'));
  const file = path.join(dir, 'C.sol');
  writeFileSync(file, `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract C {
    uint256 public x;
    function _inc(uint256 a) internal pure returns (uint256) { return a + 1; }
    function _dec(uint256 a) internal pure returns (uint256) { return a - 1; }
    function _apply(function(uint256) pure returns (uint256) f, uint256 a) internal pure returns (uint256) { return f(a); }
    function _swap(function(uint256) pure returns (uint256) f, uint256 a) internal pure returns (uint256) {
        if (a > 10) f = _dec;
        return f(a);
    }
    function direct(uint256 a) external pure returns (uint256) { return _apply(_inc, a); }
    function chosen(uint256 a, bool up) external pure returns (uint256) { return _apply(up ? _inc : _dec, a); }
    function reassigned(uint256 a) external pure returns (uint256) { return _swap(_inc, a); }
}
`);
  const comp = await compileFile(file);
  const ir = lowerContract(comp, selectContract(comp, 'C'));
  const r = Object.fromEntries(ir.functions.map((f) => [f.signature, f.body.ok ? 'ok' : f.body.unsupported.construct]));
  expect(r['direct(uint256)']).toBe('ok');
  expect(r['chosen(uint256,bool)']).toMatch(/internal function pointer other than a function named directly \(Conditional\)/);
  expect(r['reassigned(uint256)']).toMatch(/internal function pointer parameter f assigned in its function/);
});
