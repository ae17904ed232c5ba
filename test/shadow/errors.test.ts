import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.ts';
import { cacheDir, expectInputError, runMain } from './helpers.ts';

/** Bad input to `patchproof shadow`: exit 3 and an error naming the file, the entry and the problem. */

const OVERLOADS = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Overloads {
    uint8 public small;
    bool public open;
    mapping(address => uint256) public credit;
    function f(uint256 x) external { small = uint8(x); }
    function f(address a) external { credit[a] += 1; }
    function g(uint8 x, address to) external { small = x; credit[to] = x; }
}
`;

const FROM = '0x0000000000000000000000000000000000000001';
let dir: string;
const file = (name: string) => path.join(dir, name);
const sol = () => file('overloads.sol');

/** Writes `content` (text, or an object as JSON) to `name` in the temp dir and returns its path. */
async function put(name: string, content: string | object): Promise<string> {
  await writeFile(file(name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file(name);
}

const shadow = (...args: string[]) => runMain(['shadow', sol(), sol(), '--cache-dir', cacheDir, ...args]);
/** Replays one transaction built from `tx` (merged over a valid call of g). */
async function replayOne(name: string, tx: object) {
  return shadow('--txs', await put(name, { transactions: [{ from: FROM, function: 'g(uint8,address)', args: [1, FROM], ...tx }] }));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-shadow-errors-'));
  await writeFile(sol(), OVERLOADS);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('shadow: bad transaction files exit 3', { timeout: 30_000 }, () => {
  it('a valid file replays (the baseline the other cases break)', async () => {
    const r = await replayOne('valid.json', {});
    expect(r.code, r.stderr).toBe(0);
  });

  it('malformed JSON names the file, line and column', async () => {
    const txs = await put('broken.json', `{ "transactions": [\n  { "from": "${FROM}", "function": "g" \n  ]\n}\n`);
    expectInputError(await shadow('--txs', txs), `${txs}:3:3: malformed JSON: expected ',' or '}', found "]"`);
    const truncated = await put('truncated.json', '{ "transactions": [');
    expectInputError(await shadow('--txs', truncated), `${truncated}:1:20: malformed JSON: expected a value, found end of file`);
  });

  it('a transaction without "from", or without anything to call, is named by its position', async () => {
    expectInputError(await shadow('--txs', await put('nofrom.json', { transactions: [{ function: 'g', args: [1, FROM] }] })), 'transaction #1: the field "from" (the sender address) is missing');
    const second = { transactions: [{ from: FROM, function: 'small' }, { from: FROM, label: 'the broken one' }] };
    expectInputError(await shadow('--txs', await put('nocall.json', second)), 'transaction #2 ("the broken one"): neither "calldata" nor "function" is given');
  });

  it('misspelled fields, both calldata and function, and an empty list are refused', async () => {
    expectInputError(await replayOne('typo.json', { vaule: '1' }), 'transaction #1: unknown field "vaule"; the fields are from, value, block');
    expectInputError(await replayOne('both.json', { calldata: '0x' }), 'give either "calldata" or "function" (with "args"), not both');
    expectInputError(await shadow('--txs', await put('empty.json', { transactions: [] })), '"transactions" is empty');
    expectInputError(await shadow('--txs', await put('array.json', [])), 'expected an object with a "transactions" array');
  });

  it('an unknown function lists the available ones', async () => {
    expectInputError(
      await replayOne('unknown.json', { function: 'steal', args: [] }),
      'transaction #1: no function named "steal" in either version; available: credit(address), f(address), f(uint256), g(uint8,address), open(), small()',
    );
    expectInputError(await replayOne('unknown-sig.json', { function: 'g(uint256,address)' }), 'no function g(uint256,address) in either version; available: credit(address)');
  });

  it('an overloaded name is ambiguous and the overloads are listed', async () => {
    expectInputError(await replayOne('ambiguous.json', { function: 'f', args: [1] }), 'function name f is ambiguous (overloads: f(address), f(uint256)); write the full signature');
    const r = await replayOne('overload.json', { function: 'f(uint256)', args: [7] });
    expect(r.code, r.stderr).toBe(0);
  });

  it('arguments that do not fit the ABI name the argument and its type', async () => {
    expectInputError(await replayOne('too-big.json', { args: [300, FROM] }), 'transaction #1 (g(uint8,address)): argument 1 x (uint8): 300 does not fit uint8 (max 255)');
    expectInputError(await replayOne('bad-address.json', { args: [1, '0x1234'] }), 'argument 2 to (address): expected an address (0x and 40 hex digits), got "0x1234"');
    expectInputError(await replayOne('fraction.json', { args: [1.5, FROM] }), 'argument 1 x (uint8): 1.5 is not a whole number');
    expectInputError(await replayOne('count.json', { args: [1] }), 'expected 2 argument(s) (x (uint8), to (address)), got 1');
    expectInputError(await replayOne('no-args.json', { args: undefined }), '"args" is missing; expected 2 argument(s): x (uint8), to (address)');
    expectInputError(await replayOne('bad-from.json', { from: 'alice' }), 'transaction #1: "from": expected an address');
    expectInputError(await replayOne('bad-value.json', { value: '-1' }), 'transaction #1: "value": -1 is negative');
    expectInputError(await replayOne('bad-calldata.json', { function: undefined, args: undefined, calldata: '0xabc' }), '"calldata": expected bytes as 0x-hex with an even number of digits');
  });

  it('a missing file is named', async () => {
    expectInputError(await shadow('--txs', file('nope.json')), `cannot read ${file('nope.json')}`);
  });
});

describe('shadow: bad state files exit 3', { timeout: 30_000 }, () => {
  const ok = async () => put('ok-txs.json', { transactions: [{ from: FROM, function: 'small' }] });

  it('malformed JSON names the file, line and column', async () => {
    const state = await put('state-broken.json', '{ "storage": { "small": 1, "small": 2 } }');
    expectInputError(await shadow('--txs', await ok(), '--state', state), `${state}:1:28: malformed JSON: expected each property once, but "small" appears twice`);
  });

  it('an unknown variable lists the known ones', async () => {
    const state = await put('state-unknown.json', { storage: { owner: FROM } });
    expectInputError(await shadow('--txs', await ok(), '--state', state), `${state}: "storage": unknown variable "owner"; the old version's storage variables are small, open, credit`);
  });

  it('a value that does not fit its type names the variable and the type', async () => {
    const cases: [object, string][] = [
      [{ storage: { small: 256 } }, '"storage": small (uint8): 256 does not fit uint8 (max 255)'],
      [{ storage: { open: 'yes' } }, '"storage": open (bool): expected true or false, got "yes"'],
      [{ storage: { credit: { alice: 1 } } }, '"storage": credit (mapping(address => uint256)): key "alice": expected an address'],
      [{ storage: { credit: { [FROM]: -1 } } }, `"storage": credit[${FROM}] (uint256): -1 is negative`],
      [{ storage: { credit: 5 } }, '"storage": credit (mapping(address => uint256)): expected an object from keys to values (a JSON object), got 5'],
      [{ slots: { '0x1': '0x1' + '0'.repeat(64) } }, '"slots": value of slot 0x1: '],
      [{ storage: {}, balances: {} }, 'unknown top-level field "balances"; the fields are storage, slots, balance'],
    ];
    for (const [i, [content, message]] of cases.entries()) {
      const state = await put(`state-bad-${i}.json`, content);
      expectInputError(await shadow('--txs', await ok(), '--state', state), `${state}: ${message}`);
    }
  });
});

describe('shadow: command line', { timeout: 30_000 }, () => {
  it('needs exactly one of --txs and --fuzz, and a positive --fuzz', async () => {
    expectInputError(await shadow(), 'pass --txs <file.json> to replay transactions, or --fuzz <N> to generate them');
    expectInputError(await shadow('--txs', 'a.json', '--fuzz', '3'), /txs and fuzz are mutually exclusive/);
    expectInputError(await shadow('--fuzz', '0'), '--fuzz must be a whole number of transactions per entry point from 1 to 100000, got 0');
    expectInputError(await shadow('--fuzz', 'many'), '--fuzz must be a whole number');
  });

  it('the real binary maps an input error to exit 3', { timeout: 60_000 }, async () => {
    const txs = await put('bin-unknown.json', { transactions: [{ from: FROM, function: 'nope' }] });
    const r = await runCli(['shadow', sol(), sol(), '--txs', txs, '--cache-dir', cacheDir], { timeoutMs: 55_000 });
    expectInputError(r, `${txs}: transaction #1: no function named "nope"`);
  });
});
