import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { CheckOptions, CheckResult, PairInput } from '../api.ts';
import { compareCertificate, readCertificate } from '../certificate/cert.ts';
import { isPatchproofError, PatchproofError } from '../frontend/errors.ts';
import { applyFailOn, FAIL_ON } from '../report/failon.ts';
import { EXIT, exitCodeOf, toJson } from '../report/json.ts';
import { formatText } from '../report/text.ts';
import { contractName } from './inputs.ts';
import type { Z3Solver } from '../smt/z3.ts';
import { invariant } from '../util/assert.ts';

/*
 * The command line. The only module that prints or decides the exit code; everything it calls returns
 * values or throws PatchproofError. Heavy modules (solc, Z3) are imported lazily so `--help` and usage
 * errors answer at once.
 */

const EPILOGUE = `Exit codes:
  0   every entry point proved equivalent (--mode fix: equivalent or refines) and every property
      (--blocks, asserts) proved (verify: every check it ran passed; sign, attach: done)
  1   some entry point differs, some property is violated, or the upgrade is incompatible (storage
      layout or proxy hazards; see 'patchproof layout'); verify: some check failed; attach: the
      proposal does not install the certified new code
  2   inconclusive: nothing differs, but some entry point is unknown, unsupported or vacuous, or
      proved only up to the loop bound (overall "bounded"; --loop-bound)
  3   usage, input or compile error
  70  internal error: a bug in patchproof (please report it with the inputs)
check --fail-on refuted turns 2 into 0; --fail-on never turns 1 and 2 into 0 (3 and 70 stay).

Gas is never compared.`;

const COMMANDS = ['check', 'prove', 'ir', 'verify', 'sign', 'attach', 'shadow', 'layout'];

type CheckPatch = (opts: CheckOptions) => Promise<CheckResult>;

