import type { SrcLoc } from '../util/loc.ts';

/**
 * patchproof's SSA IR. One function per entry point (internal calls and modifiers are inlined), a CFG of
 * basic blocks whose phis make every join explicit. Locals are SSA values; storage is an effect
 * (sload/sstore at a slot path), so state is identified by slot and offset, never by variable name.
 */

/** Value types the IR computes with. Widths are declared widths; bytesN is N bytes, left-aligned in ABI words. */
export type ValueType =
  | { readonly kind: 'uint'; readonly bits: number }
  | { readonly kind: 'int'; readonly bits: number }
  | { readonly kind: 'bool' }
  | { readonly kind: 'address' }
  | { readonly kind: 'bytes'; readonly size: number };

export type ValueId = number;
export type BlockId = number;

export type BinOp =
  // arithmetic, wrapping at the operand width (checks are separate instructions)
  | 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'exp'
  | 'and' | 'or' | 'xor' | 'shl' | 'shr'
  // the EVM's DIV/SDIV and MOD/SMOD (inline assembly): as div/mod, but a zero divisor gives 0
  | 'div0' | 'mod0'
  // comparisons (signedness from the operand type), result bool
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'
  // overflow predicates for checked arithmetic, result bool: true when the true result does not fit
  | 'addov' | 'subov' | 'mulov' | 'expov'
  // boolean connectives on bool operands (short-circuit is lowered to branches before this)
  | 'land' | 'lor';

export type UnOp = 'not' | 'bnot' | 'neg';

/**
 * A storage location: a root slot (a constant from solc's layout, struct member and constant index
 * offsets already added) and the steps applied to it, outermost first: a mapping key
 * (keccak256(key word . slot); `kind` may be omitted), an array's data area (keccak256(slot)), or an
 * added offset (slot + value, a uint256: `index * elementSlots + memberSlot`). An `add` step only
 * follows a hashing step; see smt/storage.ts for the canonical form and the non-overlap assumption.
 */
export interface SlotPath {
  readonly root: bigint;
  readonly keys: readonly SlotStep[];
}

export type SlotStep =
  | { readonly kind?: 'key'; readonly value: ValueId; readonly type: ValueType }
  | { readonly kind: 'data' }
  | { readonly kind: 'add'; readonly value: ValueId }
  /**
   * A `string`/`bytes` mapping key: keccak256(the key's bytes . slot); `value` is the key's byte-string
   * value (a data token) and `len` its length. Only as the first step of a path (the slot it hashes with
   * is the root).
   */
  | { readonly kind: 'bkey'; readonly value: ValueId; readonly len: ValueId };

/** An operand of ABI-encoded output: an SSA value (encoded as its 32-byte word) or a constant word. */
export type Word =
  | { readonly kind: 'value'; readonly value: ValueId; readonly type: ValueType }
  | { readonly kind: 'const'; readonly word: bigint }
  /**
   * The data words of a byte string (`bytes`/`string`) value defined by a byte-string instruction
   * (`sbytes`): ceil(len/32) words, however many that is. Its length word and offset are separate words.
   */
  | { readonly kind: 'bytes'; readonly value: ValueId };

/** Revert data: empty, or a 4-byte selector followed by ABI words. `description` is for people. */
export interface RevertData {
  readonly selector: bigint | null;
  readonly words: readonly Word[];
  readonly description: string;
  /**
   * Set when this revert re-raises the output of the external call `bubble` (the call's id): its revert
   * data when it failed (solc's re-raise, OpenZeppelin's assembly one), its return data when it succeeded.
   */
  readonly bubble?: ValueId;
  /**
   * With `bubble`: the re-raise of a call's returned bytes in inline assembly (`revert(add(32, data),
   * mload(data))`), whose revert data the model takes from the call's return words (see smt/symexec.ts);
   * without it, solc's own re-raise of a failed high-level call. A call is re-raised one way only.
   */
  readonly raw?: true;
  /**
   * Set where code compiled by solc <0.8 executes INVALID (0xfe) instead of reverting with a Panic: an
   * exceptional halt, observably a revert with empty data (its gas use is not compared). Always with
   * `selector` null and no words.
   */
  readonly invalid?: true;
}

