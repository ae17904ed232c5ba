import type { LayoutType } from '../../shadow/layout.ts';
import type { SrcLoc } from '../../util/loc.ts';
import { finding, type Finding, type FindingKind } from '../finding.ts';
import { LAYOUT } from './catalog.ts';
import { annotation, declaringContract, enumMembers, encodingLabel, locOfId, slotHex, type LayoutSide, type SolcSlotItem } from './model.ts';

/*
 * The storage layout diff. Variables (and struct members) are matched by name (declaring contract and
 * label; `@custom:oz-renamed-from` counts as the old name), then judged by position: a new variable is
 * only a problem when its bytes overlap bytes an old variable used, so appending, taking slots from a
 * `__gap`, or filling a slot's unused tail are all fine. Types are compared by encoding, recursively
 * through structs, mappings and arrays.
 */

export interface Item {
  readonly label: string;
  /** What matches an old item to a new one. */
  readonly key: string;
  /** Slot relative to the level's first slot. */
  readonly slot: bigint;
  readonly offset: number;
  readonly type: string;
  readonly astId: number;
  /** Declaring contract ('' for struct members). */
  readonly owner: string;
  readonly bytes: number;
  readonly gap: boolean;
}

/** One list of items compared: a contract's variables, a struct's members, a namespace. */
export interface Level {
  readonly members: boolean;
  /** Absolute slot of the level's slot 0, when it is fixed (not under a mapping or dynamic array). */
  readonly base: bigint | undefined;
  /** Nothing in the old version's storage follows this level's last item: growing there is harmless. */
  readonly tail: boolean;
  /** Subject prefix, e.g. `Vault.` or `Vault.Position.`. */
  readonly prefix: string;
  /** Contracts whose variables the inheritance order moved (root level only). */
  readonly movedOwners?: ReadonlySet<string>;
  /** The contract's own variables: record which new variables no longer fit the old storage. */
  readonly root?: boolean;
}

interface At {
  readonly subject: string;
  readonly oldLoc?: SrcLoc;
  readonly newLoc?: SrcLoc;
  readonly slot?: { readonly slot: string; readonly offset: number };
}

const CODES = {
  variable: { inserted: LAYOUT.inserted, deleted: LAYOUT.deleted, moved: LAYOUT.moved, reordered: LAYOUT.reordered, renamed: LAYOUT.renamed, appended: LAYOUT.appended },
  member: { inserted: LAYOUT.memberInserted, deleted: LAYOUT.memberRemoved, moved: LAYOUT.memberMoved, reordered: LAYOUT.memberMoved, renamed: LAYOUT.memberRenamed, appended: LAYOUT.memberAppended },
} as const;

const pos = (i: Item): bigint => i.slot * 32n + BigInt(i.offset);
const end = (i: Item): bigint => pos(i) + BigInt(i.bytes);
const where = (i: Item): string => (i.offset === 0 ? `slot ${i.slot}` : `slot ${i.slot} offset ${i.offset}`);
const slotsOf = (bytes: number): bigint => BigInt(Math.ceil(bytes / 32));

export class LayoutDiff {
  readonly findings: Finding[] = [];
  /**
   * New root variables (by AST id) that read old storage wrongly (inserted over old data, moved, or
   * retyped incompatibly), each with the error that explains it: entry points using them are affected.
   */
  readonly disturbed = new Map<number, Finding>();
  private readonly inProgress = new Set<string>();

  constructor(
    readonly old: LayoutSide,
    readonly neu: LayoutSide,
  ) {}

  items(side: LayoutSide, raw: readonly SolcSlotItem[], members: boolean): Item[] {
    return raw.map((v) => {
      const owner = members ? '' : declaringContract(side, v.astId);
      const was = side.which === 'new' ? annotation(side, v.astId, 'oz-renamed-from') : undefined;
      const label = was ?? v.label;
      const t = side.types[v.type];
      const gap = /^__gap/.test(v.label) && t?.encoding === 'inplace' && t.base !== undefined;
      return { label: v.label, key: members ? label : `${owner}.${label}`, slot: BigInt(v.slot), offset: v.offset, type: v.type, astId: v.astId, owner, bytes: Number(t?.numberOfBytes ?? '32'), gap };
    });
  }

