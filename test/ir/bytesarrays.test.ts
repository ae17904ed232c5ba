import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';

// `bytes[]`/`string[]` calldata parameters (src/ir/lower/bytesarrays.ts, checked on the EVM by
// test/diff/contracts/BytesArrays.sol) and the forms around them that stay unsupported, at their
// location; `catch Error`/`catch Panic` clauses stay unsupported at the clause.

async function lower(source: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-bytesarr-'));
  const file = path.join(dir, 'C.sol');
  writeFileSync(file, source);
  const comp = await compileFile(file);
  const ir = lowerContract(comp, selectContract(comp, 'C'));
  return Object.fromEntries(ir.functions.map((f) => [f.signature, f.body.ok ? 'ok' : `${f.body.unsupported.construct} @${f.body.unsupported.loc.line}`]));
}

describe('arrays of byte strings as entry-point parameters', () => {
  it('models calldata element reads and refuses the rest at its location', async () => {
    const r = await lower(`// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
interface I { function f(bytes[] calldata x) external; }
contract C {
    event E(bytes[] xs);
    event E2(bytes d, uint256 i);
    function len(bytes[] calldata xs, uint256 i) external pure returns (uint256) { return xs[i].length + xs.length; }
    function post(bytes[] calldata xs, uint256 i) external { emit E2(xs[i++], i); }
    function m(bytes[] memory xs) external pure returns (uint256) { return xs.length; }
    function s(string[] memory xs) external pure returns (uint256) { return xs.length; }
    function enc(bytes[] calldata xs) external pure returns (uint256) { return abi.encode(xs).length; }
    function ev(bytes[] calldata xs) external { emit E(xs); }
    function ext(I t, bytes[] calldata xs) external { t.f(xs); }
    function loc(bytes[] calldata xs) external pure returns (uint256) { bytes[] calldata ys = xs; return ys.length; }
    function ret(bytes[] calldata xs) external pure returns (bytes[] calldata) { return xs; }
    function mem(bytes[] calldata xs) external pure returns (uint256) { bytes[] memory ys = xs; return ys.length; }
    function intm(bytes[] calldata xs) external pure returns (uint256) { return _m(xs); }
    function _m(bytes[] memory xs) internal pure returns (uint256) { return xs.length; }
    function fwd(address t, bytes[] calldata xs) external returns (uint256) { bytes memory r; (, r) = t.call(xs[0]); return r.length; }
}
`);
    expect(r['len(bytes[],uint256)']).toBe('ok');
    expect(r['post(bytes[],uint256)']).toBe('ok');
    expect(r['m(bytes[])']).toBe('parameter of type bytes[] (the memory decoder validates and copies every element) @9');
    expect(r['s(string[])']).toBe('parameter of type string[] (the memory decoder validates and copies every element) @10');
    expect(r['enc(bytes[])']).toMatch(/^abi\.encode of .*@11$/);
    expect(r['ev(bytes[])']).toMatch(/^event parameter of type bytes\[\] @5$/);
    expect(r['ext(address,bytes[])']).toMatch(/@13$/);
    expect(r['loc(bytes[])']).toMatch(/@14$/);
    expect(r['ret(bytes[])']).toMatch(/@15$/);
    expect(r['mem(bytes[])']).toMatch(/@16$/);
    expect(r['intm(bytes[])']).toBe('calldata bytes[] passed as bytes[] @17');
    // Returned bytes assigned to an existing variable used to be dropped silently (the old value stayed);
    // they are now bound to the call's returned bytes (retdata.ts; checked on the EVM by SafeERC20Calls.sol).
    expect(r['fwd(address,bytes[])']).toBe('ok');
  });

  it('refuses catch Error and catch Panic clauses at the clause', async () => {
    const r = await lower(`// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
interface I { function g() external; }
contract C {
    event Reason(string r);
    event Code(uint256 c);
    function e(I t) external {
        try t.g() {
        } catch Error(string memory reason) {
            emit Reason(reason);
        } catch (bytes memory) {
        }
    }
    function p(I t) external {
        try t.g() {
        } catch Panic(uint256 code) {
            emit Code(code);
        }
    }
    function plain(I t) external {
        try t.g() {
        } catch {
        }
    }
}
`);
    expect(r['e(address)']).toBe("catch Error(…) clause (the callee's revert data is not modelled word by word) @9");
    expect(r['p(address)']).toBe("catch Panic(…) clause (the callee's revert data is not modelled word by word) @16");
    expect(r['plain(address)']).toBe('ok');
  });
});
