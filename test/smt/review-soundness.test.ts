import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/check.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import { projectRoot } from '../cli/helpers.ts';

/**
 * Pairs a review found the checker calling `equivalent` (or falsely `different`) before the fix; each
 * answer below was checked by running both compiled versions on the EVM. Every `different` must also be
 * confirmed by the checker's own EVM replay.
 */
let solver: Z3Solver;
let dir: string;
beforeAll(async () => {
  solver = await Z3Solver.start();
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-review-'));
});
afterAll(async () => {
  solver.close();
  await rm(dir, { recursive: true, force: true });
});

interface Pair {
  readonly name: string;
  readonly old: string;
  readonly new: string;
  readonly fn: string;
  readonly expect: 'equivalent' | 'different';
}

const head = '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\n';

const pairs: Pair[] = [
  {
    name: 'value sent to the contract itself comes back',
    old: 'contract C { receive() external payable {} function f(address payable t, uint x) external returns (uint) { t.transfer(x); return address(this).balance; } }',
    new: 'contract C { receive() external payable {} function f(address payable t, uint x) external returns (uint) { uint b = address(this).balance; t.transfer(x); return b - x; } }',
    fn: 'f(address,uint256)',
    expect: 'different',
  },
  {
    name: 'a failed call leaves no re-entrant writes',
    old: 'contract C { uint x; function f(address payable t) external returns (uint) { (bool ok, ) = t.call{value: 1}(""); if (!ok) return x; return 0; } }',
    new: 'contract C { uint x; function f(address payable t) external returns (uint) { uint y = x; (bool ok, ) = t.call{value: 1}(""); if (!ok) return y; return 0; } }',
    fn: 'f(address)',
    expect: 'equivalent',
  },
  {
    name: 'an event moved across an external call',
    old: 'interface T { function transfer(address to, uint a) external returns (bool); } contract C { event Paid(address to, uint a); function pay(T t, address to, uint a) external { emit Paid(to, a); require(t.transfer(to, a)); } }',
    new: 'interface T { function transfer(address to, uint a) external returns (bool); } contract C { event Paid(address to, uint a); function pay(T t, address to, uint a) external { require(t.transfer(to, a)); emit Paid(to, a); } }',
    fn: 'pay(address,address,uint256)',
    expect: 'different',
  },
  {
    name: 'an enum argument of an external call is validated (Panic 0x21)',
    old: 'enum E { A, B, C } interface I { function g(E e) external; } contract C { E s; function f(I t) external { t.g(s); } }',
    new: 'interface I { function g(uint8 e) external; } contract C { uint8 s; function f(I t) external { t.g(s); } }',
    fn: 'f(address)',
    expect: 'different',
  },
  {
    name: 'an enum returned by an external call is a member',
    old: 'enum E { A, B, C } interface I { function get() external view returns (E); } contract C { function f(I t) external view returns (uint) { E e = t.get(); return uint(e) < 3 ? 1 : 2; } }',
    new: 'enum E { A, B, C } interface I { function get() external view returns (E); } contract C { function f(I t) external view returns (uint) { t.get(); return 1; } }',
    fn: 'f(address)',
    expect: 'equivalent',
  },
  {
    name: 'an enum next to a string in an event is validated',
    old: 'contract C { enum S { P, A, Q, Z } S st; event A(string, S) anonymous; function f() external { emit A("x", st); } }',
    new: 'contract C { uint8 st; event B(string, uint8) anonymous; function f() external { emit B("x", st); } }',
    fn: 'f()',
    expect: 'different',
  },
  {
    name: 'push() keeps the word already in the new element',
    old: 'contract C { uint256[] a; function f() external { a.push(); } }',
    new: 'contract C { uint256[] a; function f() external { a.push(0); } }',
    fn: 'f()',
    expect: 'different',
  },
  {
    name: 'delete of a symbolically indexed fixed array clears whole words',
    old: 'contract C { address[2][2] a; function f(uint256 i) external { delete a[i]; } }',
    new: 'contract C { address[2][2] a; function f(uint256 i) external { a[i][0] = address(0); a[i][1] = address(0); } }',
    fn: 'f(uint256)',
    expect: 'different',
  },
  {
    name: 'a storage struct copy reads its source after the target is evaluated',
    old: 'contract C { struct P { uint256 a; uint256 o; } mapping(uint256 => P) ps; function bump() internal returns (uint256) { ps[0].a += 1; return 7; } function f() external { ps[bump()] = ps[0]; } }',
    new: 'contract C { struct P { uint256 a; uint256 o; } mapping(uint256 => P) ps; function bump() internal returns (uint256) { ps[0].a += 1; return 7; } function f() external { P memory t = ps[0]; ps[bump()] = t; } }',
    fn: 'f()',
    expect: 'different',
  },
  {
    name: 'a memory struct copied to storage is read after the target is evaluated',
    old: 'contract C { struct P { uint128 a; uint64 o; } mapping(uint256 => P) ps; function f() external { P memory p = P(1, 2); ps[p.a++] = p; } }',
    new: 'contract C { struct P { uint128 a; uint64 o; } mapping(uint256 => P) ps; function f() external { ps[1] = P(1, 2); } }',
    fn: 'f()',
    expect: 'different',
  },
  {
    name: 'a tuple assignment stores right to left',
    old: 'contract C { uint256[] a; function f(uint256 i, uint256 j) external { (a[i], a[j]) = (1, 2); } }',
    new: 'contract C { uint256[] a; function f(uint256 i, uint256 j) external { a[i] = 1; a[j] = 2; } }',
    fn: 'f(uint256,uint256)',
    expect: 'different',
  },
];