  /** Compares two lists of items at one level and records the findings. */
  diffItems(olds: readonly Item[], news: readonly Item[], level: Level): void {
    const codes = level.members ? CODES.member : CODES.variable;
    const pairs = match(olds, news);
    const matchedOld = new Set(pairs.map((p) => p[0]));
    const matchedNew = new Set(pairs.map((p) => p[1]));
    let lostOld = olds.filter((o) => !matchedOld.has(o) && !o.gap);
    let freshNew = news.filter((n) => !matchedNew.has(n) && !n.gap);
    const errorsBefore = this.errorCount();
    const start = this.findings.length;

    // A different name in the same place with a compatible type is a rename.
    for (const o of [...lostOld]) {
      const n = freshNew.find((x) => pos(x) === pos(o) && this.compareType(o.type, x.type, this.at(level, o, x), false).every((f) => f.severity !== 'error'));
      if (n === undefined) continue;
      lostOld = lostOld.filter((x) => x !== o);
      freshNew = freshNew.filter((x) => x !== n);
      pairs.push([o, n]);
    }

    const oldEnd = olds.reduce((m, o) => (end(o) > m ? end(o) : m), 0n);
    for (const n of freshNew) {
      const hit = olds.filter((o) => !o.gap && pos(o) < end(n) && pos(n) < end(o));
      const at = this.at(level, undefined, n);
      if (hit.length > 0) {
        const names = hit.map((o) => (o.owner === '' ? level.prefix : o.owner + '.') + o.label).join(', ');
        const f = this.emit(codes.inserted, `${at.subject} takes ${where(n)}, which ${names} used in the old version: declare it after the last existing ${level.members ? 'member' : 'variable'}${level.members ? '' : ' (or take slots from a __gap)'}`, at);
        if (level.root === true) this.disturbed.set(n.astId, f);
      } else {
        const how = pos(n) >= oldEnd ? 'after everything the old version stored' : 'in storage the old version left unused';
        this.emit(codes.appended, `${at.subject} is new, at ${where(n)} ${how}`, at);
      }
    }
    for (const o of lostOld) {
      const at = this.at(level, o, undefined);
      this.emit(codes.deleted, `${at.subject} (${where(o)}) was removed, but its storage still holds the old value${level.members ? ' in every existing struct' : ''}: keep it (rename it, e.g. __deprecated_${o.label}, if unused)`, at);
    }

    const moved: [Item, Item][] = [];
    for (const [o, n] of pairs) {
      const at = this.at(level, o, n);
      if (o.gap && n.gap) {
        // A gap of unchanged length that moved was pushed by something before it, reported there.
        const filled = freshNew.some((x) => pos(x) < end(o) && pos(o) < end(x));
        if (o.bytes === n.bytes && pos(o) !== pos(n) && !filled) moved.push([o, n]);
        else this.gap(o, n, at);
        continue;
      }
      if (n.label !== o.label) this.emit(codes.renamed, `${at.subject} was ${level.prefix + o.label}: same place and type, the stored value carries over`, at);
      if (pos(o) !== pos(n)) moved.push([o, n]);
      const tail = level.tail && end(o) >= oldEnd && pos(o) === pos(n);
      const before = this.findings.length;
      this.compareItemTypes(o, n, { ...at, tail, base: level.base === undefined ? undefined : level.base + n.slot });
      const broken = this.findings.slice(before).find((f) => f.severity === 'error');
      if (broken !== undefined && level.root === true) this.disturbed.set(n.astId, broken);
    }
    this.movements(moved, level, errorsBefore);
    if (level.root !== true) return;
    // A moved variable is disturbed by the first error at this level (its cause, or its own PP103/PP104).
    const cause = this.findings.slice(start).find((f) => f.severity === 'error');
    for (const [, n] of moved) if (!n.gap && cause !== undefined && !this.disturbed.has(n.astId)) this.disturbed.set(n.astId, cause);
  }

