import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, JsonNumber } from '../../src/shadow/json.ts';
import { runShadow } from '../../src/shadow/index.ts';
import { cacheDir } from './helpers.ts';

/**
 * The state file is laid out through solc's storage layout; the getters, run on the EVM, read back
 * what was written: packed fields, two's complement, nested mappings, structs, arrays, strings.
 */
const LAYOUT = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Layout {
    struct Pos { uint128 a; uint64 b; address who; }
    uint8 public small;
    int16 public signedValue;
    bool public flag;
    address public owner;
    bytes4 public tag;
    uint256 public total;
    mapping(address => mapping(uint256 => uint256)) public allowance;
    Pos public pos;
    mapping(bytes32 => bool) public seen;
    mapping(string => uint256) public byName;
    mapping(int8 => Pos) public byLevel;
    string public title;
    string public longTitle;
    uint16[3] public triple;
    uint256[] public list;
    function listLength() external view returns (uint256) { return list.length; }
    function bump() external { total += 1; small += 1; }
    function raw() external view returns (uint256 v) { assembly { v := sload(0x100) } }
}
`;

const A = '0x00000000000000000000000000000000000000aa';
const B = '0x00000000000000000000000000000000000000bb';
const LONG = 'a title that is longer than thirty-one bytes, so it is stored out of line';

const STATE = {
  storage: {
    small: 200,
    signedValue: -2,
    flag: true,
    owner: A,
    tag: '0xdeadbeef',
    total: '1e18',
    allowance: { [A]: { '7': '70', '0x8': 80 } },
    pos: { a: '5', b: 6, who: B },
    seen: { ['0x' + '11'.repeat(32)]: true },
    byName: { alice: 42 },
    byLevel: { '-3': { a: 9, who: A } },
    title: 'short',
    longTitle: LONG,
    triple: [1, 2, 3],
    list: [10, 20],
  },
  slots: { '0x100': '0x2a' },
};

const CALLS: [string, unknown[], string][] = [
  ['small', [], '(200)'],
  ['signedValue', [], '(-2)'],
  ['flag', [], '(true)'],
  ['owner', [], `(${A})`],
  ['tag', [], '(0xdeadbeef)'],
  ['total', [], '(1000000000000000000)'],
  ['allowance', [A, 7], '(70)'],
  ['allowance', [A, 8], '(80)'],
  ['allowance', [B, 7], '(0)'],
  ['pos', [], `(5, 6, ${B})`],
  ['seen', ['0x' + '11'.repeat(32)], '(true)'],
  ['byName', ['alice'], '(42)'],
  ['byLevel', [-3], `(9, 0, ${A})`],
  ['title', [], '("short")'],
  ['longTitle', [], `(${JSON.stringify(LONG)})`],
  ['triple', [2], '(3)'],
  ['list', [1], '(20)'],
  ['listLength', [], '(2)'],
  ['raw', [], '(42)'],
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-shadow-state-'));
  await writeFile(path.join(dir, 'layout.sol'), LAYOUT);
  await writeFile(path.join(dir, 'state.json'), JSON.stringify(STATE));
  const transactions = [...CALLS.map(([fn, args]) => ({ from: A, function: fn, args })), { from: A, function: 'bump' }];
  await writeFile(path.join(dir, 'txs.json'), JSON.stringify({ transactions }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the state file', () => {
  it('puts every value where the getters read it', { timeout: 30_000 }, async () => {
    const sol = path.join(dir, 'layout.sol');
    const { result } = await runShadow({ oldFile: sol, newFile: sol, txsFile: path.join(dir, 'txs.json'), stateFile: path.join(dir, 'state.json'), cacheDir });
    expect(result.warnings).toEqual([]);
    const returned = result.outcomes.slice(0, CALLS.length).map((o) => [o.tx.call.replace(/\(.*$/, ''), o.old.returned]);
    expect(returned).toEqual(CALLS.map(([fn, , value]) => [fn, value]));
    expect(result.outcomes.every((o) => o.differs.length === 0)).toBe(true);
    // bump() rewrites the packed slot 0 and slot 5; both are named from the layout.
    const bump = result.outcomes[CALLS.length]!;
    expect(bump.old.changes.map((c) => c.name)).toEqual(['small, signedValue, flag, owner, tag', 'total']);
  });
});

describe('the JSON reader', () => {
  it('keeps numbers exact and says where a syntax error is', () => {
    const v = parseJson('{"wei": 123456789012345678901234567890}', 'f.json') as { wei: JsonNumber };
    expect(v.wei).toBeInstanceOf(JsonNumber);
    expect(v.wei.text).toBe('123456789012345678901234567890');
    expect(() => parseJson('{\n  "a": 1\n  "b": 2\n}', 'f.json')).toThrow('f.json:3:3: malformed JSON: expected \',\' or \'}\', found "\\""');
    expect(() => parseJson('[1, 2,]', 'f.json')).toThrow('f.json:1:7: malformed JSON: expected a value, found "]"');
    expect(() => parseJson('{} {}', 'f.json')).toThrow('f.json:1:4: malformed JSON: expected end of file after the top-level value');
    expect(() => parseJson('"a\nb"', 'f.json')).toThrow('f.json:1:3: malformed JSON');
  });
});