/** Runs the CLI on `argv` (without node and script), prints, and returns the exit code. Never exits. */
export async function main(argv: readonly string[]): Promise<number> {
  const solver = new SolverSession();
  let code: number = EXIT.proved;
  const run = async (command: () => Promise<number>) => {
    code = await guarded(command);
  };
  const parser = yargs([...argv])
    .scriptName('patchproof')
    .usage('$0 <command> [options]\n\nProves whether a patched Solidity contract behaves like the old one, per entry point.')
    .command(
      'check [old] [new]',
      'compare two versions of a contract, entry point by entry point',
      (y) =>
        checkOptions(versionArgs(y, 'check'))
          .option('format', { choices: ['text', 'json', 'sarif'] as const, default: 'text' as const, describe: 'report format on stdout (sarif: SARIF 2.1.0 for code scanning)' })
          .option('junit', { type: 'string', describe: 'also write a JUnit XML report (one testcase per obligation) to this file' })
          .option('fail-on', { choices: FAIL_ON, default: 'inconclusive' as const, describe: 'which verdicts fail the run: refuted (exit 1 only), inconclusive (exit 1 or 2), never (exit 0)' })
          .option('quiet', { alias: 'q', type: 'boolean', describe: 'no progress and no notes on stderr (errors still)' })
          .option('verbose', { alias: 'v', type: 'boolean', describe: 'more progress on stderr: compile times, each entry point as it starts, solver calls' })
          .conflicts('quiet', 'verbose')
          .option('out', { type: 'string', describe: 'write a certificate (DSSE envelope of an in-toto statement; README: Certificates) to this file' })
          .option('color', { type: 'boolean', describe: 'colour the text report (default: when stdout is a terminal and NO_COLOR is unset)' })
          .option('repro', { type: 'string', describe: 'write a Foundry test and a JSON trace per confirmed counterexample to this directory' })
          .option('spec', { type: 'string', describe: 'also check the properties (annotations and this spec file, specs/README.md) on both versions' })
          .option('migration', { type: 'string', describe: "also prove the upgrade step: from any state satisfying the old version's invariants, a successful call of this function of the new version (e.g. 'initializeV2(uint256)') leaves the new version's invariants true" })
          .epilogue(EPILOGUE),
      (a) =>
        run(async () => {
          const { Progress } = await import('./progress.ts');
          const progress = new Progress(process.stderr, a.quiet ? 'quiet' : a.verbose ? 'verbose' : 'normal');
          const pair = await (await import('./inputs.ts')).resolvePair(a);
          try {
            const { oldArg, newArg, args, inputs } = pair;
            if (inputs.prebuilt !== undefined && (a.spec !== undefined || a.migration !== undefined)) throw new PatchproofError('usage', `${a.spec !== undefined ? '--spec' : '--migration'} needs source files, not build-info`);
            if (a.verbose) inputs.notes.forEach((n) => err(`patchproof: ${n}`));
            const opts = { ...(await optionsOf(args, oldArg, newArg, solver)), onProgress: progress.on, ...(inputs.prebuilt === undefined ? {} : { prebuilt: inputs.prebuilt }) };
            const result = await (await loadCheckPatch())(opts).finally(() => progress.done());
            const note = a.quiet ? () => undefined : err;
            const props = a.spec === undefined ? undefined : await (await import('../spec/cli.ts')).checkSpecs(opts, a.spec);
            const color = a.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
            const mig = a.migration === undefined ? undefined : await (await import('../spec/cli.ts')).checkMigration(opts, a.migration, a.spec);
            const verdictCode = worstExit(props === undefined ? exitCodeOf(result.overall) : worstExit(exitCodeOf(result.overall), props.exitCode), mig?.exitCode ?? 0);
            const exitCode = applyFailOn(verdictCode === 1 ? 1 : verdictCode === 2 ? 2 : 0, a.failOn);
            const json = (): object => ({ ...toJson(result), ...(props === undefined ? {} : props.json), ...(mig === undefined ? {} : { migration: mig.json.properties }), exitCode });
            const ci = await import('./ci.ts');
            // The old version of an --old-ref run is the same repository at another commit: its paths are the new ones.
            const base = a.oldRef === undefined ? inputs.base : { ...inputs.base, oldRoot: inputs.base.newRoot };
            const sarif = async () => JSON.stringify((await import('../report/sarif.ts')).toSarif(result, base), null, 2) + '\n';
            out(a.format === 'json' ? JSON.stringify(json(), null, 2) + '\n' : a.format === 'sarif' ? await sarif() : formatText(result, { color }) + (props === undefined ? '' : '\n' + props.text) + (mig === undefined ? '' : '\n' + mig.text));
            await ci.writeCiOutputs(result, { junit: a.junit, failOn: a.failOn, exitCode, base, env: process.env, err });
            if (a.out !== undefined) {
              await (await import('../certificate/statement.ts')).writeStatementCertificate(a.out, result, a.spec);
              note(`certificate written to ${a.out}`);
            }
            if (a.repro !== undefined) {
              const { writeRepro } = await import('../replay/repro.ts');
              const n = (await writeRepro(result, a.repro)).filter((p) => p.endsWith('.t.sol')).length;
              note(`repro: wrote ${n} Foundry test(s) to ${a.repro}`);
            }
            return exitCode;
          } finally {
            await pair.close();
          }
        }),
    )
    .command(
      'prove <file>',
      'check the properties of one version: #invariant and #if_succeeds annotations and a spec file',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'Solidity source file' })
          .option('spec', { type: 'string', describe: 'spec file (specs/README.md); annotations in the code are always read' })
          .option('contract', { alias: 'c', type: 'string', describe: 'contract name (default: the spec\'s contract, else the last deployable contract in the file)' })
          .option('root', { type: 'string', describe: "project root; imports must stay inside (default: the file's directory)" })
          .option('cache-dir', { type: 'string', describe: 'cache solc output in this directory' })
          .option('timeout', { type: 'number', default: 20000, describe: 'per-query solver timeout in milliseconds' })
          .option('loop-bound', { type: 'number', default: 5, describe: 'unroll every loop this many iterations (1-64)' })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'report format on stdout' })
          .option('dump-smt', { type: 'string', describe: 'write every SMT-LIB2 query to this directory' })
          .check((a) => {
            if (!Number.isInteger(a.timeout) || a.timeout <= 0) throw new Error(`--timeout must be a positive whole number of milliseconds, got ${String(a.timeout)}`);
            const lb = a['loop-bound'];
            if (!Number.isInteger(lb) || lb < 1 || lb > 64) throw new Error(`--loop-bound must be a whole number from 1 to 64, got ${String(lb)}`);
            return true;
          })
          .epilogue('Exit codes:\n  0   every property proved\n  1   some property is violated (counterexample replayed on the EVM)\n  2   inconclusive: some property is vacuous, unknown, unsupported or proved only up to the loop bound\n  3   usage, input, spec or compile error (no properties is one too)\n  70  internal error: a bug in patchproof (please report it with the inputs)'),
      (a) =>
        run(async () => {
          const { proveCommand } = await import('../spec/cli.ts');
          const r = await proveCommand({ file: a.file, contract: a.contract, root: a.root, cacheDir: a.cacheDir, specFile: a.spec, timeoutMs: a.timeout, loopBound: a.loopBound, dumpSmtDir: a.dumpSmt, solver: await solver.get() }, a.format);
          out(r.text);
          return r.exitCode;
        }),
    )
    .command(
      'layout [old] [new]',
      'check that the new version can upgrade the old one behind a proxy: storage layout and upgrade hazards',
      (y) =>
        pairOptions(versionArgs(y, 'layout'))
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'report format on stdout' })
          .epilogue('Exit codes:\n  0   compatible: no error-level finding (info findings may be listed)\n  1   incompatible: some finding is an error\n  3   usage, input or compile error\n  70  internal error: a bug in patchproof (please report it with the inputs)'),
      (a) =>
        run(async () => {
          const { runUpgradeCheck } = await import('../upgrade/report.ts');
          const { formatUpgradeText, upgradeJson } = await import('../upgrade/format.ts');
          const r = await withPair(a, (p, prebuilt) => runUpgradeCheck({ ...p, ...prebuilt }));
          out(a.format === 'json' ? JSON.stringify({ old: r.old, new: r.new, ...upgradeJson(r.report) }, null, 2) + '\n' : formatUpgradeText(r.report));
          return r.report.verdict === 'incompatible' ? EXIT.different : EXIT.proved;
        }),
    )
    .command(
      'ir <file>',
      'print the SSA IR of a contract',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'Solidity source file' })
          .option('contract', { alias: 'c', type: 'string', describe: 'contract name (default: the last deployable contract in the file)' })
          .option('root', { type: 'string', describe: "project root; imports must stay inside (default: the file's directory)" })
          .option('locations', { type: 'boolean', default: true, describe: 'show source locations (--no-locations hides them)' })
          .option('cache-dir', { type: 'string', describe: 'cache solc output in this directory' })
          .option('loop-bound', { type: 'number', default: 5, describe: 'unroll every loop this many iterations (1-64)' })
          .check((a) => {
            const lb = a['loop-bound'];
            if (!Number.isInteger(lb) || lb < 1 || lb > 64) throw new Error(`--loop-bound must be a whole number from 1 to 64, got ${String(lb)}`);
            return true;
          }),
      (a) =>
        run(async () => {
          const { compileFile, selectContract } = await import('../frontend/compile.ts');
          const { lowerContract, printContract } = await import('../ir/index.ts');
          const comp = await compileFile(a.file, { root: a.root, cacheDir: a.cacheDir });
          out(printContract(lowerContract(comp, selectContract(comp, a.contract), { loopBound: a.loopBound }), { locations: a.locations }));
          return EXIT.proved;
        }),
    )
    .command(
      'verify <cert>',
      're-check a certificate: schema, signatures and threshold, hashes against --old/--new, re-solving every query; --rebuild re-runs the check',
      (y) =>
        checkOptions(
          y
            .positional('cert', { type: 'string', demandOption: true, describe: 'certificate file (JSON)' })
            .option('old', { type: 'string', describe: 'the deployed version (.sol): compare source and code hashes' })
            .option('new', { type: 'string', describe: 'the patched version (.sol): compare source and code hashes' })
            .option('signers', { type: 'string', describe: 'comma-separated addresses whose signatures count' })
            .option('threshold', { type: 'number', describe: 'how many of --signers must have signed (default: all)' })
            .option('solver', { choices: ['z3', 'cvc5'] as const, describe: 'also re-solve every query with this solver binary (skipped when not installed)' })
            .option('rebuild', { type: 'boolean', describe: 'recompile and re-encode from --old/--new and compare every query hash and verdict' }),
        ).epilogue(EPILOGUE),
      (a) =>
        run(async () => {
          if (a.rebuild === true && (a.old === undefined || a.new === undefined)) throw new PatchproofError('usage', '--rebuild needs --old and --new (the sources to rebuild from)');
          const { readJsonFile } = await import('../certificate/dsse.ts');
          const data = await readJsonFile(a.cert);
          const withContracts = async (oldContract: string, newContract: string) => {
            if (a.old === undefined || a.new === undefined) throw new PatchproofError('usage', 'pass both --old and --new (the sources the certificate is about)');
            // The certificate names the contracts it is about; --contract and friends override.
            const named = { ...a, oldContract: a.oldContract ?? a.contract ?? oldContract, newContract: a.newContract ?? a.contract ?? newContract };
            // --old/--new may be build-info, as for check.
            const inputs = await (await import('./inputs.ts')).resolveInputs(named, a.old, a.new);
            const opts = await optionsOf(named, a.old, a.new, solver);
            return { ...opts, oldContract: contractName(named.oldContract), newContract: contractName(named.newContract), ...(inputs.prebuilt === undefined ? {} : { prebuilt: inputs.prebuilt }) };
          };
          if (typeof data === 'object' && data !== null && (data as { format?: unknown }).format !== undefined) {
            // A v0 certificate (unsigned reproducibility record): re-run the check and compare.
            const cert = await readCertificate(a.cert);
            const fresh = await (await loadCheckPatch())(await withContracts(cert.old.contract, cert.new.contract));
            const mismatches = compareCertificate(cert, fresh);
            if (mismatches.length > 0) {
              out(`certificate does not match: ${mismatches.length} mismatch${mismatches.length === 1 ? '' : 'es'}\n`);
              out(mismatches.map((m) => `  - ${m}\n`).join(''));
              return EXIT.different;
            }
            const n = cert.obligations.length;
            out(`certificate verified: ${n} obligation${n === 1 ? '' : 's'} re-solved, all hashes and verdicts match\n`);
            return EXIT.proved;
          }
          const { verifyCommand } = await import('../certificate/cli.ts');
          const r = await verifyCommand({
            file: a.cert,
            signers: a.signers,
            threshold: a.threshold,
            external: a.solver,
            rebuild: a.rebuild === true,
            timeoutMs: a.timeout,
            z3: () => solver.get(),
            options: a.old === undefined && a.new === undefined ? undefined : withContracts,
            checkPatch: loadCheckPatch,
          });
          out(r.text);
          return r.ok ? EXIT.proved : EXIT.different;
        }),
    )
    .command(
      'sign <cert>',
      'sign a certificate in place: a DSSE signature and an EIP-712 UpgradeProof signature',
      (y) =>
        y
          .positional('cert', { type: 'string', demandOption: true, describe: 'certificate file (JSON), rewritten in place' })
          .option('key', { type: 'string', demandOption: true, describe: 'secp256k1 private key: 32-byte hex, or a file holding it' })
          .epilogue('Exit codes:\n  0   signed\n  3   usage or input error (bad key, invalid certificate)\n  70  internal error: a bug in patchproof (please report it with the inputs)'),
      (a) =>
        run(async () => {
          out(await (await import('../certificate/sign.ts')).signCommand(a.cert, a.key));
          return EXIT.proved;
        }),
    )
    .command(
      'attach <cert>',
      'bind a certificate to a governance proposal: action hash, and the implementation it installs must be the certified new code',
      (y) =>
        y
          .positional('cert', { type: 'string', demandOption: true, describe: 'certificate file (JSON), rewritten in place (before signing)' })
          .option('proposal', { type: 'string', demandOption: true, describe: 'proposal.json (README: Binding to a proposal)' })
          .option('impl-code', { type: 'string', describe: "the installed implementation's deployed runtime code: hex, or a file holding it" })
          .option('impl-codehash', { type: 'string', describe: "the installed implementation's EXTCODEHASH (0x-hex)" })
          .epilogue('Exit codes:\n  0   bound: the action hash is recorded\n  1   the proposal installs no implementation, several, or code other than the certified new code\n  3   usage or input error\n  70  internal error: a bug in patchproof (please report it with the inputs)'),
      (a) =>
        run(async () => {
          const r = await (await import('../certificate/cli.ts')).attachCommand(a.cert, a.proposal, { code: a.implCode, codehash: a.implCodehash });
          out(r.text);
          return r.ok ? EXIT.proved : EXIT.different;
        }),
    )
    .command(
      'shadow [old] [new]',
      'replay transactions (recorded, or random with --fuzz) on both versions and report where they diverge',
      (y) =>
        pairOptions(versionArgs(y, 'shadow'))
          .option('txs', { type: 'string', describe: 'transactions to replay in order (JSON; see the README, "Shadow replay")' })
          .option('fuzz', { type: 'number', describe: 'instead of --txs: N random transactions per entry point (testing, not a proof)' })
          .option('seed', { type: 'number', default: 1, describe: 'random seed of --fuzz' })
          .option('state', { type: 'string', describe: "starting storage of both versions (JSON), laid out by the old version's layout" })
          .option('save-txs', { type: 'string', describe: 'write the transactions replayed to this file, in the --txs format' })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'report format on stdout' })
          .conflicts('txs', 'fuzz')
          .check((a) => {
            if (a.txs === undefined && a.fuzz === undefined) throw new Error('pass --txs <file.json> to replay transactions, or --fuzz <N> to generate them');
            if (a.fuzz !== undefined && (!Number.isInteger(a.fuzz) || a.fuzz <= 0 || a.fuzz > 100_000)) throw new Error(`--fuzz must be a whole number of transactions per entry point from 1 to 100000, got ${String(a.fuzz)}`);
            if (!Number.isInteger(a.seed) || a.seed < 0 || a.seed > 0xffffffff) throw new Error(`--seed must be a whole number from 0 to 4294967295, got ${String(a.seed)}`);
            return true;
          })
          .epilogue('Exit codes:\n  0   no transaction diverged (--fuzz: none observed; testing, not a proof)\n  1   some transaction diverged\n  3   usage, input or compile error\n  70  internal error: a bug in patchproof (please report it with the inputs)'),
      (a) =>
        run(async () => {
          const { runShadow, saveTransactions } = await import('../shadow/index.ts');
          const { formatShadowText, shadowExitCode, shadowJson } = await import('../shadow/report.ts');
          const { result, txs } = await withPair(a, (p, prebuilt) =>
            runShadow({
              ...p,
              ...prebuilt,
              txsFile: a.txs,
              stateFile: a.state,
              ...(a.fuzz === undefined ? {} : { fuzz: { perEntryPoint: a.fuzz, seed: a.seed } }),
            }),
          );
          out(a.format === 'json' ? JSON.stringify(shadowJson(result), null, 2) + '\n' : formatShadowText(result));
          if (a.saveTxs !== undefined) {
            await saveTransactions(a.saveTxs, txs);
            err(`transactions written to ${a.saveTxs}`);
          }
          return shadowExitCode(result) === 1 ? EXIT.different : EXIT.proved;
        }),
    )
    .demandCommand(1, 'no command given')
    .strict()
    .epilogue(EPILOGUE)
    .help()
    .alias('help', 'h')
    .version(toolVersion())
    .wrap(100)
    .exitProcess(false)
    .fail((msg: string | undefined, e: Error | undefined) => {
      // yargs' own validation (unknown command or option, missing argument, bad choice). Throwing is
      // what stops yargs: with exitProcess(false) it would otherwise go on to run the command.
      throw new UsageError(msg ?? e?.message ?? 'invalid command line');
    });
  try {
    // strict() alone would say "Unknown arguments: prove, a.sol"; name the command and the choices.
    const first = argv[0];
    if (first !== undefined && !first.startsWith('-') && !COMMANDS.includes(first)) {
      throw new UsageError(`unknown command ${first}; the commands are ${COMMANDS.join(', ')}`);
    }
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof UsageError) {
      err(`error: ${e.message}`);
      err("run 'patchproof --help' for usage");
      code = EXIT.usage;
    } else {
      code = reportFailure(e);
    }
  } finally {
    solver.close();
  }
  return code;
}