/** How an external call is made: `call` may change state (and re-enter unless it has only the stipend); `staticcall` cannot. */
export type CallKind = 'call' | 'staticcall';

export type Instr =
  | { readonly kind: 'const'; readonly id: ValueId; readonly type: ValueType; readonly value: bigint; readonly loc: SrcLoc }
  /** The raw calldata word of argument `index` (decoding and its validity check are explicit instructions). */
  | { readonly kind: 'arg'; readonly id: ValueId; readonly index: number; readonly name: string; readonly loc: SrcLoc }
  | { readonly kind: 'env'; readonly id: ValueId; readonly name: EnvName; readonly type: ValueType; readonly loc: SrcLoc }
  /** Value of an immutable: the same symbolic value for both versions when name and type agree. */
  | { readonly kind: 'immutable'; readonly id: ValueId; readonly name: string; readonly type: ValueType; readonly loc: SrcLoc }
  | { readonly kind: 'bin'; readonly id: ValueId; readonly op: BinOp; readonly a: ValueId; readonly b: ValueId; readonly type: ValueType; readonly loc: SrcLoc }
  | { readonly kind: 'un'; readonly id: ValueId; readonly op: UnOp; readonly a: ValueId; readonly type: ValueType; readonly loc: SrcLoc }
  /** Type conversion with Solidity's rules (truncate, extend, re-align bytesN); `a` has type `from`. */
  | { readonly kind: 'conv'; readonly id: ValueId; readonly a: ValueId; readonly from: ValueType; readonly to: ValueType; readonly loc: SrcLoc }
  /** True when the raw calldata word `a` is a valid ABI encoding of `type` (clean high bits, bool 0/1). */
  | { readonly kind: 'abiok'; readonly id: ValueId; readonly a: ValueId; readonly type: ValueType; readonly loc: SrcLoc }
  /** Non-short-circuit select of two already-computed values. */
  | { readonly kind: 'select'; readonly id: ValueId; readonly cond: ValueId; readonly a: ValueId; readonly b: ValueId; readonly type: ValueType; readonly loc: SrcLoc }
  | { readonly kind: 'sload'; readonly id: ValueId; readonly slot: SlotPath; readonly offset: number; readonly type: ValueType; readonly loc: SrcLoc }
  | { readonly kind: 'sstore'; readonly slot: SlotPath; readonly offset: number; readonly type: ValueType; readonly value: ValueId; readonly loc: SrcLoc }
  | { readonly kind: 'emit'; readonly signature: string; readonly topics: readonly Word[]; readonly data: readonly Word[]; readonly loc: SrcLoc }
  /** Continue when `cond` holds, else revert with `revert`. Used for compiler-inserted and checked-arithmetic reverts. */
  | { readonly kind: 'guard'; readonly cond: ValueId; readonly revert: RevertData; readonly loc: SrcLoc }
  | { readonly kind: 'phi'; readonly id: ValueId; readonly type: ValueType; readonly incoming: readonly { readonly block: BlockId; readonly value: ValueId }[]; readonly loc: SrcLoc }
  /** keccak256 of the byte string its parts spell, in order (abi.encode… of value types, literals); a bytes32. */
  | { readonly kind: 'keccak'; readonly id: ValueId; readonly parts: readonly KeccakPart[]; readonly loc: SrcLoc }
  /**
   * `sha256` (bytes32), `ripemd160` (bytes20) or `ecrecover` (address; 0 when nothing is recovered) of the
   * bytes the parts spell: a STATICCALL to precompile 0x02, 0x03 or 0x01, which always succeeds here.
   */
  | { readonly kind: 'precompile'; readonly id: ValueId; readonly fn: 'sha256' | 'ripemd160' | 'ecrecover'; readonly parts: readonly KeccakPart[]; readonly loc: SrcLoc }
  /**
   * An external call; the value is its success flag (bool). `stipend` calls get only 2300 gas (no state
   * change, no re-entrancy). `selector` null with no args is empty calldata. A call with value more than
   * the contract's balance fails without running (returndata empty). Results are the world's answer.
   * `data`, when set (low-level `a.call(abi.encode…(…))`), is the exact calldata and then `selector` is
   * null and `args` empty (see ir/calldata.ts). `gas` is the `{gas: g}` option (else all gas is passed).
   * `forward`, when set (low-level `a.call(data)` of a calldata byte string: a parameter, `msg.data`, a
   * slice), is instead the exact calldata: `len` bytes whose data words are the `bytes` Word `data`. With
   * `head` (an interface call with one `string`/`bytes` argument) the calldata is head's bytes (selector,
   * head words), then the length word, then the data words zero-padded to whole words.
   */
  | { readonly kind: 'call'; readonly id: ValueId; readonly call: CallKind; readonly stipend: boolean; readonly to: ValueId; readonly amount: ValueId | null; readonly selector: bigint | null; readonly args: readonly Word[]; readonly data?: readonly KeccakPart[]; readonly forward?: { readonly head?: readonly KeccakPart[]; readonly len: ValueId; readonly data: Word }; readonly gas?: ValueId; readonly loc: SrcLoc }
  /** Raw word `index` of call `call`'s return data (zero past returndatasize). */
  | { readonly kind: 'callret'; readonly id: ValueId; readonly call: ValueId; readonly index: number; readonly loc: SrcLoc }
  /** returndatasize after call `call` (uint256). */
  | { readonly kind: 'callrds'; readonly id: ValueId; readonly call: ValueId; readonly loc: SrcLoc }
  /** True when address `to` has code now (EXTCODESIZE > 0), checked by solc before calls that decode no return data. */
  | { readonly kind: 'hascode'; readonly id: ValueId; readonly to: ValueId; readonly loc: SrcLoc }
  /** The contract's own balance now (SELFBALANCE, uint256): the entry balance (including msg.value) less value sent since. */
  | { readonly kind: 'selfbalance'; readonly id: ValueId; readonly loc: SrcLoc }
  /**
   * `a.balance` (BALANCE, uint256) of any address: the contract's own balance (as `selfbalance`) when `to`
   * is address(this), else the world's answer, a function of the address and the calls made before.
   */
  | { readonly kind: 'balance'; readonly id: ValueId; readonly to: ValueId; readonly loc: SrcLoc }
  /**
   * `gasleft()` (GAS, uint256). Gas is not modelled: the value is the world's, a function of the external
   * calls made so far and of how many `gasleft()` reads came since the last of them (see README).
   */
  | { readonly kind: 'gasleft'; readonly id: ValueId; readonly loc: SrcLoc }
  /**
   * `blockhash(n)` (bytes32): 0 unless 1 <= block.number - n <= 256; then the hash of block n, which the
   * model leaves free but the same in both versions (one chain).
   */
  | { readonly kind: 'blockhash'; readonly id: ValueId; readonly n: ValueId; readonly loc: SrcLoc }
  /**
   * The data words of the byte array (`bytes`/`string`) stored at `slot`, whose slot word is `word` and
   * decoded length `len` (both computed before, with the 0x22 check): its first len bytes — from `word`
   * (short form, `word` even) or from the ceil(len/32) words at keccak256(slot) + i (long form) — zero-
   * padded to whole words, as solc copies them to memory (bytes past len in storage are dropped). `raw`:
   * the words exactly as stored instead (short form: `word` with its length byte cleared), which is what
   * solc's ABI encoder emits when it encodes straight from storage (event data, revert data). Usable only
   * as a `bytes` Word.
   */
  | { readonly kind: 'sbytes'; readonly id: ValueId; readonly slot: SlotPath; readonly word: ValueId; readonly len: ValueId; readonly raw: boolean; readonly loc: SrcLoc }
  /** CALLDATALOAD at a computed byte offset: the 32 calldata bytes there, zero past the end (uint256). */
  | { readonly kind: 'cdload'; readonly id: ValueId; readonly offset: ValueId; readonly loc: SrcLoc }
  /**
   * True when each of the `len` calldata words at start + 32 j is a valid ABI encoding of `type` (as
   * `abiok`): solc's encoder validates a calldata array's elements one by one when it encodes them.
   */
  | { readonly kind: 'cdclean'; readonly id: ValueId; readonly start: ValueId; readonly len: ValueId; readonly type: ValueType; readonly loc: SrcLoc }
  /**
   * True when each of the `len` elements of the calldata `bytes[]` whose offset words start at `start`
   * passes the checks solc makes when it reads or encodes one (see ir/lower/bytesarrays.ts): its offset
   * word rel <s calldatasize - start - 31, its length word (zero past the calldata) at most 2^64-1, and
   * start + rel + 32 <=s calldatasize - length.
   */
  | { readonly kind: 'cdbytesok'; readonly id: ValueId; readonly start: ValueId; readonly len: ValueId; readonly loc: SrcLoc }
  /**
   * keccak256 of `abi.encode` of `items` where some are read from calldata (the operation id of a
   * timelock batch): solc's encoding (head words, then each array's length and elements, a `bytes[]`'s
   * offsets, lengths and zero-padded data). The checks of the encoder come before (`cdclean`,
   * `cdbytesok`). A bytes32.
   */
  | { readonly kind: 'cdabihash'; readonly id: ValueId; readonly items: readonly CdAbiItem[]; readonly loc: SrcLoc }
  /**
   * The data words of the calldata bytes [start, start + len), zero-padded to whole words (as solc copies
   * a calldata byte string). The decoder's checks come before it. Usable only as a `bytes` Word.
   */
  | { readonly kind: 'cdbytes'; readonly id: ValueId; readonly start: ValueId; readonly len: ValueId; readonly loc: SrcLoc }
  /**
   * Writes a byte string to the `string`/`bytes` in storage whose slot word is at `slot`, as solc's copy
   * to storage does (checked on the EVM). `old` is the slot word before, read and checked (Panic 0x22) by
   * earlier instructions: if it was in long form, its data words from index ceil(len/32) (0 when the new
   * value is short) up to ceil(oldLen/32) are zeroed. A new value of fewer than 32 bytes goes into the slot
   * word (bytes high, zero past len, len*2 in the low byte); a longer one leaves len*2+1 there and its data
   * at keccak256(slot) + i, the last word zero past len. `data` spells the bytes: constant words, or one
   * `bytes` Word of a calldata byte string (`cdbytes`); `delete` writes len 0 and no words.
   */
  /**
   * Zeroes the data words keccak256(slot) + j, j < `len`, of the dynamic storage array whose length is at
   * `slot` (the loop solc's `delete a` and `a = new T[](0)` run over the old length's words, whole words:
   * packed elements' junk bytes too). The length itself is written by an `sstore`.
   */
  | { readonly kind: 'sclear'; readonly slot: SlotPath; readonly len: ValueId; readonly loc: SrcLoc }
  /**
   * Writes the first `len` data words keccak256(slot) + j of the dynamic storage array whose length is at
   * `slot` (one 32-byte element per word): word j becomes data word j of the storage array whose length
   * is at `from` (as it is before this instruction; never the same array), or, with `start`, the calldata
   * word at start + 32 j. The loop of solc's copy to storage (`a = b`, `a = xs`); the length and the
   * old tail are written by an `sstore` and an `sclear`.
   */
  | { readonly kind: 'scopy'; readonly slot: SlotPath; readonly from: SlotPath | null; readonly start: ValueId | null; readonly len: ValueId; readonly loc: SrcLoc }
  | { readonly kind: 'bstore'; readonly slot: SlotPath; readonly old: ValueId; readonly len: ValueId; readonly data: readonly Word[]; readonly loc: SrcLoc }
  /**
   * keccak256 of a byte string of `len` bytes whose data words are `data` (a `bytes` Word): of the bytes
   * themselves (`keccak256(bytes(s))`, `abi.encodePacked(s)`), or with `abi` of `abi.encode(s)` (the
   * offset word 0x20, the length word, the data zero-padded to whole words). A bytes32.
   */
  | { readonly kind: 'bkeccak'; readonly id: ValueId; readonly len: ValueId; readonly data: Word; readonly abi: boolean; readonly loc: SrcLoc }
  /**
   * A fresh memory array of `len` elements of type `elem` (`new T[](n)`, an array literal, a copy): the
   * value is a reference to it (a uint256), distinct from every other allocation's. References are
   * opaque: no instruction turns one into output, so versions may allocate differently. The elements are
   * zero, or with `src` those of the storage array of value types whose length slot is `src` (its data at
   * keccak256(src) + i / per, per = floor(32 / bytes) elements to a slot for elements of at most 16 bytes,
   * else 1, at byte offset (i % per) * bytes from the low end), as they are now: solc's copy to memory.
   */
  | { readonly kind: 'alloc'; readonly id: ValueId; readonly len: ValueId; readonly elem: ValueType; readonly src?: SlotPath; readonly loc: SrcLoc }
  /** The length of the memory array `ref`. */
  | { readonly kind: 'mlen'; readonly id: ValueId; readonly ref: ValueId; readonly loc: SrcLoc }
  /** Element `index` of the memory array `ref` (bounds-checked before, by a guard). */
  | { readonly kind: 'mload'; readonly id: ValueId; readonly ref: ValueId; readonly index: ValueId; readonly type: ValueType; readonly loc: SrcLoc }
  /**
   * The ABI words of the elements of memory array `ref` as they are now, in order: its length's worth of
   * words, each the element's 32-byte word (solc's encoding of a memory array of value types, after the
   * length word). Usable only as a `bytes` Word of output (return data, event data, revert data) or as
   * the data of a `bkeccak` that is itself only an event topic: the SMT encoding compares the elements at
   * one free index (see smt/memory.ts), which is exact for outputs compared for equality and for nothing else.
   */
  | { readonly kind: 'mwords'; readonly id: ValueId; readonly ref: ValueId; readonly elem: ValueType; readonly loc: SrcLoc }
  /** Writes element `index` of the memory array `ref` (bounds-checked before); every reference to it sees the write. */
  | { readonly kind: 'mstore'; readonly ref: ValueId; readonly index: ValueId; readonly value: ValueId; readonly type: ValueType; readonly loc: SrcLoc }
  /**
   * A byte string in memory (`string.concat`, `bytes.concat`, `abi.encodePacked`, a literal bound to a
   * variable): the bytes its parts spell, in order, zero-padded to whole words; `len` is their count
   * (computed before). Usable only as a `bytes` Word, and as a phi operand (a byte-string variable
   * reassigned in branches or loops joins like any other: phis over byte-string values are byte strings).
   */
  | { readonly kind: 'bcat'; readonly id: ValueId; readonly len: ValueId; readonly parts: readonly BytesPart[]; readonly loc: SrcLoc }
  /** `new bytes(n)` / `new string(n)`: n zero bytes (its Panic 0x41 check is a guard before). A byte-string value as `bcat`'s. */
  | { readonly kind: 'bzero'; readonly id: ValueId; readonly len: ValueId; readonly loc: SrcLoc }
  /**
   * The byte string `data` with byte `index` (below its length: Panic 0x32 is a guard before) replaced
   * by `value` (a bytes1): `b[i] = x` of a memory byte string, as a new value (see bytevalues.ts for when
   * a write is allowed: the variable must hold the only reference). A byte-string value as `bcat`'s.
   */
  | { readonly kind: 'bset'; readonly id: ValueId; readonly data: ValueId; readonly index: ValueId; readonly value: ValueId; readonly loc: SrcLoc };

