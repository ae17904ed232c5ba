import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';

// An internal function returning a memory struct is modelled when the struct is its one return value
// (test/diff/contracts/StructCalls.sol on the EVM). Next to other return values its members would be
// taken for the later results by position: `(, uint256 n) = _two(i)` once read a struct member as `n`.
it('refuses internal functions returning a struct next to other values', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-structcalls-'));
  const file = path.join(dir, 'T.sol');
  writeFileSync(file, `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract T {
    struct P { uint48 k; uint208 v; }
    P[] ps;
    function _one(uint256 i) internal view returns (P memory) { return ps[i]; }
    function _two(uint256 i) internal view returns (P memory p, uint256 n) { p = ps[i]; n = ps.length; }
    function skipped(uint256 i) external view returns (uint256) { (, uint256 n) = _two(i); return n; }
    function declared(uint256 i) external view returns (uint256) { (P memory p, uint256 n) = _two(i); return n + p.v; }
    function one(uint256 i) external view returns (uint208) { P memory p = _one(i); return p.v; }
}
`);
  const comp = await compileFile(file);
  const ir = lowerContract(comp, selectContract(comp, 'T'));
  const r = Object.fromEntries(ir.functions.map((f) => [f.signature, f.body.ok ? 'ok' : f.body.unsupported.construct]));
  expect(r['skipped(uint256)']).toMatch(/_two returning a struct next to other return values/);
  expect(r['declared(uint256)']).toMatch(/_two returning a struct next to other return values|variable of type struct/);
  expect(r['one(uint256)']).toBe('ok');
});
