import { linkRuntime } from '../frontend/link.ts';
import { promises as fs } from 'node:fs';
import type { Abi } from 'viem';
import type { ContractOutput } from '../frontend/compile.ts';
import { loadPair } from '../frontend/pair.ts';
import { PatchproofError } from '../frontend/errors.ts';
import type { PairInput } from '../api.ts';
import { ShadowAbi } from './abi.ts';
import { generateTransactions, SENDERS } from './fuzz.ts';
import { parseJson, type Json } from './json.ts';
import { SlotNamer, type StorageLayout } from './layout.ts';
import { replayTransactions } from './run.ts';
import { EMPTY_STATE, readState, type InitialState } from './state.ts';
import { readTransactions, writeTransactions } from './txs.ts';
import type { ShadowResult, ShadowTx } from './types.ts';

/*
 * `patchproof shadow`: one entry point from files to a ShadowResult. Compiles both versions, reads the
 * state file, reads (or, with fuzz, generates) the transactions, and replays them on the EVM.
 */

export interface ShadowOptions extends PairInput {
  /** Replay the transactions of this file… */
  readonly txsFile?: string;
  /** …or generate `perEntryPoint` random transactions per entry point. */
  readonly fuzz?: { readonly perEntryPoint: number; readonly seed: number };
  readonly stateFile?: string;
}

export interface ShadowRun {
  readonly result: ShadowResult;
  /** The transactions replayed (for `--save-txs`). */
  readonly txs: readonly ShadowTx[];
}

export async function runShadow(opts: ShadowOptions): Promise<ShadowRun> {
  if ((opts.txsFile === undefined) === (opts.fuzz === undefined)) {
    throw new PatchproofError('usage', 'pass either --txs <file.json> (replay recorded transactions) or --fuzz <N> (random transactions), not both or neither');
  }
  const pair = await loadPair(opts);
  const [oldComp, newComp, oldC, newC] = [pair.old.comp, pair.new.comp, pair.old.contract, pair.new.contract];
  const oldLayout = oldC.storageLayout as StorageLayout;
  const newLayout = newC.storageLayout as StorageLayout;
  const abi = new ShadowAbi(oldC.abi as Abi, newC.abi as Abi);

  const initial: InitialState =
    opts.stateFile === undefined ? EMPTY_STATE : readState(await loadJson(opts.stateFile), opts.stateFile, oldLayout, newLayout);
  const warnings = [...initial.warnings, ...immutableWarnings('old', oldC), ...immutableWarnings('new', newC)];

  let txs: readonly ShadowTx[];
  let fuzz: ShadowResult['fuzz'];
  if (opts.txsFile !== undefined) {
    const read = readTransactions(await loadJson(opts.txsFile), opts.txsFile, abi);
    txs = read.txs;
    warnings.push(...read.warnings);
  } else {
    const { perEntryPoint, seed } = opts.fuzz!;
    const generated = generateTransactions(abi, perEntryPoint, seed);
    if (generated.entryPoints.length === 0) throw new PatchproofError('input', `neither ${oldC.name} nor ${newC.name} has an entry point to call`);
    txs = generated.txs;
    fuzz = { perEntryPoint, seed, entryPoints: generated.entryPoints };
  }

  const namer = new SlotNamer([{ layout: oldLayout, side: 'old' }, { layout: newLayout, side: 'new' }], keyCandidates(txs, initial));
  for (const [slot, name] of initial.names) namer.learn(slot, name);
  // Linked like the checker links them: code calling external libraries runs against their deployed code.
  const oldLinked = linkRuntime(oldComp, oldC);
  const newLinked = linkRuntime(newComp, newC);
  const outcomes = await replayTransactions(
    txs,
    { old: { code: oldLinked.code, abi: abi.oldAbi, libraries: oldLinked.libraries }, new: { code: newLinked.code, abi: abi.newAbi, libraries: newLinked.libraries } },
    initial,
    namer,
  );

  const result: ShadowResult = {
    mode: fuzz === undefined ? 'replay' : 'fuzz',
    old: { file: opts.oldFile, contract: oldC.name },
    new: { file: opts.newFile, contract: newC.name },
    ...(opts.txsFile === undefined ? {} : { txsFile: opts.txsFile }),
    ...(opts.stateFile === undefined ? {} : { stateFile: opts.stateFile }),
    warnings,
    outcomes,
    ...(fuzz === undefined ? {} : { fuzz }),
  };
  return { result, txs };
}

/** Words that may be mapping keys: senders and state-file keys first, then every calldata word. */
function keyCandidates(txs: readonly ShadowTx[], initial: InitialState): bigint[] {
  const out = [...SENDERS, ...txs.map((t) => t.from), ...initial.keyWords];
  for (const t of txs) {
    for (let i = 10; i + 64 <= t.calldata.length; i += 64) out.push(BigInt('0x' + t.calldata.slice(i, i + 64)));
  }
  return out;
}

function immutableWarnings(side: string, c: ContractOutput): string[] {
  const n = Object.keys(c.immutableReferences).length;
  return n === 0 ? [] : [`the ${side} version ${c.name} has ${n} immutable(s); the runtime code runs without its constructor, so they read as zero`];
}

async function loadJson(file: string): Promise<Json> {
  const text = await fs.readFile(file, 'utf8').catch((e: Error) => {
    throw new PatchproofError('input', `cannot read ${file}: ${e.message}`);
  });
  return parseJson(text, file);
}

/** Writes `txs` in the `--txs` file format (what `--save-txs` does). */
export async function saveTransactions(file: string, txs: readonly ShadowTx[]): Promise<void> {
  await fs.writeFile(file, writeTransactions(txs)).catch((e: Error) => {
    throw new PatchproofError('input', `cannot write ${file}: ${e.message}`);
  });
}
