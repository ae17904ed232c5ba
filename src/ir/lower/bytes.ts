import { abiEncoderOf, constParts, enumMembersOf, guardEnumEncodable } from './exprs.ts';
import { byteStringInput, wordsOfBytes } from '../interpbytes.ts';
import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { keccakBig, keccakHex, selectorOf, hexToBytes } from '../../util/hash.ts';
import { BOOL, U256, typeName, type KeccakPart, type Param, type RevertData, type SlotPath, type SlotStep, type ValueId, type Word } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import { bytesCall, bytesConditional, bytesOrRef, concatExpr } from './bytevalues.ts';
import { calldataSlice, encodedBytes, isMsgData, msgData } from './abibytes.ts';
import { newBytesExpr } from './bytebuffers.ts';
import { ERROR_SELECTOR, panicData, type FunctionLowerer, type Val } from './function.ts';
import { bytesArrayElement } from './bytesarrays.ts';
import { arrayArgItem, arrayArgRef, isValueArrayDecl, memArrayShape } from './memarrays.ts';
import { bindRetData, refCall, retDataKey, retDataRef } from './retdata.ts';

/**
 * Lowering of `bytes`/`string` values. A byte string is never an SSA value of a value type: its length is
 * a uint256 value and its data words a `bytes` Word (see the `sbytes` instruction), so every use is
 * explicit and anything not listed here stays unsupported.
 */

/** A byte string as lowered: its length and its data words. */
export interface ByteString {
  readonly len: Val;
  readonly data: Word;
}

const BYTE_ARRAY = /^(string|bytes)( storage ref| storage pointer| memory| calldata)?$/;

/** `string`/`bytes` (any location), by its AST type string. */
export function isByteArrayType(typeString: string | undefined): boolean {
  return typeString !== undefined && BYTE_ARRAY.test(typeString);
}

/** The return parameter of a byte-array getter or function (shown as `string`/`bytes`). */
export function byteArrayParam(name: string, typeString: string): Param {
  return { name, type: U256, typeName: typeString.startsWith('string') ? 'string' : 'bytes' };
}

/**
 * Reads the byte array stored at root slot `root`, as solc's `extract_byte_array_length` does: length
 * = word/2 (long form, word odd) or (word/2) & 0x7f (short form), and Panic(0x22) when the form does not
 * match the length (long with < 32 bytes, short with >= 32).
 */
export function loadStorageBytes(L: FunctionLowerer, slot: SlotPath, loc: SrcLoc, raw: boolean): ByteString {
  const { word, len } = storedLength(L, slot, loc);
  const data = L.b.def({ kind: 'sbytes', slot, word: word.v, len: len.v, raw, loc });
  return { len, data: { kind: 'bytes', value: data } };
}

/** The slot word of the byte array at `slot` and its length, checked as solc does (Panic 0x22). */
export function storedLength(L: FunctionLowerer, slot: SlotPath, loc: SrcLoc): { word: Val; len: Val } {
  const word: Val = { v: L.b.def({ kind: 'sload', slot, offset: 0, type: U256, loc }), t: U256 };
  const c = (x: bigint) => L.const(U256, x, loc);
  const odd = L.binOp('ne', L.binOp('and', word, c(1n), loc), c(0n), loc, BOOL);
  const half = L.binOp('shr', word, c(1n), loc);
  const len: Val = { v: L.b.def({ kind: 'select', cond: odd.v, a: half.v, b: L.binOp('and', half, c(0x7fn), loc).v, type: U256, loc }), t: U256 };
  L.guardNotOp(L.binOp('eq', odd, L.binOp('lt', len, c(32n), loc, BOOL), loc, BOOL), panicData(0x22), loc);
  return { word, len };
}

/** A literal's bytes as a byte string of constant words. */
export function literalBytes(L: FunctionLowerer, bytes: Uint8Array, loc: SrcLoc): { len: Val; words: Word[]; literal: Uint8Array } {
  return { len: L.const(U256, BigInt(bytes.length), loc), words: wordsOfBytes(bytes).map((w) => ({ kind: 'const', word: w })), literal: bytes };
}


/**
 * The getter of a public `string`/`bytes` state variable (no mapping keys): the byte array ABI-encoded
 * straight from storage (offset 0x20, length, the raw data words). A constant's getter returns its literal.
 */