/** An argument of a `cdabihash` encoding. */
export type CdAbiItem =
  | { readonly kind: 'value'; readonly value: ValueId; readonly type: ValueType }
  /** A dynamic array of 32-byte words in calldata (value types, validated before): `len` words at `start`. */
  | { readonly kind: 'words'; readonly start: ValueId; readonly len: ValueId }
  /** A calldata `bytes[]`/`string[]`: `len` offset words at `start`, element k at start + offset k. */
  | { readonly kind: 'bytesarray'; readonly start: ValueId; readonly len: ValueId }
  /** A calldata byte string (checked when it was decoded or read): `len` bytes at `start`. */
  | { readonly kind: 'bytes'; readonly start: ValueId; readonly len: ValueId };

/**
 * A part of a `bcat`: the first `len` bytes of byte-string value `value`, or a value packed as in
 * abi.encodePacked (see KeccakPart; constant chunks of literals too).
 */
export type BytesPart =
  | { readonly kind: 'bytes'; readonly value: ValueId; readonly len: ValueId }
  | { readonly kind: 'packed'; readonly part: KeccakPart };

/**
 * `bytes` bytes of hash input. A value with bytes = 32 is its 32-byte ABI word (abi.encode); with fewer
 * bytes it is packed at its own width (abi.encodePacked: bytesN its N bytes, intN/uintN N/8 bytes, address
 * 20, bool 1). A constant gives the low `bytes` bytes of its word (selectors, literal string chunks).
 */
