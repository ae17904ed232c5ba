import { finding, type Finding } from '../finding.ts';
import { allowed, effectiveFunctions, isExternallyCallable, isLibrary, loc, qualified, typeString, walk, type AstNode, type Side, type UnsafeAllow } from './ast.ts';
import { H } from './catalog.ts';
import { ERC1967_SLOTS, evalConst, evalYul } from './consts.ts';
import { enclosing, reachFrom } from './reach.ts';

/**
 * Dangerous operations reachable through the proxy: `selfdestruct`, `delegatecall`/`callcode` to an
 * address that is not fixed in the code, public library functions (linked, run by DELEGATECALL), and
 * writes to the ERC-1967 implementation/admin/beacon slots outside the upgrade code. Found in Solidity
 * and in inline assembly, through internal calls, modifiers and libraries.
 */

/** Contracts whose code is the upgrade mechanism itself: writing the ERC-1967 slots is their job. */
const UPGRADE_CODE = new Set(['ERC1967Utils', 'ERC1967Upgrade', 'ERC1967UpgradeUpgradeable', 'UUPSUpgradeable',
  'ERC1967Proxy', 'TransparentUpgradeableProxy', 'BeaconProxy', 'UpgradeableBeacon']);

function inUpgradeCode(side: Side, decl: AstNode): boolean {
  return UPGRADE_CODE.has(String(side.owner.get(decl.id)?.name));
}

interface Site {
  readonly node: AstNode;
  /** The function or modifier the site is in. */
  readonly decl: AstNode;
  /** The entry points that reach it. */
  readonly entries: readonly AstNode[];
}

export function opcodeHazards(side: Side): Finding[] {
  const findings = new Map<string, Finding>();
  const report: Report = (kind, allow, site, label, why) => {
    // Reported when some entry point reaches the site without an allowance covering that path.
    const entry = site.entries.find((e) => allow === undefined || !allowed(side, allow, site.decl, e));
    if (entry === undefined) return;
    const key = `${kind.code}@${site.node.src}`;
    if (findings.has(key)) return;
    const via = entry === site.decl ? '' : ` (reached from ${qualified(side, entry)})`;
    findings.set(key, finding(kind, `${label} in ${qualified(side, site.decl)}${via}: ${why}`, { newLoc: loc(side, site.node), subject: qualified(side, site.decl) }));
  };
  // The upgrade mechanism delegatecalls the new implementation and writes its slot by design: not entered.
  const reach = reachFrom(side, effectiveFunctions(side).filter(isExternallyCallable), (d) => inUpgradeCode(side, d));
  for (const [id, entries] of reach.via) {
    const decl = side.nodes.get(id);
    if (decl === undefined) continue;
    walk(decl, (n, ancestors) => {
      const inner = enclosing(ancestors) ?? decl;
      if (inner !== decl) return false; // a nested definition is its own reach entry
      const site = { node: n, decl, entries };
      if (n.nodeType === 'FunctionCall') solidityCall(side, n, site, report);
      else if (n.nodeType === 'YulFunctionCall') yulCall(side, n, ancestors, site, report);
      else if (n.nodeType === 'MemberAccess' && (n.memberName === 'delegatecall' || n.memberName === 'callcode')
        && typeString(n.expression as AstNode).startsWith('address') && !fixedAddress(side, n.expression as AstNode)) {
        report(H.delegatecall, 'delegatecall', site, `${n.memberName} to a variable address`, `it can run arbitrary code on the proxy's storage (selfdestruct it, overwrite the implementation slot); fix: call a fixed address, or document it with @custom:oz-upgrades-unsafe-allow delegatecall`);
      } else if (n.nodeType === 'Assignment') erc1967Assignment(side, n, site, report);
    });
  }
  return [...findings.values()];
}

type Report = (kind: (typeof H)[keyof typeof H], allow: UnsafeAllow | undefined, site: Site, label: string, why: string) => void;

const SELFDESTRUCT_FIX = 'in an implementation it can destroy the code every proxy delegates to, or the proxy itself; fix: remove it, or document it with @custom:oz-upgrades-unsafe-allow selfdestruct';