export function byteArrayGetterWords(L: FunctionLowerer, decl: AstNode, root: bigint | undefined, loc: SrcLoc): Word[] {
  if (decl.constant) {
    const v = decl.value;
    if (v?.nodeType !== 'Literal' || (v.kind !== 'string' && v.kind !== 'hexString')) unsupported('getter of a byte-array constant that is not a literal', loc);
    const bytes = hexToBytes(v.hexValue as string);
    const lit = literalBytes(L, bytes, loc);
    return [{ kind: 'const', word: 0x20n }, { kind: 'value', value: lit.len.v, type: U256 }, ...lit.words];
  }
  if (decl.mutability === 'immutable' || root === undefined) unsupported('getter of a byte array that is not in storage', loc);
  const s = loadStorageBytes(L, { root, keys: [] }, loc, false);
  return [{ kind: 'const', word: 0x20n }, { kind: 'value', value: s.len.v, type: U256 }, s.data];
}

/** The getter of a public mapping to `string`/`bytes`: the entry at the keys, copied (zero past its length). */
export function byteArrayEntryWords(L: FunctionLowerer, slot: SlotPath, loc: SrcLoc): Word[] {
  const s = loadStorageBytes(L, slot, loc, false);
  return [{ kind: 'const', word: 0x20n }, { kind: 'value', value: s.len.v, type: U256 }, s.data];
}

/**
 * keccak256 of a byte string: `keccak256(bytes(s))`, `keccak256(b)`, `keccak256(abi.encodePacked(s))` or
 * `keccak256(abi.encode(s))` with one `string`/`bytes` argument; null for any other argument. Constant
 * byte strings are hashed here; others become a `bkeccak` instruction.
 */
export function keccakOfBytes(L: FunctionLowerer, arg: AstNode, loc: SrcLoc): Val | null {
  let inner: AstNode = arg;
  let abi = false;
  const member = abiEncoderOf(arg);
  const args: AstNode[] = member === null ? [] : arg.arguments;
  if (member === 'encodePacked' && args.length > 1 && args.some((a) => isByteArrayType(a.typeDescriptions?.typeString))) {
    // Byte strings packed with other values: the hash of their concatenation.
    inner = arg;
  } else if (member === 'encode' || member === 'encodePacked') {
    if (arg.arguments.length !== 1 || !isByteArrayType(arg.arguments[0].typeDescriptions?.typeString)) return null;
    inner = arg.arguments[0];
    abi = member === 'encode';
  } else if (member !== null || !(isByteArrayType(arg.typeDescriptions?.typeString) || arg.nodeType === 'IndexRangeAccess')) return null;
  const B32 = { kind: 'bytes', size: 32 } as const;
  // abi.encode copies straight from storage (stored words as they are, junk past the length included).
  const data = readNow(L, inner, abi);
  if (L.b.dead) return { v: -1, t: B32 };
  return hashBytes(L, data, abi, loc);
}

/**
 * keccak256 of a byte string's bytes (or of its `abi.encode` with `abi`). The packed form must be given
 * a clean value (zero past its length): the injectivity axioms equate tokens of equal hashes.
 */
function hashBytes(L: FunctionLowerer, data: ByteStringData, abi: boolean, loc: SrcLoc): Val {
  const B32 = { kind: 'bytes', size: 32 } as const;
  if (data.literal) return L.const(B32, keccakBig(byteStringInput(BigInt(data.literal.length), wordsOfBytes(data.literal), abi)), loc);
  if (data.parts) {
    // An ABI encoding held as a value hashes its exact bytes, as `keccak256(abi.encode…(…))` does.
    const parts = abi ? [{ word: { kind: 'const', word: 0x20n }, bytes: 32 } as const, { word: { kind: 'value', value: data.len.v, type: U256 }, bytes: 32 } as const, ...data.words.map((w) => ({ word: w, bytes: 32 }))] : data.parts;
    if (parts.length === 0) return L.const(B32, keccakBig(new Uint8Array()), loc);
    return { v: L.b.def({ kind: 'keccak', parts, loc }), t: B32 };
  }
  const word = data.words[0];
  if (data.words.length !== 1 || word?.kind !== 'bytes') unsupported('keccak256 of this byte string', loc);
  return { v: L.b.def({ kind: 'bkeccak', len: data.len.v, data: word, abi, loc }), t: B32 };
}

/** The bytes of a string/hex literal node. */
function literalNodeBytes(v: AstNode): Uint8Array {
  return hexToBytes(v.hexValue as string);
}

/** A byte string as ABI data: its length and its data words (constant words or one `bytes` Word). */
export interface ByteStringData {
  readonly len: Val;
  readonly words: readonly Word[];
  /** Read from storage (its words are one `sbytes` token, not addressable one by one). */
  readonly stored?: boolean;
  /** The bytes themselves, when they are a literal's (or a constant's). */
  readonly literal?: Uint8Array;
  /** The exact bytes as parts, when they are an `abi.encode…(…)` of value types (see abibytes.ts). */
  readonly parts?: readonly KeccakPart[];
  /** Where the bytes start in calldata, when they are calldata (a parameter, `msg.data`, a slice) or a memory copy of it. */
  readonly calldata?: Val;
}

