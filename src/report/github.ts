import type { CheckResult } from '../api.ts';

import { countIssues, fileOf, issuesOf, type Issue, type PathBase } from './issues.ts';

/**
 * GitHub Actions output: one workflow command per issue (`::error file=…,line=…::message`, shown as
 * annotations on the pull request) and a Markdown step summary. The CLI writes the commands to stderr
 * (the runner reads workflow commands from both streams; stdout carries the report) and appends the
 * summary to $GITHUB_STEP_SUMMARY, only when GITHUB_ACTIONS=true.
 */
export function githubAnnotations(r: CheckResult, base: PathBase): string[] {
  return issuesOf(r).map((i) => annotation(i, base));
}

function annotation(i: Issue, base: PathBase): string {
  const command = i.level === 'error' ? 'error' : i.level === 'warning' ? 'warning' : 'notice';
  const props: string[] = [];
  if (i.loc !== undefined && i.loc.line >= 1) {
    props.push(`file=${property(fileOf(i.loc, i.locatedIn, base))}`, `line=${i.loc.line}`);
    if (i.loc.col >= 1) props.push(`col=${i.loc.col}`);
  }
  props.push(`title=${property(`patchproof ${i.ruleId}`)}`);
  const old = i.oldLoc === undefined || i.locatedIn === 'old' ? '' : ` (old version: ${fileOf(i.oldLoc, 'old', base)}:${i.oldLoc.line})`;
  return `::${command} ${props.join(',')}::${data(i.message + old)}`;
}

/** Escaping of workflow command data and property values, as @actions/core does it. */
function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The step summary: overall verdict, counts, and a table of the issues (Markdown, GitHub flavour). */
export function githubSummary(r: CheckResult, exitCode: number, base: PathBase): string {
  const issues = issuesOf(r);
  const n = countIssues(issues);
  const proved = r.entryPoints.filter((e) => e.verdict.kind === 'equivalent' || e.verdict.kind === 'refines').length;
  const lines = [
    `### patchproof: ${r.overall} (exit ${exitCode})`,
    '',
    `\`${r.old.contract}\` (${r.old.file}) → \`${r.new.contract}\` (${r.new.file}), solc ${r.compiler.version}`,
    '',
    `${r.entryPoints.length} entry point(s): ${proved} proved, ${n.refuted} refuted, ${n.inconclusive} inconclusive; ${n.finding} upgrade finding(s).`,
  ];
  if (issues.length > 0) {
    lines.push('', '| | rule | where | what |', '| --- | --- | --- | --- |');
    for (const i of issues) {
      const where = i.loc === undefined ? '' : `${fileOf(i.loc, i.locatedIn, base)}:${i.loc.line}`;
      lines.push(`| ${i.level === 'error' ? '❌' : i.level === 'warning' ? '⚠️' : 'ℹ️'} | ${i.ruleId} | ${cell(where)} | ${cell(i.message)} |`);
    }
  }
  return lines.join('\n') + '\n\n';
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

