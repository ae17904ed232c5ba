import { assertNever } from '../util/assert.ts';
import { formatLoc, type SrcLoc } from '../util/loc.ts';
import { typeName, type Block, type Instr, type IrContract, type IrFunction, type RevertData, type SlotPath, type Terminator, type Word } from './types.ts';

/** Human-readable IR, one instruction per line with its source location (`patchproof ir`). */
export function printContract(c: IrContract, opts: { locations?: boolean } = {}): string {
  const lines = [`contract ${c.name} (${c.file})`, '  storage:'];
  for (const s of c.storage) lines.push(`    slot ${hex(s.slot)}+${s.offset}  ${s.name}: ${s.typeLabel}  (${s.contract})`);
  for (const f of c.functions) lines.push('', printFunction(f, opts));
  return lines.join('\n') + '\n';
}

export function printFunction(f: IrFunction, opts: { locations?: boolean } = {}): string {
  const sel = f.selector === null ? '' : ` [${'0x' + f.selector.toString(16).padStart(8, '0')}]`;
  const params = f.params.map((p) => `${p.typeName} ${p.name}`).join(', ');
  const rets = f.returns.length ? ` returns (${f.returns.map((p) => p.typeName).join(', ')})` : '';
  const head = `${f.kind} ${f.signature}${sel}${f.payable ? ' payable' : ''}${f.implicit ? ' implicit' : ''} (${params})${rets}`;
  const at = opts.locations === false ? '' : `  ; ${formatLoc(f.loc)}`;
  if (!f.body.ok) return `${head}${at}\n  unsupported: ${f.body.unsupported.construct} at ${formatLoc(f.body.unsupported.loc)}`;
  return [head + at, ...f.body.blocks.map((b) => printBlock(b, opts))].join('\n');
}

function printBlock(b: Block, opts: { locations?: boolean }): string {
  const out = [`  b${b.id}:`];
  const withLoc = (text: string, loc: SrcLoc) => (opts.locations === false ? `    ${text}` : `    ${text.padEnd(56)} ; ${formatLoc(loc)}`);
  for (const i of b.instrs) out.push(withLoc(printInstr(i), i.loc));
  out.push(withLoc(printTerm(b.term), b.term.loc));
  return out.join('\n');
}

const v = (id: number) => `%${id}`;
const hex = (x: bigint) => '0x' + x.toString(16);

function slot(s: SlotPath): string {
  return `[${hex(s.root)}${s.keys.map((k) => (k.kind === 'data' ? '].data[' : k.kind === 'add' ? ` + ${v(k.value)}` : k.kind === 'bkey' ? `][bytes ${v(k.value)} len ${v(k.len)}` : `][${v(k.value)}`)).join('')}]`;
}

function word(w: Word): string {
  return w.kind === 'const' ? hex(w.word) : w.kind === 'bytes' ? `bytes(${v(w.value)})` : v(w.value);
}

function revert(r: RevertData): string {
  if (r.bubble !== undefined) return `returndata of ${v(r.bubble)}`;
  return `${r.description}${r.selector === null ? '' : ` sel=${hex(r.selector)}`}${r.words.length ? ` (${r.words.map(word).join(', ')})` : ''}`;
}