/** Not a byte string, or one whose bytes are known parts: a literal, an encoding, a variable holding one. */
function encodingLike(L: FunctionLowerer, a: AstNode): boolean {
  const x = a?.nodeType === 'FunctionCall' && a.kind === 'typeConversion' && a.arguments?.length === 1 ? a.arguments[0] : a;
  if (!isByteArrayType(x.typeDescriptions?.typeString)) return true;
  if (abiEncoderOf(x) !== null) return (x.arguments as AstNode[]).every((y) => encodingLike(L, y));
  return x.nodeType === 'Identifier' && readBytesVar(L, x.referencedDeclaration)?.parts !== undefined;
}

/**
 * A `string`/`bytes` expression: a literal, a constant bound to a literal, a `string`/`bytes` state
 * variable (read from storage), or a `bytes(..)`/`string(..)` conversion of one. Anything else is
 * unsupported.
 */
export function byteStringExpr(L: FunctionLowerer, e: AstNode, raw = true): ByteStringData {
  const loc = L.ctx.loc(e);
  // abi.encodePacked with a byte string other than an encoding or a literal is a concatenation (bytevalues.ts);
  // other encodings keep their exact parts (abibytes.ts).
  if (abiEncoderOf(e) !== null) return (abiEncoderOf(e) === 'encodePacked' && !(e.arguments as AstNode[]).every((a) => encodingLike(L, a)) ? concatExpr(L, e, loc) : null) ?? encodedBytes(L, e, loc);
  if (isMsgData(e)) return msgData(L, loc);
  const element = bytesArrayElement(L, e, loc);
  if (element) return element;
  if (e.nodeType === 'IndexRangeAccess') return calldataSlice(L, e, byteStringExpr(L, e.baseExpression, raw), loc);
  if (e.nodeType === 'Literal' && (e.kind === 'string' || e.kind === 'hexString')) return literalBytes(L, literalNodeBytes(e), loc);
  const isLiteral = (x: AstNode) => x?.nodeType === 'Literal' && (x.kind === 'string' || x.kind === 'hexString');
  if (e.nodeType === 'FunctionCall' && e.kind === 'typeConversion' && e.arguments?.length === 1 && (isByteArrayType(e.arguments[0].typeDescriptions?.typeString) || isLiteral(e.arguments[0]))) {
    return byteStringExpr(L, e.arguments[0], raw);
  }
  const inMemoryStruct = e.nodeType === 'MemberAccess' ? L.aggregateMemBytes(e) : null;
  if (inMemoryStruct) return inMemoryStruct;
  const probe = (e.nodeType === 'IndexAccess' || e.nodeType === 'MemberAccess') && isByteArrayType(e.typeDescriptions?.typeString) ? L.aggregateBytesProbe(e) : null;
  if (probe) {
    // A struct member or array element: its place is evaluated where solc evaluates it only when that
    // cannot be observed (no index to bounds-check) or when the bytes are read at once (`readNow`).
    if (!probe.pure && !readNowNodes(L).has(e)) unsupported('stored byte string at an array index (or under keys with effects) where solc reads it only later', loc);
    const slot = L.aggregateBytesPlace(e);
    invariant(slot !== null, 'byte string in an aggregate');
    if (L.b.dead) return literalBytes(L, new Uint8Array(), loc);
    const s = loadStorageBytes(L, slot, loc, raw);
    return { len: s.len, words: [s.data], stored: true };
  }
  if (e.nodeType === 'IndexAccess' && isByteArrayType(e.typeDescriptions?.typeString)) {
    // Read when used (event data is encoded after the value arguments): only keys without effects.
    if (!L.isPure(e)) unsupported('string/bytes mapping entry whose keys have effects or can revert', loc);
    const s = loadStorageBytes(L, L.mappingEntry(e, loc).path, loc, raw);
    return { len: s.len, words: [s.data], stored: true };
  }
  if (e.nodeType === 'Identifier') {
    const bound = readBytesVar(L, e.referencedDeclaration);
    if (bound) return bound;
    if (retDataRef(L, e)) unsupported("this use of a call's returned bytes (modelled: .length, abi.decode, passing to and returning from internal functions, the assembly re-raise)", loc);
    const decl = L.ctx.node(e.referencedDeclaration);
    if (decl?.nodeType === 'VariableDeclaration' && isByteArrayType(decl.typeDescriptions?.typeString)) {
      if (decl.constant && decl.value?.nodeType === 'Literal' && (decl.value.kind === 'string' || decl.value.kind === 'hexString')) {
        return literalBytes(L, literalNodeBytes(decl.value), loc);
      }
      const at = decl.stateVariable && !decl.constant && decl.mutability !== 'immutable' ? L.ctx.storageOf(decl.id) : undefined;
      if (at !== undefined) {
        // Encoded straight from storage the data words are as stored; a memory copy drops junk (`sbytes`).
        const s = loadStorageBytes(L, { root: at.slot, keys: [] }, loc, raw);
        return { len: s.len, words: [s.data], stored: true };
      }
    }
  }
  const built = concatExpr(L, e, loc) ?? newBytesExpr(L, e, loc) ?? bytesCall(L, e, loc) ?? bytesConditional(L, e, loc);
  if (built) return built;
  unsupported(`${e.typeDescriptions?.typeString ?? 'byte string'} value of this form (${e.nodeType})`, loc);
}

