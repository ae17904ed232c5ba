import type { SrcLoc } from '../../util/loc.ts';
import { isBuiltinRef, unsupported, type AstNode, type LowerContext } from './context.ts';

/**
 * The lowering models the Solidity language, while a verdict is about the code a compiler produced from
 * it. Where a compiler release is known to miscompile a construct (solc's published list of known bugs,
 * docs/bugs.json in the Solidity repository), the model and the deployed code can disagree, so for code
 * compiled by an affected release every such construct is `unsupported` instead of modelled.
 *
 * Each bug below carries the releases it affects (`introduced` inclusive, `fixed` exclusive), the
 * compiler settings it needs, and either a detector for the constructs that can trigger it (refused at
 * their location, as far as an entry point can reach them, or for the whole contract) or the reason it
 * cannot touch what patchproof models. Bugs fixed before 0.6.12, the oldest compiler whose code is
 * modelled, are not listed. Detectors are conservative: they refuse every use of the construct the bug
 * names, not only the uses that trigger it.
 */
export interface KnownBug {
  readonly name: string;
  readonly introduced: string;
  readonly fixed: string;
  /** Settings the bug needs: the optimizer on, or a custom Yul optimizer step sequence. */
  readonly needs?: 'optimizer' | 'custom-yul-steps' | 'via-ir';
  /** What the bug does, in a few words (the `unsupported` reason). */
  readonly what: string;
  /** A construct an entry point may reach that can trigger the bug. */
  readonly construct?: (ctx: LowerContext, n: AstNode, parent: AstNode | undefined) => boolean;
  /** A property of the whole contract (its storage layout, say) that can trigger the bug. */
  readonly contract?: (ctx: LowerContext, layout: SolcLayout) => AstNode | true | undefined;
  /** Why no modelled construct can trigger it (when it has no detector). */
  readonly notModelled?: string;
}

/** solc's `storageLayout` output, as far as the detectors read it. */
interface SolcLayout {
  readonly storage: readonly { readonly astId: number; readonly slot: string; readonly type: string }[];
  readonly types?: Readonly<Record<string, { readonly encoding: string; readonly numberOfBytes: string; readonly base?: string }>> | null;
}

/** What a compilation's settings say about the optimizer (`Compilation.settings`). */
export interface OptimizerSettings {
  readonly optimizer: boolean;
  readonly customYulSteps: boolean;
  /** Code generation through Yul (refused before lowering; listed for completeness). */
  readonly viaIR?: boolean;
}

export function optimizerSettings(settings: object): OptimizerSettings {
  const s = settings as { viaIR?: boolean; optimizer?: { enabled?: boolean; details?: { yulDetails?: { optimizerSteps?: string } } } };
  const o = s.optimizer;
  return { optimizer: o?.enabled === true, customYulSteps: typeof o?.details?.yulDetails?.optimizerSteps === 'string', viaIR: s.viaIR === true };
}

const typeOf = (n: AstNode): string => n?.typeDescriptions?.typeString ?? '';

/**
 * A calldata array or struct used whole (not as the base of an index, slice or member access): solc then
 * re-encodes it from calldata (an external call, `abi.encode…`, an event, a return, a copy).
 */
function calldataAggregateUsedWhole(n: AstNode, parent: AstNode | undefined, shape: RegExp): boolean {
  if (n.nodeType !== 'Identifier' && n.nodeType !== 'MemberAccess' && n.nodeType !== 'IndexAccess') return false;
  if (!shape.test(typeOf(n))) return false;
  if (parent && (parent.nodeType === 'IndexAccess' || parent.nodeType === 'IndexRangeAccess' || parent.nodeType === 'MemberAccess') && parent.baseExpression === n) return false;
  if (parent?.nodeType === 'MemberAccess' && parent.expression === n) return false;
  return true;
}

/** Whether a function call's callee is the builtin `name` (`keccak256`, `abi.encodeCall`, …). */
function isBuiltinCall(n: AstNode, name: string): boolean {
  if (n.nodeType !== 'FunctionCall') return false;
  const c = n.expression;
  if (c?.nodeType === 'Identifier') return c.name === name && isBuiltinRef(c.referencedDeclaration);
  if (c?.nodeType === 'MemberAccess' && c.expression?.nodeType === 'Identifier' && isBuiltinRef(c.expression.referencedDeclaration)) return `${c.expression.name}.${c.memberName}` === name;
  return false;
}