export interface KeccakPart {
  readonly word: Word;
  readonly bytes: number;
}

export type EnvName =
  | 'msg.sender' | 'msg.value' | 'block.timestamp' | 'block.number' | 'calldatasize'
  // Shared inputs of both versions; `block.difficulty` is `block.prevrandao` (the same opcode since Paris).
  | 'tx.origin' | 'block.chainid' | 'block.coinbase' | 'block.basefee' | 'block.prevrandao' | 'block.gaslimit'
  | 'address(this)';

export type Terminator =
  | { readonly kind: 'jmp'; readonly target: BlockId; readonly loc: SrcLoc }
  | { readonly kind: 'br'; readonly cond: ValueId; readonly then: BlockId; readonly else: BlockId; readonly loc: SrcLoc }
  | { readonly kind: 'return'; readonly values: readonly Word[]; readonly loc: SrcLoc }
  | { readonly kind: 'revert'; readonly data: RevertData; readonly loc: SrcLoc }
  /**
   * The loop at `loc` would run iteration `bound + 1`: the path is cut here (bounded unrolling). It is
   * neither a success nor a revert; verdicts that rest on such paths never being taken name the bound.
   */
  | { readonly kind: 'exhausted'; readonly bound: number; readonly loc: SrcLoc };

export interface Block {
  readonly id: BlockId;
  readonly instrs: readonly Instr[];
  readonly term: Terminator;
}