  private movements(moved: readonly [Item, Item][], level: Level, errorsBefore: number): void {
    const codes = level.members ? CODES.member : CODES.variable;
    const sorted = [...moved].sort((a, b) => (pos(a[0]) < pos(b[0]) ? -1 : 1));
    const keep = increasing(sorted.map((p) => pos(p[1])));
    const owners = new Set<string>();
    for (const [i, [o, n]] of sorted.entries()) {
      if (keep.has(i)) continue;
      const at = this.at(level, o, n);
      if (level.movedOwners?.has(o.owner) === true) {
        if (!owners.has(o.owner)) this.emit(LAYOUT.inheritance, `variables of ${o.owner} moved (${o.label}: ${where(o)} -> ${where(n)}) because the order of base contracts changed: keep the old inheritance order`, at);
        owners.add(o.owner);
      } else {
        this.emit(codes.reordered, `${at.subject} moved from ${where(o)} to ${where(n)}: keep the old order`, at);
      }
    }
    // A shift with a cause (insertion, deletion, resize) is reported at the cause; one without is reported here.
    if (this.errorCount() > errorsBefore) return;
    for (const [i, [o, n]] of sorted.entries()) {
      if (!keep.has(i)) continue;
      const at = this.at(level, o, n);
      this.emit(codes.moved, `${at.subject} moved from ${where(o)} to ${where(n)}: keep the types and order of everything before it`, at);
    }
  }

  private gap(o: Item, n: Item, at: At): void {
    const oldEnd = o.slot + slotsOf(o.bytes);
    const newEnd = n.slot + slotsOf(n.bytes);
    const oldLen = slotsOf(o.bytes);
    const newLen = slotsOf(n.bytes);
    if (newEnd === oldEnd) {
      if (newLen !== oldLen) this.emit(LAYOUT.gapShrunk, `${at.subject} shrank from ${oldLen} to ${newLen} slots, exactly what the new variables before it take`, at);
      return;
    }
    const want = newLen + oldEnd - newEnd;
    const fix = want > 0n ? `make it ${want} slots long` : `the new variables need ${-want + newLen} slots more than the gap had: declare some after it`;
    this.emit(LAYOUT.gapMismatch, `${at.subject} now ends at slot ${newEnd}, the old one at slot ${oldEnd}, so everything after it moved: ${fix}`, at);
  }

  private compareItemTypes(o: Item, n: Item, at: At & { tail: boolean; base: bigint | undefined }): void {
    const retypedFrom = annotation(this.neu, n.astId, 'oz-retyped-from');
    if (retypedFrom !== undefined && o.bytes === n.bytes) {
      const [ot, nt] = [this.old.types[o.type], this.neu.types[n.type]];
      if (ot?.label !== nt?.label) this.emit(LAYOUT.retypedSafe, `${at.subject} retyped from ${ot?.label} to ${nt?.label}, as @custom:oz-retyped-from ${retypedFrom} declares`, at);
      return;
    }
    for (const f of this.compareType(o.type, n.type, at, at.tail, at.base)) this.findings.push(f);
  }

