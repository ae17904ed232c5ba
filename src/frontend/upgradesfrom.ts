import { parseContractRef, type ContractRef } from './buildinfo.ts';

/**
 * `@custom:oz-upgrades-from <Ref>` (OpenZeppelin Upgrades): the NatSpec of a new implementation names the
 * contract it upgrades, `Name` or `path/File.sol:Name`. Read from the source text: the tag in the doc
 * comment (`///` lines or one `/** … *\/` block) right before `contract <Name>`. When `name` is absent,
 * the last contract declared in the file is meant (as contract selection does).
 */
export function upgradesFrom(source: string, name: string | undefined): ContractRef | undefined {
  const decl = /((?:[ \t]*\/\/\/[^\n]*\n)+|\/\*\*(?:[^*]|\*(?!\/))*\*\/\s*)?[ \t]*(?:abstract\s+)?contract\s+([A-Za-z_$][\w$]*)/g;
  const found: { contract: string; from: string | undefined }[] = [];
  for (const m of source.matchAll(decl)) {
    const tag = m[1] === undefined ? null : /@custom:oz-upgrades-from\s+(\S+)/.exec(m[1]);
    found.push({ contract: m[2]!, from: tag === null ? undefined : tag[1]!.replace(/\*\/$/, '') });
  }
  const target = name === undefined ? found.at(-1) : found.find((f) => f.contract === name);
  return target?.from === undefined ? undefined : parseContractRef(target.from);
}
