import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';

// Digests hashed from scratch memory are modelled (checked on the EVM by
// test/diff/contracts/ScratchHashes.sol); blocks of that shape whose bytes cannot be spelled are refused.
it('refuses scratch-memory hashes it cannot spell exactly', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-yulhash-'));
  const file = path.join(dir, 'C.sol');
  writeFileSync(file, `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract C {
    function partly(bytes32 a) external pure returns (bytes32 h) {
        assembly {
            mstore(0x00, a)
            h := keccak256(0x00, 0x10)
        }
    }
    function unwritten(bytes32 a) external pure returns (bytes32 h) {
        assembly {
            mstore(0x00, a)
            h := keccak256(0x00, 0x40)
        }
    }
    function outside(bytes32 a) external pure returns (bytes32 h) {
        assembly {
            mstore(0x40, a)
            h := keccak256(0x40, 0x20)
        }
    }
    function leaked(bytes32 a) external pure returns (bytes32 h) {
        assembly {
            let p := mload(0x40)
            mstore(p, p)
            h := keccak256(p, 0x20)
        }
    }
    function whole(bytes32 a) external pure returns (bytes32 h) {
        assembly {
            let p := mload(0x40)
            mstore(add(0x20, p), a)
            h := keccak256(add(p, 0x20), 0x20)
        }
    }
}
`);
  const comp = await compileFile(file);
  const ir = lowerContract(comp, selectContract(comp, 'C'));
  const r = Object.fromEntries(ir.functions.map((f) => [f.signature, f.body.ok ? 'ok' : f.body.unsupported.construct]));
  expect(r['partly(bytes32)']).toMatch(/keccak256 of part of a computed word/);
  expect(r['unwritten(bytes32)']).toMatch(/keccak256 of memory the block did not write/);
  expect(r['outside(bytes32)']).toMatch(/mstore outside the scratch space/);
  expect(r['leaked(bytes32)']).toMatch(/free memory pointer used as a value/);
  expect(r['whole(bytes32)']).toBe('ok');
});