/** Byte-string expressions whose bytes are read as soon as they are evaluated (see `readNow`). */
const readNowSets = new WeakMap<FunctionLowerer, Set<AstNode>>();

function readNowNodes(L: FunctionLowerer): Set<AstNode> {
  let x = readNowSets.get(L);
  if (!x) readNowSets.set(L, (x = new Set()));
  return x;
}

/**
 * `byteStringExpr` of `e` where nothing observable happens between evaluating `e`'s storage place and
 * reading its bytes (a local's initial value, an internal call's argument, a hash, a length, or the only
 * argument of an encoding that is not free of effects): a place behind an array index may be read then.
 */
export function readNow(L: FunctionLowerer, e: AstNode, raw = true): ByteStringData {
  const nodes = readNowNodes(L);
  for (let x = e; ; x = x.arguments[0]) {
    nodes.add(x);
    if (!(x.nodeType === 'FunctionCall' && x.kind === 'typeConversion' && x.arguments?.length === 1)) break;
  }
  return byteStringExpr(L, e, raw);
}

/** `readNow` for argument `i` when every other argument is free of effects and reverts, else `byteStringExpr`. */
export function readArg(L: FunctionLowerer, args: readonly AstNode[], i: number, raw = true): ByteStringData {
  const a = args[i]!;
  return args.every((x, j) => j === i || L.isPure(x)) ? readNow(L, a, raw) : byteStringExpr(L, a, raw);
}

/** One ABI-encoded item: a value-type word or a byte string. */
export type AbiItem =
  | { readonly kind: 'value'; readonly val: Val }
  | { readonly kind: 'bytes'; readonly data: ByteStringData }
  /** A dynamic array of value types: its length and its element words (an `mwords` value, see memarrays.ts). */
  | { readonly kind: 'array'; readonly len: Val; readonly data: Word };

/**
 * Standard ABI encoding of a tuple: head words (values, or offsets of byte strings), then each byte
 * string's length and zero-padded data. Offsets after a byte string depend on its length, so they are
 * computed (offset + 32 + ((len + 31) & ~31)).
 */
export function abiEncode(L: FunctionLowerer, items: readonly AbiItem[], loc: SrcLoc): Word[] {
  const heads: Word[] = [];
  const tails: Word[] = [];
  let next: Val | bigint = 32n * BigInt(items.length);
  for (const it of items) {
    if (it.kind === 'value') {
      heads.push({ kind: 'value', value: it.val.v, type: it.val.t });
      continue;
    }
    heads.push(typeof next === 'bigint' ? { kind: 'const', word: next } : { kind: 'value', value: next.v, type: U256 });
    const c = (x: bigint) => L.const(U256, x, loc);
    const after = (): Val => (typeof next === 'bigint' ? c(next + 32n) : L.binOp('add', next, c(32n), loc));
    if (it.kind === 'array') {
      // One word per element (the length is below 2^64: every array was allocated or decoded so).
      tails.push({ kind: 'value', value: it.len.v, type: U256 }, it.data);
      next = L.binOp('add', after(), L.binOp('mul', it.len, c(32n), loc), loc);
      continue;
    }
    // A literal goes in as a token too, so that it meets a variable holding it (or one of several
    // byte strings, joined by a phi) as the same kind of term.
    const data: Word[] = it.data.literal ? [{ kind: 'bytes', value: tokenOf(L, it.data, loc) }] : [...it.data.words];
    tails.push({ kind: 'value', value: it.data.len.v, type: U256 }, ...data);
    const padded = L.binOp('and', L.binOp('add', it.data.len, c(31n), loc), c(~31n), loc);
    const base = after();
    next = L.binOp('add', base, padded, loc);
  }
  return [...heads, ...tails];
}

/**
 * Arguments of an event or error call as ABI items, in parameter order. They are evaluated in solc's
 * order (`evaluationOrder`). A stored byte string evaluates to a storage reference and is read only when
 * encoding (after `between`), as solc does (checked on the EVM with corrupt encodings); a memory array
 * evaluates to its reference, its elements read when encoding. solc hashes an indexed event argument in
 * its turn, though: an indexed stored byte string or array next to an argument that can revert or has
 * effects stays unsupported.
 */