export type EntryKind = 'function' | 'getter' | 'fallback' | 'receive';

export interface Param {
  readonly name: string;
  readonly type: ValueType;
  readonly typeName: string;
  /** For an enum (typed uint8): its member count, which the ABI decoder and encoder check against. */
  readonly enumMembers?: number;
}

/** A construct the IR does not model: the entry point that reaches it is `unsupported`. */
export interface Unsupported {
  readonly construct: string;
  readonly loc: SrcLoc;
}

export interface IrFunction {
  readonly kind: EntryKind;
  readonly name: string;
  /** Canonical signature (`transfer(address,uint256)`), `fallback()` or `receive()`. */
  readonly signature: string;
  readonly selector: bigint | null;
  readonly payable: boolean;
  readonly params: readonly Param[];
  readonly returns: readonly Param[];
  readonly loc: SrcLoc;
  /** True for the dispatcher's built-in behaviour when no receive/fallback is declared (revert). */
  readonly implicit: boolean;
  readonly body: { readonly ok: true; readonly blocks: readonly Block[]; readonly entry: BlockId } | { readonly ok: false; readonly unsupported: Unsupported };
  /**
   * Where internal calls were inlined (metadata only: the blocks above are the semantics). The encoder
   * may abstract a call that is identical in both versions by a shared summary (src/ir/summary.ts).
   */
  readonly calls?: readonly InlinedCall[];
  /** Where loops were unrolled (metadata only, like `calls`): identical loops may share a summary. */
  readonly loops?: readonly UnrolledLoop[];
}

