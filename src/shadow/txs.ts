import type { ShadowAbi } from './abi.ts';
import { showJson, type Json } from './json.ts';
import type { Hex, ShadowTx } from './types.ts';
import { expectObject, inputError, parseAddress, parseHexBytes, parseUint } from './values.ts';

/*
 * The transaction file: `{ "transactions": [ { "from", "value"?, "block"?: { "timestamp"?, "number"? },
 * "calldata" | "function" + "args"?, "label"? } ] }`. Omitted block values repeat the previous
 * transaction's (the first transaction's default to DEFAULT_BLOCK); an omitted value is 0.
 */

export const DEFAULT_BLOCK = { timestamp: 1_700_000_000n, number: 1n } as const;

const FIELDS = ['from', 'value', 'block', 'calldata', 'function', 'args', 'label'];
/** Fields of recorded transactions that replay has no use for; accepted and ignored. */
const IGNORED = ['to', 'hash', 'nonce', 'gas', 'gasPrice'];
const BLOCK_FIELDS = ['timestamp', 'number'];

export interface ReadTransactions {
  readonly txs: readonly ShadowTx[];
  readonly warnings: readonly string[];
}

export function readTransactions(json: Json, file: string, abi: ShadowAbi): ReadTransactions {
  const top = expectObject(json, file, 'an object with a "transactions" array');
  const extra = Object.keys(top).filter((k) => k !== 'transactions');
  if (extra.length > 0) throw inputError(file, `unknown top-level field ${extra.map((k) => JSON.stringify(k)).join(', ')}; the file holds { "transactions": [ … ] }`);
  const list = top.transactions;
  if (!Array.isArray(list)) throw inputError(file, `expected "transactions" to be a JSON array, got ${list === undefined ? 'nothing' : showJson(list)}`);
  const items = list as readonly Json[];
  if (items.length === 0) throw inputError(file, '"transactions" is empty: nothing to replay');
  const warnings: string[] = [];
  const txs: ShadowTx[] = [];
  let block: { timestamp: bigint; number: bigint } = DEFAULT_BLOCK;
  items.forEach((item, i) => {
    const tx = readTransaction(item, i + 1, file, abi, block);
    const where = `${file}: transaction #${tx.index}`;
    if (tx.timestamp < block.timestamp && i > 0) warnings.push(`${where}: block.timestamp goes back from ${block.timestamp} to ${tx.timestamp}`);
    if (tx.number < block.number && i > 0) warnings.push(`${where}: block.number goes back from ${block.number} to ${tx.number}`);
    block = { timestamp: tx.timestamp, number: tx.number };
    txs.push(tx);
  });
  return { txs, warnings };
}

function readTransaction(item: Json, index: number, file: string, abi: ShadowAbi, previous: { timestamp: bigint; number: bigint }): ShadowTx {
  const tx = expectObject(item, `${file}: transaction #${index}`, 'a transaction');
  const label = tx.label;
  if (label !== undefined && typeof label !== 'string') throw inputError(`${file}: transaction #${index}`, `"label" must be a string, got ${showJson(label)}`);
  const where = `${file}: transaction #${index}${label === undefined ? '' : ` (${JSON.stringify(label)})`}`;
  const unknown = Object.keys(tx).filter((k) => !FIELDS.includes(k) && !IGNORED.includes(k));
  if (unknown.length > 0) {
    throw inputError(where, `unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the fields are ${FIELDS.join(', ')} (ignored: ${IGNORED.join(', ')})`);
  }
  if (tx.from === undefined) throw inputError(where, 'the field "from" (the sender address) is missing');
  const from = BigInt(parseAddress(tx.from, `${where}: "from"`));
  const value = tx.value === undefined ? 0n : parseUint(tx.value, 256, `${where}: "value"`);

  let { timestamp, number } = previous;
  if (tx.block !== undefined) {
    const b = expectObject(tx.block, `${where}: "block"`, '{ "timestamp", "number" }');
    const bad = Object.keys(b).filter((k) => !BLOCK_FIELDS.includes(k));
    if (bad.length > 0) throw inputError(`${where}: "block"`, `unknown field ${bad.map((k) => JSON.stringify(k)).join(', ')}; the fields are ${BLOCK_FIELDS.join(', ')}`);
    if (b.timestamp !== undefined) timestamp = parseUint(b.timestamp, 64, `${where}: "block.timestamp"`);
    if (b.number !== undefined) number = parseUint(b.number, 64, `${where}: "block.number"`);
  }

  let calldata: Hex;
  if (tx.calldata !== undefined) {
    if (tx.function !== undefined) throw inputError(where, 'give either "calldata" or "function" (with "args"), not both');
    if (tx.args !== undefined) throw inputError(where, '"args" goes with "function"; with "calldata" the arguments are already encoded');
    calldata = parseHexBytes(tx.calldata, undefined, `${where}: "calldata"`);
  } else if (tx.function !== undefined) {
    if (typeof tx.function !== 'string') throw inputError(where, `"function" must be a name or signature string, got ${showJson(tx.function)}`);
    const entry = abi.resolve(tx.function, where);
    calldata = abi.encode(entry, tx.args, where);
  } else {
    throw inputError(where, 'neither "calldata" nor "function" is given: say what to call');
  }
  const { signature, call } = abi.describe(calldata);
  return { index, ...(label === undefined ? {} : { label }), from, value, timestamp, number, calldata, ...(signature === undefined ? {} : { signature }), call };
}

/** Transactions in the file format, e.g. to save what `--fuzz` generated for a later `--txs` replay. */
export function writeTransactions(txs: readonly ShadowTx[]): string {
  // The call as a label keeps the saved file readable; the calldata is what is replayed.
  const items = txs.map((t) => ({
    label: t.label ?? t.call,
    from: '0x' + t.from.toString(16).padStart(40, '0'),
    value: t.value.toString(),
    block: { timestamp: t.timestamp.toString(), number: t.number.toString() },
    calldata: t.calldata,
  }));
  return JSON.stringify({ transactions: items }, null, 2) + '\n';
}