function solidityCall(side: Side, call: AstNode, site: Site, report: Report): void {
  const callee = call.expression as AstNode;
  if (callee.nodeType === 'Identifier' && (callee.name === 'selfdestruct' || callee.name === 'suicide')
    && !side.nodes.has(callee.referencedDeclaration as number)) {
    report(H.selfdestruct, 'selfdestruct', site, 'selfdestruct', SELFDESTRUCT_FIX);
    return;
  }
  if (callee.nodeType !== 'MemberAccess') return;
  const fn = side.nodes.get(callee.referencedDeclaration as number);
  const lib = fn === undefined ? undefined : side.owner.get(fn.id);
  if (fn?.nodeType === 'FunctionDefinition' && isLibrary(lib) && (fn.visibility === 'public' || fn.visibility === 'external')
    && side.owner.get(site.decl.id) !== lib) {
    report(H.linkedLibrary, 'external-library-linking', site, `call of ${lib?.name}.${fn.name}, a ${fn.visibility} library function`, `the library is linked by address and runs by DELEGATECALL in the proxy's context, unchecked by the upgrade; fix: make the function internal, or document it with @custom:oz-upgrades-unsafe-allow external-library-linking`);
  }
}

function yulCall(side: Side, call: AstNode, ancestors: readonly AstNode[], site: Site, report: Report): void {
  const name = String(call.functionName?.name ?? '');
  const args = call.arguments as AstNode[];
  const asm = ancestors.find((a) => a.nodeType === 'InlineAssembly');
  if (asm === undefined) return;
  if (name === 'selfdestruct') report(H.selfdestruct, 'selfdestruct', site, 'assembly selfdestruct', SELFDESTRUCT_FIX);
  if (name === 'delegatecall' || name === 'callcode') {
    const target = args[1];
    const fixed = evalYul(side, asm, target) !== undefined || (target?.nodeType === 'YulFunctionCall' && target.functionName?.name === 'address');
    if (!fixed) report(H.delegatecall, 'delegatecall', site, `assembly ${name} to a variable address`, `it can run arbitrary code on the proxy's storage; fix: call a fixed address, or document it with @custom:oz-upgrades-unsafe-allow delegatecall`);
  }
  if (name === 'sstore') {
    const slot = evalYul(side, asm, args[0]);
    const which = slot === undefined ? undefined : ERC1967_SLOTS.get(slot);
    if (which !== undefined) {
      report(H.erc1967SlotWritten, undefined, site, `assembly sstore to the ERC-1967 ${which} slot`, `outside the upgrade code it replaces what the proxy delegates to or who administers it; fix: upgrade only through upgradeToAndCall / the proxy admin`);
    }
  }
}

/** `StorageSlot.getAddressSlot(SLOT).value = x` and similar: a write through a slot pointer. */
function erc1967Assignment(side: Side, a: AstNode, site: Site, report: Report): void {
  const lhs = a.leftHandSide as AstNode;
  if (lhs.nodeType !== 'MemberAccess' || lhs.expression?.nodeType !== 'FunctionCall') return;
  for (const arg of lhs.expression.arguments as AstNode[]) {
    const v = evalConst(side, arg);
    const which = v === undefined ? undefined : ERC1967_SLOTS.get(v);
    if (which !== undefined) {
      report(H.erc1967SlotWritten, undefined, site, `write to the ERC-1967 ${which} slot`, `outside the upgrade code it replaces what the proxy delegates to or who administers it; fix: upgrade only through upgradeToAndCall / the proxy admin`);
    }
  }
}

/** An address fixed in the code: a literal, a constant or immutable, or `address(this)` (the proxy itself). */
function fixedAddress(side: Side, e: AstNode): boolean {
  if (e.nodeType === 'Literal') return true;
  if (e.nodeType === 'Identifier' && e.name === 'this') return true;
  if (e.nodeType === 'Identifier' || e.nodeType === 'MemberAccess') {
    const d = side.nodes.get(e.referencedDeclaration as number);
    return d?.nodeType === 'VariableDeclaration' && (d.constant === true || d.mutability === 'immutable');
  }
  if (e.nodeType === 'FunctionCall' && e.kind === 'typeConversion') {
    const args = e.arguments as AstNode[];
    return args.length === 1 && fixedAddress(side, args[0]!);
  }
  if (e.nodeType === 'TupleExpression') return (e.components as AstNode[]).length === 1 && fixedAddress(side, (e.components as AstNode[])[0]!);
  return false;
}