class UsageError extends Error {}

/** 1 (refuted) over 2 (inconclusive) over 0 (proved). */
function worstExit(a: number, b: number): number {
  return a === 1 || b === 1 ? 1 : a === 2 || b === 2 ? 2 : 0;
}

/**
 * The two versions of `check`, `layout` and `shadow`: positional files or build-info, or none with
 * --old-root/--old-ref and `--contract path/File.sol:Name` (src/cli/inputs.ts resolvePair).
 */
function versionArgs<T>(y: Argv<T>, command: string) {
  return y
    .positional('old', { type: 'string', describe: 'the deployed version: a .sol file, or build-info (a file or a directory holding it)' })
    .positional('new', { type: 'string', describe: 'the patched version: a .sol file, or build-info' })
    .option('old-ref', { type: 'string', describe: 'take the old version out of this git ref (tag, branch, commit) into a temporary worktree; with --contract path/File.sol:Name' })
    .check((a) => {
      const project = a.old === undefined && a.new === undefined && (a.oldRef !== undefined || a['old-root'] !== undefined);
      if (!project && (a.old === undefined || a.new === undefined)) throw new Error(`${command} needs both versions: ${command} <old.sol> <new.sol>, or ${command} <old build-info> <new build-info> --contract path/File.sol:Name, or ${command} --old-root <dir> | --old-ref <ref> --contract path/File.sol:Name`);
      if (a.oldRef !== undefined && a.old !== undefined) throw new Error('--old-ref takes the old version from git: pass no files, and --contract path/File.sol:Name');
      return true;
    });
}