export function printInstr(i: Instr): string {
  switch (i.kind) {
    case 'const':
      return `${v(i.id)} = const ${typeName(i.type)} ${i.type.kind === 'bool' ? String(i.value === 1n) : hex(i.value)}`;
    case 'arg':
      return `${v(i.id)} = arg ${i.index} ${i.name}`;
    case 'env':
      return `${v(i.id)} = env ${i.name}`;
    case 'immutable':
      return `${v(i.id)} = immutable ${i.name} : ${typeName(i.type)}`;
    case 'abiok':
      return `${v(i.id)} = abiok ${typeName(i.type)} ${v(i.a)}`;
    case 'bin':
      return `${v(i.id)} = ${i.op} ${typeName(i.type)} ${v(i.a)}, ${v(i.b)}`;
    case 'un':
      return `${v(i.id)} = ${i.op} ${typeName(i.type)} ${v(i.a)}`;
    case 'conv':
      return `${v(i.id)} = conv ${typeName(i.from)} -> ${typeName(i.to)} ${v(i.a)}`;
    case 'select':
      return `${v(i.id)} = select ${typeName(i.type)} ${v(i.cond)} ? ${v(i.a)} : ${v(i.b)}`;
    case 'sload':
      return `${v(i.id)} = sload ${typeName(i.type)} ${slot(i.slot)}+${i.offset}`;
    case 'sstore':
      return `sstore ${typeName(i.type)} ${slot(i.slot)}+${i.offset} = ${v(i.value)}`;
    case 'emit':
      return `emit ${i.signature} topics(${i.topics.map(word).join(', ')}) data(${i.data.map(word).join(', ')})`;
    case 'guard':
      return `guard ${v(i.cond)} else revert ${revert(i.revert)}`;
    case 'phi':
      return `${v(i.id)} = phi ${typeName(i.type)} ${i.incoming.map((x) => `[b${x.block}: ${v(x.value)}]`).join(' ')}`;
    case 'keccak':
      return `${v(i.id)} = keccak256 (${i.parts.map((p) => `${word(p.word)}:${p.bytes}`).join(', ')})`;
    case 'precompile':
      return `${v(i.id)} = ${i.fn} (${i.parts.map((p) => `${word(p.word)}:${p.bytes}`).join(', ')})`;
    case 'call':
      return `${v(i.id)} = ${i.call}${i.stipend ? ' stipend' : ''} ${v(i.to)}${i.amount === null ? '' : ` value ${v(i.amount)}`}${i.gas === undefined ? '' : ` gas ${v(i.gas)}`} data(${
        i.forward !== undefined ? `${(i.forward.head ?? []).map((p) => `${word(p.word)}:${p.bytes}, `).join('')}${i.forward.head ? 'abi ' : ''}${word(i.forward.data)}:${v(i.forward.len)}` : i.data !== undefined ? i.data.map((p) => `${word(p.word)}:${p.bytes}`).join(', ') : `${i.selector === null ? '' : `sel=${hex(i.selector)}${i.args.length ? ', ' : ''}`}${i.args.map(word).join(', ')}`
      })`;
    case 'callret':
      return `${v(i.id)} = callret ${v(i.call)} ${i.index}`;
    case 'callrds':
      return `${v(i.id)} = returndatasize ${v(i.call)}`;
    case 'hascode':
      return `${v(i.id)} = hascode ${v(i.to)}`;
    case 'blockhash':
      return `${v(i.id)} = blockhash ${v(i.n)}`;
    case 'gasleft':
      return `${v(i.id)} = gasleft`;
    case 'selfbalance':
      return `${v(i.id)} = selfbalance`;
    case 'balance':
      return `${v(i.id)} = balance ${v(i.to)}`;
    case 'sbytes':
      return `${v(i.id)} = sbytes${i.raw ? ' raw' : ''} ${slot(i.slot)} word ${v(i.word)} len ${v(i.len)}`;
    case 'cdload':
      return `${v(i.id)} = cdload ${v(i.offset)}`;
    case 'cdbytes':
      return `${v(i.id)} = cdbytes ${v(i.start)} len ${v(i.len)}`;
    case 'cdbytesok':
      return `${v(i.id)} = cdbytesok ${v(i.start)} len ${v(i.len)}`;
    case 'cdabihash':
      return `${v(i.id)} = keccak256 abi.encode ${i.items.map((it) => (it.kind === 'value' ? `${typeName(it.type)} ${v(it.value)}` : `${it.kind} ${v(it.start)} len ${v(it.len)}`)).join(', ')}`;
    case 'cdclean':
      return `${v(i.id)} = cdclean ${typeName(i.type)} ${v(i.start)} len ${v(i.len)}`;
    case 'bkeccak':
      return `${v(i.id)} = keccak256${i.abi ? ' abi.encode' : ''} bytes len ${v(i.len)} data ${word(i.data)}`;
    case 'scopy':
      return `scopy ${slot(i.slot)} words ${v(i.len)} from ${i.from === null ? `calldata ${v(i.start!)}` : slot(i.from)}`;
    case 'sclear':
      return `sclear ${slot(i.slot)} words ${v(i.len)}`;
    case 'bcat':
      return `${v(i.id)} = bcat len ${v(i.len)} (${i.parts.map((p) => (p.kind === 'bytes' ? `${v(p.value)}[:${v(p.len)}]` : `${word(p.part.word)}:${p.part.bytes}`)).join(', ')})`;
    case 'bzero':
      return `${v(i.id)} = bzero len ${v(i.len)}`;
    case 'bset':
      return `${v(i.id)} = bset ${v(i.data)}[${v(i.index)}] = ${v(i.value)}`;
    case 'bstore':
      return `bstore ${slot(i.slot)} old ${v(i.old)} = len ${v(i.len)} data(${i.data.map(word).join(', ')})`;
    case 'alloc':
      return `${v(i.id)} = alloc ${typeName(i.elem)}[${v(i.len)}]${i.src ? ` from ${slot(i.src)}` : ''}`;
    case 'mlen':
      return `${v(i.id)} = mlen ${v(i.ref)}`;
    case 'mwords':
      return `${v(i.id)} = mwords ${typeName(i.elem)} ${v(i.ref)}`;
    case 'mload':
      return `${v(i.id)} = mload ${typeName(i.type)} ${v(i.ref)}[${v(i.index)}]`;
    case 'mstore':
      return `mstore ${typeName(i.type)} ${v(i.ref)}[${v(i.index)}] = ${v(i.value)}`;
    default:
      return assertNever(i, 'instruction');
  }
}

function printTerm(t: Terminator): string {
  switch (t.kind) {
    case 'jmp':
      return `jmp b${t.target}`;
    case 'br':
      return `br ${v(t.cond)} b${t.then} b${t.else}`;
    case 'return':
      return `return ${t.values.map(word).join(', ')}`;
    case 'revert':
      return `revert ${revert(t.data)}`;
    case 'exhausted':
      return `exhausted (loop bound ${t.bound})`;
    default:
      return assertNever(t, 'terminator');
  }
}