  /** Findings for reading a value stored as old type `o` as new type `n`. Pure: the caller records them. */
  compareType(o: string, n: string, at: At, tail: boolean, base?: bigint): Finding[] {
    const ot = this.old.types[o];
    const nt = this.neu.types[n];
    if (ot === undefined || nt === undefined) return ot === nt ? [] : [finding(LAYOUT.retyped, `${at.subject}: type ${o} -> ${n} not described by solc`, at)];
    const changed = `${at.subject} changed type from ${ot.label} to ${nt.label}`;
    if (ot.encoding !== nt.encoding || (ot.members === undefined) !== (nt.members === undefined) || (ot.base === undefined) !== (nt.base === undefined)) {
      return [finding(LAYOUT.retyped, `${changed}, which is stored differently: keep ${ot.label} (or add a new variable)`, at)];
    }
    switch (ot.encoding) {
      case 'bytes':
        return ot.label === nt.label ? [] : [finding(LAYOUT.retypedSafe, `${changed}; both are stored as a byte string`, at)];
      case 'mapping': {
        const out: Finding[] = [];
        const [ok, nk] = [ot.key ?? '', nt.key ?? ''];
        const [okt, nkt] = [this.old.types[ok], this.neu.types[nk]];
        const ol = okt === undefined ? ok : encodingLabel(this.old, ok, okt);
        const nl = nkt === undefined ? nk : encodingLabel(this.neu, nk, nkt);
        if (ol !== nl) out.push(finding(LAYOUT.mappingKey, `${at.subject}: mapping key changed from ${okt?.label} to ${nkt?.label}, so every entry lives at a different slot: keep the old key type`, at));
        out.push(...this.compareType(ot.value ?? '', nt.value ?? '', { ...at, subject: at.subject + '[]' }, true));
        return out;
      }
      case 'dynamic_array':
        return this.compareType(ot.base ?? '', nt.base ?? '', { ...at, subject: at.subject + '[]' }, false);
      case 'inplace':
        if (ot.members !== undefined) return this.compareStruct(o, n, ot, nt, at, tail, base);
        if (ot.base !== undefined) return this.compareFixedArray(o, n, ot, nt, at, tail, base);
        if (o.startsWith('t_enum(') && n.startsWith('t_enum(')) return this.compareEnum(o, n, ot, nt, at);
        return this.compareValue(o, n, ot, nt, at, changed);
      default:
        return [finding(LAYOUT.retyped, `${changed}: unknown storage encoding`, at)];
    }
  }

  private compareValue(o: string, n: string, ot: LayoutType, nt: LayoutType, at: At, changed: string): Finding[] {
    if (ot.label === nt.label) return [];
    if (encodingLabel(this.old, o, ot) === encodingLabel(this.neu, n, nt)) return [finding(LAYOUT.retypedSafe, `${changed}; both are stored the same way`, at)];
    if (ot.numberOfBytes !== nt.numberOfBytes) return [finding(LAYOUT.resized, `${changed} (${ot.numberOfBytes} -> ${nt.numberOfBytes} bytes): keep the old size (and type)`, at)];
    return [finding(LAYOUT.retyped, `${changed}, which reads the stored bytes differently: keep ${ot.label} (or add @custom:oz-retyped-from if the values are known to carry over)`, at)];
  }

  private compareEnum(o: string, n: string, ot: LayoutType, nt: LayoutType, at: At): Finding[] {
    const om = enumMembers(this.old, o) ?? [];
    const nm = enumMembers(this.neu, n) ?? [];
    const prefix = om.every((m, i) => nm[i] === m);
    const out: Finding[] = [];
    if (!prefix) {
      out.push(finding(LAYOUT.enumChanged, `${at.subject}: ${ot.label} members changed from (${om.join(', ')}) to (${nm.join(', ')}), so stored values mean other members: only append members`, at));
    } else if (nm.length > om.length) {
      out.push(finding(LAYOUT.enumAppended, `${at.subject}: ${nt.label} gained ${nm.slice(om.length).join(', ')} after the old members`, at));
    }
    if (ot.numberOfBytes !== nt.numberOfBytes) out.push(finding(LAYOUT.resized, `${at.subject}: ${nt.label} now takes ${nt.numberOfBytes} bytes instead of ${ot.numberOfBytes}: keep it under 257 members`, at));
    return out;
  }