const SLOTS_LIMIT = 2n ** 64n;

export const KNOWN_BUGS: readonly KnownBug[] = [
  {
    name: 'UncheckedArrayStorageSizeOverflow', introduced: '0.1.0', fixed: '0.8.35',
    what: 'a dynamic storage array whose elements span so many slots that index × element size can overflow',
    // Elements of at least 2^64 slots: any smaller size times a length reachable by push stays far below 2^256.
    contract: (_ctx, layout) => Object.values(layout.types ?? {}).some((t) => {
      const base = t.base === undefined ? undefined : layout.types?.[t.base];
      return t.encoding === 'dynamic_array' && base !== undefined && BigInt(base.numberOfBytes) / 32n >= SLOTS_LIMIT;
    }) || undefined,
  },
  {
    name: 'InheritanceOrderReversalOnStorageEndWarning', introduced: '0.8.29', fixed: '0.8.36',
    what: 'a custom storage layout (`layout at`), whose warning near the end of storage reverses the inheritance order',
    contract: (ctx) => ctx.linearization.map((c) => c.storageLayout).find((s) => s !== undefined && s !== null),
  },
  {
    name: 'LostStorageArrayWriteOnSlotOverflow', introduced: '0.1.0', fixed: '0.8.32',
    what: 'a state variable that wraps past the last storage slot (clearing and copying loops stop at once)',
    contract: (ctx, layout) => {
      for (const s of layout.storage) {
        const bytes = BigInt(layout.types?.[s.type]?.numberOfBytes ?? '32');
        if (BigInt(s.slot) + (bytes + 31n) / 32n > 2n ** 256n) return ctx.node(s.astId) ?? true;
      }
      return undefined;
    },
  },
  {
    name: 'FullInlinerNonExpressionSplitArgumentEvaluationOrder', introduced: '0.6.7', fixed: '0.8.21', needs: 'custom-yul-steps',
    what: 'a custom Yul optimizer step sequence (settings.optimizer.details.yulDetails.optimizerSteps)',
    contract: () => true,
  },
  {
    name: 'MissingSideEffectsOnSelectorAccess', introduced: '0.6.2', fixed: '0.8.21',
    what: '`.selector` of an expression with side effects',
    notModelled: 'the lowering takes `.selector` only of a function, error or event named without side effects (exprs.ts selectorMember)',
  },
  {
    name: 'AbiReencodingHeadOverflowWithStaticArrayCleanup', introduced: '0.5.8', fixed: '0.8.16',
    what: 'a statically-sized calldata array or calldata struct re-encoded whole',
    construct: (_ctx, n, parent) => calldataAggregateUsedWhole(n, parent, /(\[\d+\]|^struct [\w.]+) calldata$/),
  },
  {
    name: 'DirtyBytesArrayToStorage', introduced: '0.0.1', fixed: '0.8.15',
    what: '`push()` without an argument on a `bytes` storage array',
    construct: (_ctx, n) => n.nodeType === 'FunctionCall' && (n.arguments?.length ?? 0) === 0 && n.expression?.nodeType === 'MemberAccess' &&
      n.expression.memberName === 'push' && /^bytes storage/.test(typeOf(n.expression.expression)),
  },
  {
    name: 'DataLocationChangeInInternalOverride', introduced: '0.6.9', fixed: '0.8.14',
    what: 'an internal or public override that changes a parameter\'s data location',
    construct: (ctx, n) => {
      if (n.nodeType !== 'FunctionDefinition' || n.visibility === 'external' || !Array.isArray(n.baseFunctions)) return false;
      const locs = (f: AstNode) => [...(f.parameters?.parameters ?? []), ...(f.returnParameters?.parameters ?? [])].map((p: AstNode) => p.storageLocation as string);
      const mine = locs(n);
      return (n.baseFunctions as number[]).some((id) => {
        const base = ctx.node(id);
        return base !== undefined && locs(base).some((l, i) => l !== mine[i]);
      });
    },
  },
  {
    name: 'NestedCalldataArrayAbiReencodingSizeValidation', introduced: '0.5.8', fixed: '0.8.14',
    what: 'a calldata value holding dynamic arrays or byte strings (`bytes[] calldata`, `uint256[][] calldata`, a struct) re-encoded whole',
    construct: (_ctx, n, parent) => calldataAggregateUsedWhole(n, parent, /((bytes|string|\])\[\d*\]|^struct [\w.]+) calldata$/),
  },
  {
    name: 'AbiEncodeCallLiteralAsFixedBytesBug', introduced: '0.8.11', fixed: '0.8.13',
    what: 'a literal argument of `abi.encodeCall`',
    construct: (_ctx, n) => isBuiltinCall(n, 'abi.encodeCall') && ((n.arguments?.[1]?.components ?? [n.arguments?.[1]]) as AstNode[]).some((a) => a?.nodeType === 'Literal'),
  },
  {
    name: 'UserDefinedValueTypesBug', introduced: '0.8.8', fixed: '0.8.9',
    what: 'a user-defined value type shorter than 32 bytes in storage',
    notModelled: 'storage accesses follow solc\'s storageLayout output, and a variable laid out other than the lowering computes is unsupported (aggregates.ts checkLayoutsAgainstSolc)',
  },
  {
    name: 'SignedImmutables', introduced: '0.6.5', fixed: '0.8.9',
    what: 'an immutable of a signed integer type narrower than 256 bits (read without sign extension)',
    construct: (ctx, n) => {
      if (n.nodeType !== 'Identifier' && n.nodeType !== 'MemberAccess') return false;
      const decl = ctx.node(n.referencedDeclaration);
      return decl?.nodeType === 'VariableDeclaration' && decl.mutability === 'immutable' && /^int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248)$/.test(typeOf(decl));
    },
  },
  {
    name: 'ABIDecodeTwoDimensionalArrayMemory', introduced: '0.4.16', fixed: '0.8.4',
    what: '`abi.decode` into arrays',
    construct: (_ctx, n) => isBuiltinCall(n, 'abi.decode') && /\[\d*\]/.test(typeOf(n)),
  },
  {
    name: 'KeccakCaching', introduced: '0.1.0', fixed: '0.8.3', needs: 'optimizer',
    what: '`keccak256` with the optimizer on (hashes of equal memory of different lengths were merged)',
    construct: (_ctx, n) => isBuiltinCall(n, 'keccak256'),
  },
  {
    name: 'EmptyByteArrayCopy', introduced: '0.1.0', fixed: '0.7.4',
    what: 'a byte string copied to storage from memory or calldata',
    notModelled: 'byte strings are outside the modelled core of solc 0.6/0.7 code (pre08.ts)',
  },
  {
    name: 'DynamicArrayCleanup', introduced: '0.1.0', fixed: '0.7.3',
    // `delete` clears whole slots and is not affected (its packed case is checked on the EVM against
    // 0.6.12's code by test/diff/contracts/Pre06Arrays.sol).
    what: 'assigning to a dynamic storage array of packed elements (shrinking leaves parts of slots uncleared)',
    construct: (_ctx, n) => {
      const target = n.nodeType === 'Assignment' ? n.leftHandSide : undefined;
      return target !== undefined && /^(u?int([1-9]|[1-9]\d|1[01]\d|12[0-8])|bool|address( payable)?|bytes([1-9]|1[0-6])|enum [\w.]+)\[\] storage/.test(typeOf(target));
    },
  },
  {
    name: 'StorageWriteRemovalBeforeConditionalTermination', introduced: '0.8.13', fixed: '0.8.17', needs: 'optimizer',
    what: 'inline assembly functions that conditionally `return` or `stop`',
    notModelled: 'inline assembly with function definitions, `return` or `stop` is unsupported (yul.ts)',
  },
  {
    name: 'InlineAssemblyMemorySideEffects', introduced: '0.8.13', fixed: '0.8.15', needs: 'optimizer',
    what: 'memory writes in inline assembly',
    notModelled: 'inline assembly that writes memory is unsupported (yul.ts)',
  },
  {
    name: 'VerbatimInvalidDeduplication', introduced: '0.8.5', fixed: '0.8.23',
    what: '`verbatim` in Yul', notModelled: '`verbatim` exists only in Yul sources, which are not compiled',
  },
  {
    name: 'TransientStorageClearingHelperCollision', introduced: '0.8.28', fixed: '0.8.34',
    needs: 'via-ir', what: 'via-IR clearing helpers', notModelled: 'via-IR compilation is refused',
  },
  {
    name: 'UnsoundSpillInMutualRecursion', introduced: '0.7.2', fixed: '0.8.36',
    needs: 'via-ir', what: 'via-IR stack spilling', notModelled: 'via-IR compilation is refused',
  },
];