function abiItems(L: FunctionLowerer, args: readonly AstNode[], params: readonly AstNode[], names: readonly string[], loc: SrcLoc, between?: () => void, indexed?: (i: number) => boolean): AbiItem[] {
  const ordered = names.length > 0 ? params.map((p) => args[names.indexOf(p.name)]!) : args;
  if (names.length > 0 && !args.every((a) => L.isPure(a))) unsupported('named arguments with side effects', loc);
  const isBytes = (i: number): boolean => isByteArrayType(params[i]!.typeDescriptions?.typeString);
  const deferred = (i: number): boolean => isValueArrayDecl(params[i]!) || (isBytes(i) && isStoredBytes(ordered[i]!));
  const loud = (a: AstNode): boolean => !L.isPure(a) && !storedRead(L, a);
  const early = params.map((_, i) => (indexed?.(i) ?? false) && deferred(i));
  if (early.some((e, j) => e && ordered.some((a, k) => k !== j && loud(a)))) unsupported('stored byte string or array as an indexed event argument next to arguments with effects', loc);
  // A stored byte string is evaluated in its turn in solc (its storage place: keys, index checks) and
  // read when encoding; the model evaluates the whole of it when encoding. That is the same only when no
  // other argument has effects or can revert (`emit E(names[i], i = 7)` reads names[0] on chain), and,
  // when its place can revert (`items[k].name`), no parameter encoded before it can fail (a corrupt
  // stored string: Panic 0x22; an enum: Panic 0x21).
  const storedBytes = (i: number): boolean => isBytes(i) && deferred(i);
  const failsEncoding = (j: number): boolean => deferred(j) || enumMembersOf(L.ctx, params[j]!) !== null;
  for (const [i, a] of ordered.entries()) {
    if (!storedBytes(i)) continue;
    if (ordered.some((x, k) => k !== i && loud(x))) unsupported('stored byte string next to an argument with effects or one that can revert', loc);
    if (!L.isPure(a) && params.some((_, j) => j < i && failsEncoding(j))) unsupported('stored byte string whose place can revert after a parameter whose encoding can fail', loc);
  }
  const refs = new Map<number, Val>();
  const values: (Val | null)[] = params.map(() => null);
  const bytes: (ByteStringData | null)[] = params.map(() => null);
  for (const i of evaluationOrder(params, indexed)) {
    const a = ordered[i]!;
    const p = params[i]!;
    const raw = !(indexed?.(i) ?? false);
    if (isValueArrayDecl(p)) {
      const ref = arrayArgRef(L, a, p, loc);
      if (ref) refs.set(i, ref);
    } else if (isBytes(i)) {
      if (!deferred(i)) bytes[i] = byteStringExpr(L, a, raw);
    } else {
      values[i] = L.expr(a, L.valueTypeOf(p, loc));
      // An indexed argument is converted (an enum range-checked, Panic 0x21) in its turn.
      if (indexed?.(i) && !L.b.dead) guardEnumEncodable(L, values[i]!, enumMembersOf(L.ctx, p), loc);
    }
    if (L.b.dead) return [];
  }
  between?.();
  // Encoding goes parameter by parameter: an enum is validated (Panic 0x21) where its turn comes.
  return ordered.map((a, i) => {
    const v = values[i];
    if (v && !(indexed?.(i) ?? false)) guardEnumEncodable(L, v, enumMembersOf(L.ctx, params[i]!), loc);
    if (v) return { kind: 'value', val: v };
    if (isValueArrayDecl(params[i]!)) return arrayArgItem(L, a, params[i]!, refs.get(i), loc);
    const raw = !(indexed?.(i) ?? false);
    return { kind: 'bytes', data: bytes[i] ?? (between ? byteStringExpr(L, a, raw) : readArg(L, ordered, i, raw)) };
  });
}

/**
 * The order solc's legacy code generator evaluates an event's or error's arguments in (parameter
 * indexes; named arguments are sorted into parameter order first): an error's in order; an event's
 * indexed ones last to first, then the others in order (checked on the EVM, test/diff/contracts/ModArith.sol
 * `eventOrder`, test/diff/contracts/MsgDataContext.sol).
 */
export function evaluationOrder(params: readonly AstNode[], indexed?: (i: number) => boolean): number[] {
  const all = params.map((_, i) => i);
  if (!indexed) return all;
  return [...all.filter((i) => indexed(i)).reverse(), ...all.filter((i) => !indexed(i))];
}