describe('review findings stay fixed', () => {
  pairs.forEach((p, k) => {
    it(p.name, { timeout: 90_000 }, async () => {
      const oldFile = path.join(dir, `p${k}.old.sol`);
      const newFile = path.join(dir, `p${k}.new.sol`);
      await writeFile(oldFile, head + p.old + '\n');
      await writeFile(newFile, head + p.new + '\n');
      const r = await checkPatch({ oldFile, newFile, contract: 'C', solver, cacheDir: path.join(projectRoot, 'node_modules/.cache/patchproof-test'), timeoutMs: 30000 });
      const v = r.entryPoints.find((x) => x.signature === p.fn)?.verdict;
      expect(v?.kind, JSON.stringify(v)).toBe(p.expect);
      if (v?.kind === 'different') expect(v.counterexample?.replay?.confirmed, v.counterexample?.replay?.notes.join('; ')).toBe(true);
    });
  });
});

/**
 * Pairs a second review found the checker calling `equivalent` although the EVM tells the versions apart
 * (each checked on the EVM): they must now be anything but `equivalent` (different, unsupported or unknown).
 */
const neverEquivalent: Omit<Pair, 'expect'>[] = [
  {
    name: "a public function called from a modifier gets its caller's word, dirty or not (narrow assembly read)",
    old: 'contract C { uint256 public last; function g(uint8 p) public pure returns (uint256 r) { assembly { r := p } } modifier m(uint8 a) { uint8 d; unchecked { d = a + 200; } last = g(d); _; } function f(uint8 a) external m(a) returns (uint256) { return 1; } }',
    new: 'contract C { uint256 public last; function g(uint8 p) public pure returns (uint256 r) { r = p; r = r & 0xff; } modifier m(uint8 a) { uint8 d; unchecked { d = a + 200; } last = g(d); _; } function f(uint8 a) external m(a) returns (uint256) { return 1; } }',
    fn: 'f(uint8)',
  },
  {
    name: 'a copy of a memory buffer in the same expression as a byte write sees the write',
    old: 'contract C { event E(bytes b, bytes1 y); function g(bytes memory x, bytes1) internal pure returns (bytes1) { return x[0]; } function f1() external pure returns (bytes1) { bytes memory b = new bytes(1); return g(b, b[0] = 0x41); } function f2() external returns (uint256) { bytes memory b = new bytes(1); emit E(b, b[0] = 0x41); return 1; } function f3() external pure returns (bytes32) { bytes memory b = new bytes(1); return keccak256(abi.encodePacked(b, b[0] = 0x41)); } function f4() external pure returns (bytes memory) { bytes memory b = new bytes(1); return abi.encode(b, b[0] = 0x41); } }',
    new: 'contract C { event E(bytes b, bytes1 y); function g(bytes memory x, bytes1) internal pure returns (bytes1) { return x[0]; } function f1() external pure returns (bytes1) { bytes memory b = new bytes(1); return 0x00; } function f2() external returns (uint256) { bytes memory b = new bytes(1); emit E(new bytes(1), 0x41); return 1; } function f3() external pure returns (bytes32) { bytes memory b = new bytes(1); return keccak256(abi.encodePacked(new bytes(1), bytes1(0x41))); } function f4() external pure returns (bytes memory) { bytes memory b = new bytes(1); return abi.encode(new bytes(1), bytes1(0x41)); } }',
    fn: 'f2()',
  },
  {
    name: 'a hash of a memory buffer in the same expression as a byte write sees the write',
    old: 'contract C { event E(bytes b, bytes1 y); function g(bytes memory x, bytes1) internal pure returns (bytes1) { return x[0]; } function f1() external pure returns (bytes1) { bytes memory b = new bytes(1); return g(b, b[0] = 0x41); } function f2() external returns (uint256) { bytes memory b = new bytes(1); emit E(b, b[0] = 0x41); return 1; } function f3() external pure returns (bytes32) { bytes memory b = new bytes(1); return keccak256(abi.encodePacked(b, b[0] = 0x41)); } function f4() external pure returns (bytes memory) { bytes memory b = new bytes(1); return abi.encode(b, b[0] = 0x41); } }',
    new: 'contract C { event E(bytes b, bytes1 y); function g(bytes memory x, bytes1) internal pure returns (bytes1) { return x[0]; } function f1() external pure returns (bytes1) { bytes memory b = new bytes(1); return 0x00; } function f2() external returns (uint256) { bytes memory b = new bytes(1); emit E(new bytes(1), 0x41); return 1; } function f3() external pure returns (bytes32) { bytes memory b = new bytes(1); return keccak256(abi.encodePacked(new bytes(1), bytes1(0x41))); } function f4() external pure returns (bytes memory) { bytes memory b = new bytes(1); return abi.encode(new bytes(1), bytes1(0x41)); } }',
    fn: 'f3()',
  },
  {
    name: '(s[0], s[1]) = (a, b) on a short stored bytes keeps both writes',
    old: 'contract C { bytes public s = "xyz"; function f() external { (s[0], s[1]) = (bytes1(0x41), bytes1(0x42)); } }',
    new: 'contract C { bytes public s = "xyz"; function f() external { bytes1 t = s[1]; if (s.length < 32) { s[0] = 0x41; } else { s[1] = 0x42; s[0] = 0x41; } } }',
    fn: 'f()',
  },
  {
    name: 'a precompile called where a code check exists still runs (sha256 returns 32 bytes)',
    old: 'contract C { function f(address t) external returns (uint256) { require(t.code.length > 0); (bool ok, bytes memory d) = address(2).call(""); require(d.length == 0); return 1; } }',
    new: 'contract C { function f(address t) external returns (uint256) { require(t.code.length > 0); (bool ok, bytes memory d) = address(2).call(""); return 1; } }',
    fn: 'f(address)',
  },
  {
    name: 'an indexed enum event argument is range-checked in its turn',
    old: 'contract C { enum Color { R, G } Color c; uint256 n; event E(Color indexed c, uint256 x); function g() internal view returns (uint256) { require(n != 7, "n"); return n; } function f() external { emit E(c, g()); } }',
    new: 'contract C { enum Color { R, G } Color c; uint256 n; event E(Color indexed c, uint256 x); function g() internal view returns (uint256) { require(n != 7, "n"); return n; } function f() external { uint256 x = g(); emit E(c, x); } }',
    fn: 'f()',
  },
  {
    name: "a stored string event argument's key is evaluated in its turn",
    old: 'contract C { mapping(uint256 => string) names; event E(string s, uint256 x); error Er(string s, uint256 x); function f(uint256 i) external { emit E(names[i], i = 7); } function g(uint256 i) external view { revert Er(names[i], i = 7); } }',
    new: 'contract C { mapping(uint256 => string) names; event E(string s, uint256 x); error Er(string s, uint256 x); function f(uint256 i) external { emit E(names[7], 7); } function g(uint256 i) external view { revert Er(names[7], 7); } }',
    fn: 'f(uint256)',
  },
  {
    name: "a stored string error argument's key is evaluated in its turn",
    old: 'contract C { mapping(uint256 => string) names; event E(string s, uint256 x); error Er(string s, uint256 x); function f(uint256 i) external { emit E(names[i], i = 7); } function g(uint256 i) external view { revert Er(names[i], i = 7); } }',
    new: 'contract C { mapping(uint256 => string) names; event E(string s, uint256 x); error Er(string s, uint256 x); function f(uint256 i) external { emit E(names[7], 7); } function g(uint256 i) external view { revert Er(names[7], 7); } }',
    fn: 'g(uint256)',
  },
  {
    name: "a stored string's index check comes before an earlier parameter's encoding fails",
    old: 'contract C { struct Item { string name; uint256 v; } Item[] items; string title; event E(string a, string b); function f(uint256 k) external { emit E(title, items[k].name); } }',
    new: 'contract C { struct Item { string name; uint256 v; } Item[] items; string title; event E(string a, string b); function f(uint256 k) external { bytes32 h = keccak256(bytes(title)); h; emit E(title, items[k].name); } }',
    fn: 'f(uint256)',
  },
];

describe('second review findings stay fixed', () => {
  neverEquivalent.forEach((p, k) => {
    it(p.name, { timeout: 90_000 }, async () => {
      const oldFile = path.join(dir, `q${k}.old.sol`);
      const newFile = path.join(dir, `q${k}.new.sol`);
      await writeFile(oldFile, head + p.old + '\n');
      await writeFile(newFile, head + p.new + '\n');
      const r = await checkPatch({ oldFile, newFile, contract: 'C', solver, cacheDir: path.join(projectRoot, 'node_modules/.cache/patchproof-test'), timeoutMs: 30000 });
      const v = r.entryPoints.find((x) => x.signature === p.fn)?.verdict;
      expect(v, p.fn).toBeDefined();
      expect(v?.kind, JSON.stringify(v)).not.toBe('equivalent');
    });
  });
});