function parse(v: string): number[] {
  return v.split('.').map(Number);
}

function before(a: string, b: string): boolean {
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
}

/** The listed bugs of compiler `version` (x.y.z) under these settings, detectable or not. */
export function bugsOf(version: string, settings: OptimizerSettings): KnownBug[] {
  return KNOWN_BUGS.filter((b) => !before(version, b.introduced) && before(version, b.fixed) &&
    (b.needs === undefined || (b.needs === 'optimizer' ? settings.optimizer : b.needs === 'via-ir' ? settings.viaIR === true : settings.customYulSteps)));
}

/** The compiler facts the detectors need (LowerContext.solc). */
export interface CompilerBugs {
  readonly version: string;
  readonly bugs: readonly KnownBug[];
}

const reason = (ctx: LowerContext, b: KnownBug) => `${b.what}, which solc ${ctx.solc?.version} is known to miscompile (${b.name}, fixed in ${b.fixed})`;

/**
 * A contract-wide trigger of one of the compiler's bugs (a storage layout, a setting): every entry point
 * is then unsupported with this construct and location.
 */
export function contractBug(ctx: LowerContext, layout: SolcLayout, at: AstNode): { construct: string; loc: SrcLoc } | undefined {
  for (const b of ctx.solc?.bugs ?? []) {
    const hit = b.contract?.(ctx, layout);
    if (hit !== undefined) return { construct: reason(ctx, b), loc: ctx.loc(hit === true ? at : hit) };
  }
  return undefined;
}