const isStoredBytes = (a: AstNode): boolean => isByteArrayType(a.typeDescriptions?.typeString) && / storage/.test(a.typeDescriptions.typeString);

/**
 * A stored byte string (or its `.length`) whose place is free of effects and reverts (a state variable,
 * a mapping entry under pure keys, a struct member): reading it can only fail with Panic 0x22.
 */
function storedRead(L: FunctionLowerer, a: AstNode): boolean {
  let x = a.nodeType === 'MemberAccess' && a.memberName === 'length' ? a.expression : a;
  while (x.nodeType === 'FunctionCall' && x.kind === 'typeConversion' && x.arguments?.length === 1) x = x.arguments[0];
  if (!isByteArrayType(x.typeDescriptions?.typeString) || !/ storage /.test(x.typeDescriptions.typeString)) return false;
  const probe = L.aggregateBytesProbe(x);
  if (probe) return probe.pure;
  return x.nodeType === 'Identifier' || (x.nodeType === 'IndexAccess' && L.isPure(x));
}

/**
 * `emit E(...)` where some parameter is `string`/`bytes`. An indexed one is the topic keccak256 of its
 * bytes (solc copies it to memory, zero past the length, and hashes the length bytes). All arguments are
 * free of effects (see `abiItems`), so the order solc evaluates indexed ones in cannot be observed.
 */
export function emitWithBytes(L: FunctionLowerer, call: AstNode, ev: AstNode, loc: SrcLoc): void {
  const params: AstNode[] = ev.parameters.parameters;
  const items = abiItems(L, call.arguments, params, call.names ?? [], loc, undefined, (i) => Boolean(params[i]!.indexed));
  if (L.b.dead) return;
  const typeNames = params.map((p) => abiTypeName(L, p, loc));
  const signature = `${ev.name}(${typeNames.join(',')})`;
  const topics: Word[] = ev.anonymous ? [] : [{ kind: 'const', word: (ev.eventSelector ? BigInt('0x' + ev.eventSelector) : BigInt(keccakHex(signature))) }];
  const data: AbiItem[] = [];
  params.forEach((p, i) => {
    const it = items[i]!;
    if (p.indexed && it.kind === 'value') topics.push({ kind: 'value', value: it.val.v, type: it.val.t });
    else if (p.indexed && it.kind === 'bytes') {
      const h = hashBytes(L, it.data, false, loc);
      topics.push({ kind: 'value', value: h.v, type: h.t });
    } else if (p.indexed && it.kind === 'array') {
      // The topic is keccak256 of the elements' words, without the length (the in-place encoding).
      invariant(it.data.kind === 'bytes', 'array item words');
      const bytes = L.binOp('shl', it.len, L.const(U256, 5n, loc), loc);
      const h = L.b.def({ kind: 'bkeccak', len: bytes.v, data: it.data, abi: false, loc });
      topics.push({ kind: 'value', value: h, type: { kind: 'bytes', size: 32 } });
    } else data.push(it);
  });
  L.b.effect({ kind: 'emit', signature, topics, data: abiEncode(L, data, loc), loc });
}

/** The canonical ABI type name of an event or error parameter (`string`, `uint256[]`, `address`). */
function abiTypeName(L: FunctionLowerer, p: AstNode, loc: SrcLoc): string {
  if (isByteArrayType(p.typeDescriptions?.typeString)) return byteArrayParam('', p.typeDescriptions.typeString).typeName;
  const arr = memArrayShape(p.typeDescriptions?.typeString);
  if (arr && arr.length === null) return `${typeName(arr.elem)}[]`;
  return typeName(L.valueTypeOf(p, loc));
}

/** Whether an event or error has a parameter encoded in the tail (`string`/`bytes`, a dynamic value array). */
export function hasDynamicParam(params: readonly AstNode[]): boolean {
  return params.some((p) => isByteArrayType(p.typeDescriptions?.typeString) || isValueArrayDecl(p));
}

/** Revert data of a custom error call where some parameter is `string`/`bytes` or a dynamic value array. */
export function errorWithBytes(L: FunctionLowerer, call: AstNode, err: AstNode, loc: SrcLoc, between?: () => void): RevertData {
  const params: AstNode[] = err.parameters.parameters;
  const items = abiItems(L, call.arguments, params, call.names ?? [], loc, between);
  const typeNames = params.map((p) => abiTypeName(L, p, loc));
  const signature = `${err.name}(${typeNames.join(',')})`;
  const selector = err.errorSelector ? BigInt('0x' + err.errorSelector) : selectorOf(signature);
  return { selector, words: abiEncode(L, items, loc), description: signature };
}