/** Runs `body` on the resolved pair of a `layout` or `shadow` command, removing an --old-ref worktree after. */
async function withPair<R>(a: PairArgs & { old?: string; new?: string; oldRef?: string }, body: (pair: PairInput, prebuilt: Pick<PairInput, 'prebuilt'>) => Promise<R>): Promise<R> {
  const pair = await (await import('./inputs.ts')).resolvePair(a);
  try {
    return await body(pairOf(pair.args, pair.oldArg, pair.newArg), pair.inputs.prebuilt === undefined ? {} : { prebuilt: pair.inputs.prebuilt });
  } finally {
    await pair.close();
  }
}

/** Options of every two-version command (`check`, `verify`, `shadow`): contracts, roots, the solc cache. */
function pairOptions<T>(y: Argv<T>) {
  return y
    .option('contract', { alias: 'c', type: 'string', describe: 'contract name in both files (default: the last deployable contract of each file)' })
    .option('old-contract', { type: 'string', describe: 'contract name in the old file (overrides --contract)' })
    .option('new-contract', { type: 'string', describe: 'contract name in the new file (overrides --contract)' })
    .option('root', { type: 'string', describe: "project root of both files; imports must stay inside (default: each file's directory)" })
    .option('old-root', { type: 'string', describe: 'project root of the old file (overrides --root)' })
    .option('new-root', { type: 'string', describe: 'project root of the new file (overrides --root)' })
    .option('cache-dir', { type: 'string', describe: 'cache solc output in this directory' });
}