/**
 * One inlined internal call. The callee's code is exactly the blocks with ids in [entry, exit): control
 * enters it only by a `jmp` to `entry` and leaves it only by a `jmp` to `exit`, whose leading phis (one
 * incoming each) are the call's results in order.
 */
export interface InlinedCall {
  readonly callee: string;
  readonly entry: BlockId;
  readonly exit: BlockId;
  readonly results: readonly ValueId[];
  readonly loc: SrcLoc;
}

/**
 * One unrolled loop. Its code (condition, body, post expression, every unrolled copy, its `exhausted`
 * ends) is exactly the blocks with ids in [entry, exit): control enters it only by a `jmp` to `entry`
 * and leaves it normally (condition false, `break`) only by jumps to `exit`, whose leading phis carry
 * the values live out of the loop; any other way out (a revert, `return`) is a terminator inside.
 */
export interface UnrolledLoop {
  readonly entry: BlockId;
  readonly exit: BlockId;
  readonly loc: SrcLoc;
}

/** A storage variable as solc laid it out. */
export interface StorageVar {
  readonly name: string;
  readonly contract: string;
  readonly slot: bigint;
  readonly offset: number;
  readonly typeLabel: string;
  /** Value type for value-type variables; mappings carry their key types and final value type. */
  readonly shape: { readonly kind: 'value'; readonly type: ValueType } | { readonly kind: 'mapping'; readonly keys: readonly ValueType[]; readonly value: ValueType } | { readonly kind: 'other' };
  readonly loc: SrcLoc;
  /** The variable's type with its layout, when it is made of modelled parts (structs, arrays, mappings, value types). */
  readonly layout?: StorageType;
}