/** `Error(string)` revert data with a byte-string expression (a variable, not a literal) as message. */
export function errorStringFrom(L: FunctionLowerer, arg: AstNode, loc: SrcLoc): RevertData {
  const data = byteStringExpr(L, arg);
  return { selector: ERROR_SELECTOR, words: abiEncode(L, [{ kind: 'bytes', data }], loc), description: `Error(${arg.name ?? 'string'})` };
}

/** A custom error call with a `string`/`bytes` or dynamic array parameter. */
function errorWithBytesCall(L: FunctionLowerer, reason: AstNode): AstNode | null {
  if (reason.nodeType !== 'FunctionCall') return null;
  const err = L.ctx.node(reason.expression.referencedDeclaration);
  if (err?.nodeType !== 'ErrorDefinition') return null;
  return hasDynamicParam(err.parameters.parameters) ? err : null;
}

/** A `require` message that reads storage: a stored string, or a custom error with byte-string arguments. */
export function isStoredMessage(L: FunctionLowerer, reason: AstNode): boolean {
  if (errorWithBytesCall(L, reason)) return true;
  if (!isByteArrayType(reason.typeDescriptions?.typeString) || reason.nodeType === 'Literal') return false;
  return L.consts.stringConstant(reason) === null;
}

/**
 * `require(c, message)` with a stored message: solc reads the message only when `c` fails (checked on
 * the EVM: a corrupt stored message does not revert a passing require), so it is lowered as a branch.
 */
export function requireStoredMessage(L: FunctionLowerer, c: Val, reason: AstNode, loc: SrcLoc): void {
  let pass: ReturnType<typeof L.b.leave> = null;
  const split = () => {
    if (L.b.dead) return;
    const env = new Map(L.b.env);
    const br = L.b.branch(c.v, loc);
    L.b.resume(br.then, env);
    pass = L.b.leave();
    L.b.resume(br.else, env);
  };
  const err = errorWithBytesCall(L, reason);
  if (err) {
    // A custom error's value arguments are evaluated whether or not c holds; its byte strings are
    // read only on failure.
    const data = errorWithBytes(L, reason, err, loc, split);
    if (!L.b.dead) L.b.terminate({ kind: 'revert', data, loc });
  } else {
    split();
    L.revertWith(reason, loc);
  }
  const fail = L.b.leave();
  L.b.join([pass, fail], loc);
}

/**
 * Byte strings by SSA value: decoded parameters and internal-call arguments (by their placeholder
 * value), tokens bound to variables and results of internal calls (by the token value).
 */
const byteValues = new WeakMap<FunctionLowerer, Map<number, ByteStringData>>();

export function byteValueTable(L: FunctionLowerer): Map<number, ByteStringData> {
  let x = byteValues.get(L);
  if (!x) byteValues.set(L, (x = new Map()));
  return x;
}

/**
 * A byte-string variable lives in the SSA environment as two values, its data token (a byte-string
 * value: `sbytes`, `cdbytes`, `bcat`, or a phi of them) and its length, so reassignments in branches and
 * loops join with phis like any local. Keys `bstr:<declaration id>:t|l` (carried by loops with their
 * variable, see loops.ts). A calldata byte string (a parameter, `msg.data`, a slice, or a memory copy of
 * one) also keeps where it starts in calldata under `bstr:<declaration id>:c`, so that a join of calldata
 * values is still sliced and decoded as calldata; a join drops that key unless every path has it.
 */
export const bytesVarKeys = (declId: number | string): { tok: string; len: string; cd: string } => ({ tok: `bstr:${declId}:t`, len: `bstr:${declId}:l`, cd: `bstr:${declId}:c` });

/** The byte-string value standing for `data` (a literal's constant words become a `bcat` of them). */
export function tokenOf(L: FunctionLowerer, data: ByteStringData, loc: SrcLoc): ValueId {
  const w = data.words[0];
  const table = byteValueTable(L);
  if (data.words.length === 1 && w?.kind === 'bytes') {
    if (!table.has(w.value)) table.set(w.value, data);
    return w.value;
  }
  // A literal's constant chunks, or an ABI encoding's exact parts (see abibytes.ts): the same bytes as a
  // concatenation, so that the value meets other byte strings (phis) as the same kind of term.
  const parts = data.literal ? constParts(data.literal) : data.parts;
  invariant(parts !== undefined, 'byte-string words without their literal or encoding parts');
  const id = L.b.def({ kind: 'bcat', len: data.len.v, parts: parts.map((part) => ({ kind: 'packed', part })), loc });
  // Uses of the variable keep the literal's constant words or the encoding's parts (as the expression used
  // directly has them: hashing, abi.decode and low-level calls need them).
  table.set(id, data);
  return id;
}