/**
 * Throws UnsupportedConstruct at the first construct reachable from `root` (an entry point's function
 * or a public state variable) that can trigger one of the compiler's bugs. Internal calls and modifiers
 * are followed, with every same-named definition in the linearization (virtual dispatch and `super`).
 */
export function refuseBuggyConstructs(ctx: LowerContext, root: AstNode): void {
  const detectors = (ctx.solc?.bugs ?? []).filter((b) => b.construct !== undefined);
  if (detectors.length === 0) return;
  const seen = new Set<number>();
  const follow = (decl: AstNode | undefined): void => {
    if (decl === undefined || seen.has(decl.id)) return;
    seen.add(decl.id);
    if (decl.nodeType === 'FunctionDefinition' || decl.nodeType === 'ModifierDefinition') {
      for (const c of ctx.linearization) for (const n of c.nodes as AstNode[]) if (n.nodeType === decl.nodeType && n.name === decl.name) follow(n);
      walk(decl, undefined);
    } else if (decl.nodeType === 'VariableDeclaration' && decl.value) walk(decl.value, decl);
  };
  const walk = (n: AstNode, parent: AstNode | undefined): void => {
    if (Array.isArray(n)) return n.forEach((x) => walk(x, parent));
    if (n === null || typeof n !== 'object') return;
    if (typeof n.nodeType === 'string') {
      for (const b of detectors) if (b.construct!(ctx, n, parent)) unsupported(reason(ctx, b), ctx.loc(n));
      if (typeof n.referencedDeclaration === 'number' && !isBuiltinRef(n.referencedDeclaration)) follow(ctx.node(n.referencedDeclaration));
      if (n.nodeType === 'ModifierInvocation') follow(ctx.node(n.modifierName?.referencedDeclaration));
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'documentation' && v !== null && typeof v === 'object') walk(v, typeof n.nodeType === 'string' ? n : parent);
  };
  if (root.nodeType === 'FunctionDefinition') follow(root);
  else walk(root, undefined);
}
