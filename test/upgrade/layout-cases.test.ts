import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { layoutAnalysis } from '../../src/upgrade/layout/index.ts';
import { erc7201Slot } from '../../src/upgrade/layout/namespaces.ts';
import { cacheDir } from './corpus.ts';

/** Single layout rules on inline pairs (the fixture corpus covers the common operations). */
const HEAD = '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\n';

async function codes(oldSrc: string, newSrc: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-layout-'));
  const side = async (name: string, src: string) => {
    writeFileSync(path.join(dir, name), HEAD + src);
    const compilation = await compileFile(path.join(dir, name), { cacheDir });
    return { compilation, contract: selectContract(compilation, 'C') };
  };
  return layoutAnalysis({ old: await side('old.sol', oldSrc), new: await side('new.sol', newSrc) }).map((f) => f.code).sort();
}

describe('storage layout rules', () => {
  it('computes the ERC-7201 slot of the EIP example', () => {
    expect(erc7201Slot('example.main')).toBe(0x183a6125c38840424c4a85fa12bab2ab606c4b6d0e7cc73c0c06ba5300eab500n);
  });

  it('lets a struct in a fixed array gain a member that fits its last slot', { timeout: 30_000 }, async () => {
    const old = 'contract C { struct S { uint128 a; } S[3] xs; uint256 after_; }';
    const neu = 'contract C { struct S { uint128 a; uint64 b; } S[3] xs; uint256 after_; }';
    expect(await codes(old, neu)).toEqual(['PP113']);
  });

  it('lets the last variable, a fixed array, grow; not one followed by others', { timeout: 30_000 }, async () => {
    expect(await codes('contract C { uint256 n; uint256[2] tail; }', 'contract C { uint256 n; uint256[4] tail; }')).toEqual(['PP119']);
    expect(await codes('contract C { uint256[2] xs; uint256 n; }', 'contract C { uint256[4] xs; uint256 n; }')).toEqual(['PP118']);
  });

  it('compares a recursive struct without looping', { timeout: 30_000 }, async () => {
    const old = 'contract C { struct Node { uint256 v; mapping(uint256 => Node) kids; } Node root; }';
    const neu = 'contract C { struct Node { uint256 v; mapping(uint256 => Node) kids; uint256 w; } Node root; }';
    expect(await codes(old, neu)).toEqual(['PP113']);
  });

  it('treats a variable replaced in place by another type as deleted and inserted', { timeout: 30_000 }, async () => {
    expect(await codes('contract C { uint256 a; uint256 b; }', 'contract C { uint256 a; bytes32 c; }')).toEqual(['PP101', 'PP102']);
  });

  it('reports a mapping whose value struct lost a member inside a nested mapping', { timeout: 30_000 }, async () => {
    const old = 'contract C { struct P { uint256 a; uint256 b; } mapping(address => mapping(uint256 => P)) ps; }';
    const neu = 'contract C { struct P { uint256 a; } mapping(address => mapping(uint256 => P)) ps; }';
    expect(await codes(old, neu)).toEqual(['PP111']);
  });
});