/** Options shared by `check` and `verify`. */
function checkOptions<T>(y: Argv<T>) {
  return pairOptions(y)
    .option('timeout', { type: 'number', default: 20000, describe: 'per-query solver timeout in milliseconds' })
    .option('dump-smt', { type: 'string', describe: 'write every SMT-LIB2 query to this directory as <obligation id>.smt2' })
    .option('loop-bound', {
      type: 'number',
      default: 5,
      describe: 'unroll every loop this many iterations (1-64); an equivalence that rests on it is reported as bounded (exit 2)',
    })
    .option('summaries', { type: 'boolean', default: true, describe: 'abstract internal calls and loops identical in both versions by shared summaries (--no-summaries: always inline calls and unroll loops)' })
    .option('mode', { choices: ['equivalence', 'fix'] as const, default: 'equivalence' as const, describe: 'equivalence: every entry point behaves the same; fix: the new version refines the old one (it reverts, or behaves exactly alike)' })
    .option('blocks', { type: 'string', describe: "exploit condition the new version must revert on, '[old:|new:]<signature>: <condition>' (repeatable), e.g. 'withdraw(uint256): amount > balances[msg.sender]'" })
    .option('differs-only-when', { type: 'string', describe: "intended change: the versions may differ only where the condition holds, and the new version reverts there; same form as --blocks (repeatable)" })
    .option('asserts', { type: 'boolean', describe: 'prove that no assert of the new version can fail (default: on in --mode fix)' })
    .check((a) => {
      const t = a.timeout;
      if (!Number.isInteger(t) || t <= 0) throw new Error(`--timeout must be a positive whole number of milliseconds, got ${String(t)}`);
      const lb = a['loop-bound'];
      if (!Number.isInteger(lb) || lb < 1 || lb > 64) throw new Error(`--loop-bound must be a whole number from 1 to 64, got ${String(lb)}`);
      return true;
    });
}