export interface IrContract {
  readonly name: string;
  readonly file: string;
  readonly functions: readonly IrFunction[];
  readonly storage: readonly StorageVar[];
  /**
   * The string and hex literals of the sources, by their keccak256: what a hashed byte string must be to
   * hash to one of these constants (role names, `keccak256("MINTER_ROLE")`).
   */
  readonly literalHashes?: ReadonlyMap<bigint, Uint8Array>;
  /** Events declared or used, by signature (for decoding logs in counterexamples). */
  readonly events: ReadonlyMap<string, { readonly name: string; readonly params: readonly (Param & { readonly indexed: boolean })[]; readonly anonymous: boolean }>;
  /** Custom errors by selector (for decoding revert data). */
  readonly errors: ReadonlyMap<bigint, { readonly signature: string; readonly params: readonly Param[] }>;
}

export function typeBits(t: ValueType): number {
  switch (t.kind) {
    case 'uint':
    case 'int':
      return t.bits;
    case 'bool':
      return 1;
    case 'address':
      return 160;
    case 'bytes':
      return t.size * 8;
  }
}

export function isSigned(t: ValueType): boolean {
  return t.kind === 'int';
}

export function typeName(t: ValueType): string {
  switch (t.kind) {
    case 'uint':
      return `uint${t.bits}`;
    case 'int':
      return `int${t.bits}`;
    case 'bool':
      return 'bool';
    case 'address':
      return 'address';
    case 'bytes':
      return `bytes${t.size}`;
  }
}

export function sameType(a: ValueType, b: ValueType): boolean {
  return typeName(a) === typeName(b);
}

export const U256: ValueType = { kind: 'uint', bits: 256 };
export const BOOL: ValueType = { kind: 'bool' };
export const ADDRESS: ValueType = { kind: 'address' };

/**
 * A storage type with solc's layout: value types (packed by byte offset), structs (members at slot
 * and byte offsets), fixed and dynamic arrays, mappings. Used to lower structs and arrays and to name
 * slots in reports. Arrays of value types narrower than 17 bytes pack floor(32 / bytes) elements per
 * slot; every other element starts its own slot.
 */
export type StorageType =
  | { readonly kind: 'value'; readonly type: ValueType; readonly bytes: number }
  | { readonly kind: 'struct'; readonly name: string; readonly members: readonly StructMember[]; readonly slots: bigint }
  | { readonly kind: 'array'; readonly elem: StorageType; readonly length: bigint | null }
  | { readonly kind: 'mapping'; readonly key: ValueType; readonly value: StorageType }
  /** A `string`/`bytes`: its slot word (short form, or the length), long-form data at keccak256(slot) + i. */
  | { readonly kind: 'bytes'; readonly text: 'string' | 'bytes' };

export interface StructMember {
  readonly name: string;
  readonly type: StorageType;
  readonly slot: bigint;
  readonly offset: number;
}

/** Slots a storage type occupies where it is declared (a dynamic array or mapping takes one). */
export function storageSlots(t: StorageType): bigint {
  switch (t.kind) {
    case 'value':
    case 'mapping':
    case 'bytes':
      return 1n;
    case 'struct':
      return t.slots;
    case 'array':
      if (t.length === null) return 1n;
      // Packed value elements: floor(32 / bytes) to a slot.
      if (t.elem.kind === 'value' && t.elem.bytes <= 16) {
        const per = BigInt(Math.floor(32 / t.elem.bytes));
        return (t.length + per - 1n) / per;
      }
      return t.length * storageSlots(t.elem);
  }
}
