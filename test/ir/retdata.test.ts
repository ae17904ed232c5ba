import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';

// A call's returned bytes are a reference the lowering follows (src/ir/lower/retdata.ts): the modelled
// uses (OZ's Address/SafeERC20 shapes) are checked on the EVM by test/diff/contracts/SafeERC20Calls*.sol;
// here every other use must stay unsupported at its location, never pass for some other byte string.

async function lower(source: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-retdata-'));
  const file = path.join(dir, 'C.sol');
  writeFileSync(file, source);
  const comp = await compileFile(file);
  const ir = lowerContract(comp, selectContract(comp, 'C'));
  const named = ir.functions.find((f) => f.name === 'namedLength');
  // namedLength returns the call's returndatasize, not the empty string's length.
  returnsRds = named?.body.ok === true && named.body.blocks.some((b) => b.term.kind === 'return' && b.term.values.some((w) => w.kind === 'value' && named.body.ok && named.body.blocks.some((x) => x.instrs.some((i) => i.kind === 'callrds' && i.id === w.value))));
  return Object.fromEntries(ir.functions.map((f) => [f.signature, f.body.ok ? 'ok' : `${f.body.unsupported.construct} @${f.body.unsupported.loc.line}`]));
}

let returnsRds = false;

describe("a call's returned bytes", () => {
  it('follows them through internal calls and refuses every other use', async () => {
    const r = await lower(`// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract C {
    event Raw(bytes data);
    bytes public saved;
    function get(address t) internal returns (bytes memory) {
        (bool ok, bytes memory rd) = t.call("");
        require(ok);
        return rd;
    }
    function pass(bytes memory rd) internal pure returns (bytes memory) { return rd; }
    function bubble(bytes memory rd) internal pure {
        assembly { revert(add(rd, 0x20), mload(rd)) }
    }
    function size(address t) external returns (uint256) { return pass(get(t)).length; }
    function decoded(address t) external returns (bool) { bytes memory rd = get(t); return abi.decode(rd, (bool)); }
    function reraise(address t) external { (bool ok, bytes memory rd) = t.call(""); if (!ok) bubble(rd); }
    function emitted(address t) external { emit Raw(get(t)); }
    function returned(address t) external returns (bytes memory) { return get(t); }
    function hashed(address t) external returns (bytes32) { bytes memory rd = get(t); return keccak256(rd); }
    function stored(address t) external { saved = get(t); }
    function reassigned(address t) external {
        (bool ok, bytes memory rd) = t.call("");
        rd = "replaced";
        if (!ok) assembly { revert(add(rd, 32), mload(rd)) }
    }
    function someOrEmpty(address t, bool c) internal returns (bytes memory) {
        if (c) return get(t);
    }
    function partly(address t, bool c) external returns (uint256) { return someOrEmpty(t, c).length; }
    function joined(address a, address b, bool c) external returns (uint256) {
        (, bytes memory x) = a.call("");
        (, bytes memory y) = b.call("");
        return pass(c ? x : y).length;
    }
    function otherMemory(address t) external returns (uint256 w) {
        (, bytes memory rd) = t.call("");
        assembly { w := mload(add(rd, 32)) }
    }
    function named(address t) internal returns (bytes memory r) { bool ok; (ok, r) = t.call(""); }
    function namedLength(address t) external returns (uint256) { return named(t).length; }
    function wrongSize(address t) external {
        (, bytes memory rd) = t.call("");
        assembly { revert(add(rd, 32), 4) }
    }
}
`);
    expect(r['size(address)']).toBe('ok');
    expect(r['decoded(address)']).toBe('ok');
    expect(r['reraise(address)']).toBe('ok');
    expect(r['emitted(address)']).toMatch(/returned bytes/);
    expect(r['returned(address)']).toMatch(/returned bytes/);
    expect(r['hashed(address)']).toMatch(/returned bytes/);
    expect(r['stored(address)']).not.toBe('ok');
    // Assigning the variable is refused (and would drop the reference: see bindBytesVar).
    expect(r['reassigned(address)']).not.toBe('ok');
    expect(r["partly(address,bool)"]).toMatch(/on some paths only/);
    expect(r['joined(address,address,bool)']).not.toBe('ok');
    expect(r['otherMemory(address)']).toMatch(/inline assembly: mload/);
    expect(r['wrongSize(address)']).toMatch(/inline assembly: revert with data/);
    // A tuple assignment into a byte-string variable binds the call's returned bytes (it used to keep the old value).
    expect(r['namedLength(address)']).toBe('ok');
    expect(returnsRds).toBe(true);
  });
});
