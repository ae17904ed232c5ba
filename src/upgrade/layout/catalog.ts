import type { FindingKind } from '../finding.ts';

/**
 * The storage layout findings (PP1xx). Codes are stable: never renumber, never reuse a retired code.
 * Severity is fixed per code; `error` makes the upgrade incompatible. The README's findings table mirrors
 * this file.
 */
const kind = (code: string, severity: FindingKind['severity'], title: string): FindingKind => ({ code, severity, title });

export const LAYOUT = {
  inserted: kind('PP101', 'error', 'variable inserted before existing ones'),
  deleted: kind('PP102', 'error', 'variable deleted'),
  moved: kind('PP103', 'error', 'variable moved to another slot or offset'),
  reordered: kind('PP104', 'error', 'variables reordered'),
  retyped: kind('PP105', 'error', 'type changed to a different encoding'),
  resized: kind('PP106', 'error', 'type changed size'),
  renamed: kind('PP107', 'info', 'variable renamed in place'),
  retypedSafe: kind('PP108', 'info', 'type changed with an identical encoding'),
  inheritance: kind('PP109', 'error', 'inheritance order changed and moved variables'),
  appended: kind('PP110', 'info', 'variable appended'),
  memberRemoved: kind('PP111', 'error', 'struct member removed'),
  memberInserted: kind('PP112', 'error', 'struct member inserted before existing ones'),
  memberAppended: kind('PP113', 'info', 'struct member appended'),
  structGrew: kind('PP114', 'error', 'struct grew into storage that follows it'),
  enumChanged: kind('PP115', 'error', 'enum members removed or reordered'),
  enumAppended: kind('PP116', 'info', 'enum members appended'),
  mappingKey: kind('PP117', 'error', 'mapping key type changed'),
  arrayLength: kind('PP118', 'error', 'fixed array length changed'),
  grewAtEnd: kind('PP119', 'info', 'type grew where nothing follows'),
  gapShrunk: kind('PP120', 'info', 'storage gap shrunk by the slots the new variables take'),
  gapMismatch: kind('PP121', 'error', 'storage gap does not match the new variables'),
  memberMoved: kind('PP122', 'error', 'struct members moved or reordered'),
  namespaceRemoved: kind('PP123', 'error', 'ERC-7201 namespace removed'),
  namespaceSlot: kind('PP124', 'error', 'ERC-7201 namespace slot does not match its id'),
  namespaceAdded: kind('PP125', 'info', 'ERC-7201 namespace added'),
  memberRenamed: kind('PP126', 'info', 'struct member renamed in place'),
  // Not a finding about the contract but about the check: unverified is never reported as compatible.
  namespaceUnanalysed: kind('PP127', 'error', 'ERC-7201 namespaces could not be analysed'),
} as const satisfies Record<string, FindingKind>;

export type LayoutKind = keyof typeof LAYOUT;