interface CheckArgs {
  contract?: string;
  oldContract?: string;
  newContract?: string;
  root?: string;
  oldRoot?: string;
  newRoot?: string;
  timeout: number;
  dumpSmt?: string;
  cacheDir?: string;
  loopBound: number;
  summaries?: boolean;
  mode?: 'equivalence' | 'fix';
  blocks?: string | string[];
  differsOnlyWhen?: string | string[];
  asserts?: boolean;
}

interface PairArgs {
  contract?: string;
  oldContract?: string;
  newContract?: string;
  root?: string;
  oldRoot?: string;
  newRoot?: string;
  cacheDir?: string;
}

/** The options every two-version command shares; `--root` is the default for both roots. */
function pairOf(a: PairArgs, oldFile: string, newFile: string): PairInput {
  return {
    oldFile,
    newFile,
    contract: contractName(a.contract),
    oldContract: contractName(a.oldContract),
    newContract: contractName(a.newContract),
    oldRoot: a.oldRoot ?? a.root,
    newRoot: a.newRoot ?? a.root,
    cacheDir: a.cacheDir,
  };
}


async function optionsOf(a: CheckArgs, oldFile: string, newFile: string, solver: SolverSession): Promise<CheckOptions> {
  return {
    ...pairOf(a, oldFile, newFile),
    timeoutMs: a.timeout,
    dumpSmtDir: a.dumpSmt,
    loopBound: a.loopBound,
    solver: await solver.get(),
    ...(a.summaries === false ? { summaries: false } : {}),
    ...(a.mode === 'fix' ? { mode: 'fix' } : {}),
    ...(a.asserts === undefined ? {} : { asserts: a.asserts }),
    ...(await relationsOf(a)),
  };
}

