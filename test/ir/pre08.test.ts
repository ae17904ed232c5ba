import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';

// Code compiled by solc 0.6/0.7 is lowered only inside the checked core (src/ir/lower/pre08.ts); the rest
// stays unsupported with its location. What the core does is checked on the EVM by test/diff.

async function lower(source: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-pre08-'));
  const file = path.join(dir, 'C.sol');
  writeFileSync(file, source);
  const comp = await compileFile(file);
  const ir = lowerContract(comp, selectContract(comp, 'C'));
  return Object.fromEntries(ir.functions.map((f) => [f.signature, f.body.ok ? 'ok' : `${f.body.unsupported.construct} @${f.body.unsupported.loc.line}`]));
}

describe('pre-0.8 lowering', () => {
  it('lowers the core and refuses what is outside it, at its location', async () => {
    const r = await lower(`// SPDX-License-Identifier: MIT
pragma solidity 0.7.6;
interface IToken { function transfer(address to, uint256 amount) external returns (bool); }
contract C {
    string public label;
    mapping(address => uint256) public credit;
    function add(uint256 a) external { credit[msg.sender] += a; }
    function setLabel(string calldata a) external { label = a; }
    function pay(address t) external { (bool ok, ) = t.call(""); require(ok); }
    function hash(uint256 a) external pure returns (bytes32) { return keccak256(abi.encode(a)); }
    function bal() external view returns (uint256) { return msg.sender.balance; }
    function helper(uint256 a) internal { label = a > 1 ? "many" : "one"; }
    function viaHelper(uint256 a) external { helper(a); }
    function send(IToken t) external { require(t.transfer(msg.sender, 1)); }
    function self() external { this.add(1); }
}
`);
    expect(r['add(uint256)']).toBe('ok');
    expect(r['credit(address)']).toBe('ok');
    expect(r['setLabel(string)']).toMatch(/in code compiled by solc 0\.7\.6 \(not modelled before 0\.8\) @8$/);
    expect(r['label()']).toMatch(/in code compiled by solc 0\.7\.6/);
    expect(r['pay(address)']).toMatch(/@9$/);
    expect(r['send(address)']).toBe('ok');
    expect(r['self()']).toMatch(/@15$/);
    expect(r['hash(uint256)']).toMatch(/@10$/);
    expect(r['bal()']).toMatch(/member \.balance .*@11$/);
    expect(r['viaHelper(uint256)']).toMatch(/@12$/);
    expect(r['fallback()']).toBe('ok');
  });

  it('refuses every entry point under ABI coder v2', async () => {
    const r = await lower(`// SPDX-License-Identifier: MIT
pragma solidity 0.6.12;
pragma experimental ABIEncoderV2;
contract C {
    uint256 public n;
    function set(uint256 a) external { n = a; }
}
`);
    expect(r['set(uint256)']).toMatch(/ABI coder v2 .* @3$/);
    expect(r['n()']).toMatch(/ABI coder v2/);
  });
});