  private compareFixedArray(o: string, n: string, ot: LayoutType, nt: LayoutType, at: At, tail: boolean, base?: bigint): Finding[] {
    const len = (id: string) => BigInt(/\)(\d+)_storage$/.exec(id)?.[1] ?? '0');
    const [ol, nl] = [len(o), len(n)];
    const out: Finding[] = [];
    if (ol !== nl) {
      if (nl > ol && tail) out.push(finding(LAYOUT.grewAtEnd, `${at.subject} grew from ${ol} to ${nl} elements; nothing follows it`, at));
      else out.push(finding(LAYOUT.arrayLength, `${at.subject} changed length from ${ol} to ${nl}, which ${nl > ol ? 'overlaps what follows it' : 'drops stored elements'}: keep length ${ol}`, at));
    }
    out.push(...this.compareType(ot.base ?? '', nt.base ?? '', { ...at, subject: at.subject + '[]' }, false, base));
    return out;
  }

  private compareStruct(o: string, n: string, ot: LayoutType, nt: LayoutType, at: At, tail: boolean, base?: bigint): Finding[] {
    const key = `${o}|${n}|${tail}|${base}`;
    if (this.inProgress.has(key)) return []; // a recursive struct: its members are being compared already
    this.inProgress.add(key);
    const saved = this.findings.length;
    try {
      const olds = this.items(this.old, (ot.members ?? []) as SolcSlotItem[], true);
      const news = this.items(this.neu, (nt.members ?? []) as SolcSlotItem[], true);
      const name = nt.label.replace(/^struct /, '');
      this.diffItems(olds, news, { members: true, base, tail, prefix: name + '.' });
      const out = this.findings.splice(saved);
      const [ob, nb] = [BigInt(ot.numberOfBytes), BigInt(nt.numberOfBytes)];
      if (nb > ob && !tail) {
        out.push(finding(LAYOUT.structGrew, `${at.subject}: struct ${name} grew from ${slotsOf(Number(ob))} to ${slotsOf(Number(nb))} slots, and storage follows it here (a fixed array, a dynamic array, or later variables): store the new fields in a new mapping or variable instead`, at));
      }
      return out;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private at(level: Level, o: Item | undefined, n: Item | undefined): At {
    const i = n ?? o;
    const oldLoc = o === undefined ? undefined : locOfId(this.old, o.astId);
    const newLoc = n === undefined ? undefined : locOfId(this.neu, n.astId);
    return {
      subject: i !== undefined && i.owner !== '' ? `${i.owner}.${i.label}` : level.prefix + (i?.label ?? '?'),
      ...(oldLoc === undefined ? {} : { oldLoc }),
      ...(newLoc === undefined ? {} : { newLoc }),
      ...(i === undefined || level.base === undefined ? {} : { slot: { slot: slotHex(level.base + i.slot), offset: i.offset } }),
    };
  }

  emit(kind: FindingKind, message: string, at: At): Finding {
    const f = finding(kind, message, at);
    this.findings.push(f);
    return f;
  }

  private errorCount(): number {
    return this.findings.filter((f) => f.severity === 'error').length;
  }
}

/** Pairs old and new items: by key, then by label where the label is unique among the rest. */
function match(olds: readonly Item[], news: readonly Item[]): [Item, Item][] {
  const pairs: [Item, Item][] = [];
  const byKey = new Map(news.map((n) => [n.key, n]));
  const used = new Set<Item>();
  for (const o of olds) {
    const n = byKey.get(o.key);
    if (n !== undefined && !used.has(n)) {
      pairs.push([o, n]);
      used.add(n);
    }
  }
  const restOld = olds.filter((o) => !pairs.some((p) => p[0] === o));
  const restNew = news.filter((n) => !used.has(n));
  for (const o of restOld) {
    const label = o.key.slice(o.key.lastIndexOf('.') + 1);
    const same = (i: Item) => i.key.slice(i.key.lastIndexOf('.') + 1) === label;
    const cands = restNew.filter(same);
    if (cands.length === 1 && restOld.filter(same).length === 1 && !used.has(cands[0]!)) {
      pairs.push([o, cands[0]!]);
      used.add(cands[0]!);
    }
  }
  return pairs;
}

/** Indices of one longest strictly increasing subsequence: the items that kept their relative order. */
export function increasing(xs: readonly bigint[]): Set<number> {
  const len = xs.map(() => 1);
  const prev = xs.map(() => -1);
  for (let i = 0; i < xs.length; i++) {
    for (let j = 0; j < i; j++) {
      if (xs[j]! < xs[i]! && len[j]! + 1 > len[i]!) {
        len[i] = len[j]! + 1;
        prev[i] = j;
      }
    }
  }
  let best = -1;
  for (let i = 0; i < xs.length; i++) if (best < 0 || len[i]! > len[best]!) best = i;
  const keep = new Set<number>();
  for (let i = best; i >= 0; i = prev[i]!) keep.add(i);
  return keep;
}