/**
 * `--blocks` and `--differs-only-when`, each repeatable (yargs gives one string or an array), and the
 * `relation`, `added` and `removed` entries of a `--spec` file.
 */
async function relationsOf(a: CheckArgs & { spec?: string }): Promise<Pick<CheckOptions, 'relations' | 'entryRelations' | 'intended' | 'stateMappings'>> {
  const { parseRelationFlag } = await import('../obligations/relations.ts');
  const all = (x: string | string[] | undefined): string[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
  const relations = [...all(a.blocks).map((v) => parseRelationFlag('--blocks', v)), ...all(a.differsOnlyWhen).map((v) => parseRelationFlag('--differs-only-when', v))];
  const fromSpec = a.spec === undefined ? undefined : (await import('../spec/relations.ts')).relationsOfSpec(await (await import('../spec/prove.ts')).loadSpec(a.spec));
  relations.push(...(fromSpec?.relations ?? []));
  const stateMappings = a.spec === undefined ? [] : (await (await import('../spec/prove.ts')).loadSpec(a.spec)).stateMappings;
  return {
    ...(stateMappings.length ? { stateMappings } : {}),
    ...(relations.length ? { relations } : {}),
    ...(fromSpec?.entryRelations.length ? { entryRelations: fromSpec.entryRelations } : {}),
    ...(fromSpec?.intended.length ? { intended: fromSpec.intended } : {}),
  };
}

async function loadCheckPatch(): Promise<CheckPatch> {
  // Loaded lazily so that --help and usage errors answer without starting solc or Z3.
  return (await import('../check.ts')).checkPatch;
}

/** One Z3 instance per process, started on first use; `close()` is required or the process never exits. */
class SolverSession {
  private solver: Promise<Z3Solver> | undefined;

  get(): Promise<Z3Solver> {
    this.solver ??= import('../smt/z3.ts').then(({ Z3Solver }) => Z3Solver.start());
    return this.solver;
  }

  close(): void {
    // A failed start has nothing to close; its error was reported where get() was awaited.
    void this.solver?.then((s) => s.close(), () => undefined);
  }
}

async function guarded(command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (e) {
    return reportFailure(e);
  }
}

function reportFailure(e: unknown): number {
  if (isPatchproofError(e)) {
    err(`error: ${e.message}`);
    for (const d of e.diagnostics) err(`  ${d.formatted}`);
    return EXIT.usage;
  }
  const error = e instanceof Error ? e : new Error(String(e));
  err(`internal error: ${error.message.replace(/^internal error: /, '')}`);
  if (error.stack !== undefined) err(error.stack);
  err('this is a bug in patchproof; please report it with the command line and the input files');
  return EXIT.internal;
}

function out(text: string): void {
  process.stdout.write(text);
}

function err(line: string): void {
  process.stderr.write(line + '\n');
}

function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

function isEntryModule(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(path.resolve(script)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// `tsx src/cli/main.ts …` runs the CLI directly; bin/patchproof.js imports this module and calls main().
if (isEntryModule()) process.exitCode = await main(hideBin(process.argv));