/** Binds (or rebinds) the byte-string variable `declId` to `data`. */
export function bindBytesVar(L: FunctionLowerer, declId: number | string, data: ByteStringData, loc: SrcLoc): void {
  const k = bytesVarKeys(declId);
  // The variable no longer holds a call's return data (see retdata.ts).
  L.b.env.delete(retDataKey(declId));
  L.b.env.set(k.tok, { v: tokenOf(L, data, loc), t: U256 });
  L.b.env.set(k.len, { v: data.len.v, t: U256 });
  if (data.calldata !== undefined) L.b.env.set(k.cd, { v: data.calldata.v, t: U256 });
  else L.b.env.delete(k.cd);
}

/** The byte string the variable `declId` holds here, or undefined when it is not a bound byte-string variable. */
export function readBytesVar(L: FunctionLowerer, declId: number | string): ByteStringData | undefined {
  const k = bytesVarKeys(declId);
  const tok = L.b.env.get(k.tok);
  const len = L.b.env.get(k.len);
  if (!tok || !len) return undefined;
  const known = byteValueTable(L).get(tok.v);
  if (known) return known;
  const cd = L.b.env.get(k.cd);
  return { len: { v: len.v, t: U256 }, words: [{ kind: 'bytes', value: tok.v }], ...(cd ? { calldata: { v: cd.v, t: U256 } } : {}) };
}

/** The exact bytes of the `bytes memory` local or parameter `e` names, when it holds an `abi.encode…(…)`. */
export function boundPayload(L: FunctionLowerer, e: AstNode | undefined): readonly KeccakPart[] | undefined {
  return e?.nodeType === 'Identifier' ? readBytesVar(L, e.referencedDeclaration)?.parts : undefined;
}

export { MAX64, allocDecoded, calldataStarts, decodeBytesParam, decodeTailStart } from './bytesdecode.ts';

/**
 * The argument of a `string`/`bytes` parameter of an internal function (null for other parameters): a
 * memory or calldata byte string, or a stored one copied to memory (only its length bytes survive). The
 * returned value is a placeholder the parameter is bound to by `bindBytesParam`.
 */
export function bytesArg(L: FunctionLowerer, a: AstNode, param: AstNode, loc: SrcLoc): Val | null {
  if (!isByteArrayType(param.typeDescriptions?.typeString)) return null;
  if (param.storageLocation !== 'memory' && param.storageLocation !== 'calldata') unsupported(`string/bytes parameter in ${param.storageLocation} location`, loc);
  // A call's returned bytes are passed on as their reference (bound by `bindBytesParam`).
  const x = bytesOrRef(L, a, loc);
  if ('ref' in x) return x.ref;
  const data = x.data;
  const placeholder = L.const(U256, 0n, loc);
  byteValueTable(L).set(placeholder.v, data);
  return placeholder;
}

/**
 * `string memory s = v;` (or calldata, or no initial value: empty): the local holds the byte string `v`
 * evaluates to (a stored one is copied, so later writes to storage do not change it). False for other
 * declarations.
 */
export function bytesLocal(L: FunctionLowerer, s: AstNode, loc: SrcLoc): boolean {
  const decls: (AstNode | null)[] = s.declarations;
  const d = decls.length === 1 ? decls[0] : null;
  if (!d || !isByteArrayType(d.typeDescriptions?.typeString)) return false;
  if (d.storageLocation !== 'memory' && d.storageLocation !== 'calldata') unsupported(`string/bytes local in ${d.storageLocation} location`, loc);
  if (!s.initialValue) {
    bindBytesVar(L, d.id, literalBytes(L, new Uint8Array(), loc), loc);
    return true;
  }
  const x = bytesOrRef(L, s.initialValue, loc);
  if (L.b.dead) return true;
  if ('ref' in x) bindRetData(L, d.id, x.ref);
  else bindBytesVar(L, d.id, x.data, loc);
  return true;
}

/** The slot step of a decoded `string`/`bytes` getter key (its placeholder `arg`): keccak256(bytes . slot). */
export function stringKeyStep(L: FunctionLowerer, arg: Val, loc: SrcLoc): SlotStep {
  const data = byteValueTable(L).get(arg.v);
  invariant(data !== undefined, 'getter key without its bytes');
  return { kind: 'bkey', value: tokenOf(L, data, loc), len: data.len.v };
}

/** Binds a `string`/`bytes` parameter of an inlined function to the byte string passed for it. */
export function bindBytesParam(L: FunctionLowerer, p: AstNode, arg: Val, loc: SrcLoc): void {
  if (!byteValueTable(L).has(arg.v) && refCall(L, arg.v) !== null) return bindRetData(L, p.id, arg);
  const data = byteValueTable(L).get(arg.v);
  if (!data) unsupported('string/bytes argument to an internal function', loc);
  bindBytesVar(L, p.id, data, loc);
}
