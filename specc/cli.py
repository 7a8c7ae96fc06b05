"""The command line: click turns flags into options and calls the driver. Nothing else here."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

import click

from specc import __version__
from specc.reporters import REPORTERS
from specc.reporters.common import Outcome

if TYPE_CHECKING:
    from specc.driver import Result
    from specc.platform import Platform


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="specc")
def main() -> None:
    """specc: an offline compiler and linter for Flyte workflow specifications."""


STDIN = Path("-")
STDIN_NAME = "stdin.yaml"  # what '-' is called without --stdin-filename


@main.command("compile", short_help="Check specs and compile their workflows.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False),
              help="Write each workflow's compiled closure to DIR/<name>.closure.<ext>.")
@click.option("--emit", type=click.Choice(["pb", "json", "yaml"]), default=None,
              help="Encoding of the closures written with -o (default: pb).")
@click.option("--format", "fmt", type=click.Choice(list(REPORTERS)), default="text",
              show_default=True, help="How diagnostics are printed (github: Actions "
                                      "annotations; sarif: for code scanning).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour in the text format; auto: on a terminal unless "
                                      "NO_COLOR is set.")
@click.option("--statistics", is_flag=True,
              help="Also print the number of diagnostics per code (to stderr; with --format "
                   "json, as a \"statistics\" key).")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when errors are found (usage and internal errors still exit "
                   "2 and 3).")
@click.option("--fix", is_flag=True,
              help="Apply the safe fixes of the diagnostics shown (YAML and JSON files; comments "
                   "and formatting kept), then check again and print what is left.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print what --fix would change, as a unified diff, and write nothing (exit 1 "
                   "when there is something to fix).")
@click.option("--stdin-filename", metavar="NAME",
              help="With '-' (read one spec from stdin): the file name it is reported as, whose "
                   "suffix says its form and whose folder finds the project and configuration "
                   f"(default: {STDIN_NAME}).")
@click.option("--flyte-defaults", is_flag=True,
              help="Check against FlyteAdmin's default deployment settings: task resource "
                   "limits cpu 2, memory 1Gi, gpu 1; at most 100 nodes per workflow; domains "
                   "development, staging, production.")
@click.option("--platform-limit", "platform_limits", multiple=True, metavar="NAME=QUANTITY",
              help="A platform task resource limit, e.g. cpu=4 or memory=8Gi (repeatable).")
@click.option("--max-workflow-nodes", type=click.IntRange(min=1),
              help="FlyteAdmin's registration.maxWorkflowNodes.")
@click.option("--domain", "domains", multiple=True,
              help="A domain the platform has (repeatable); others are reported.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False,
                                                         exists=True),
              help="Configuration file (default: the nearest specc.toml or pyproject.toml with "
                   "[tool.specc] above the first path).")
@click.option("--no-context", is_flag=True,
              help="Check the given files on their own. By default the project's other specs "
                   "(the configuration's 'include' globs, or every spec file of the repository) "
                   "are loaded to resolve references, and only the given files are reported on.")
@click.option("-q", "--quiet", is_flag=True,
              help="Print the diagnostics only: no summary, no progress, no notes, nothing "
                   "about what was written.")
@click.option("--no-cache", is_flag=True,
              help="Read every file afresh and keep nothing (the cache is .specc_cache/ at the "
                   "repository's root; it never changes a result, only the time).")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Keep the cache in this folder instead.")
@click.option("--catalog", "catalog", multiple=True, type=click.Path(path_type=Path),
              metavar="PATH",
              help="Registered tasks, workflows and launch plans (as 'flytectl get task|workflow|"
                   "launchplan -o yaml' prints them, .pb files or bundles; repeatable): "
                   "references to entities registered elsewhere resolve against them and are "
                   "checked fully. Never reported on.")
@click.option("--bundle", type=click.Path(path_type=Path, dir_okay=False), metavar="OUT.tgz",
              help="When there are no errors, also write a registration bundle in pyflyte's "
                   "layout (byte-reproducible; a default launch plan for every workflow).")
@click.option("--project", help="With --bundle: fill empty and '{{ registration.project }}' "
                                "identifier projects, as 'flytectl register files -p' does.")
@click.option("--bundle-domain", help="With --bundle: fill empty and "
                                      "'{{ registration.domain }}' identifier domains, as "
                                      "'flytectl register files -d' does.")
@click.option("--bundle-version", help="With --bundle: fill empty and "
                                       "'{{ registration.version }}' identifier versions, as "
                                       "'flytectl register files --version' does.")
@click.option("--version", "old_version", hidden=True,
              help="The old name of --bundle-version (deprecated).")
def compile_cmd(paths: tuple[Path, ...], out: Path | None, emit: str | None, fmt: str,
                flyte_defaults: bool, platform_limits: tuple[str, ...],
                max_workflow_nodes: int | None, domains: tuple[str, ...],
                config_path: Path | None, color: str = "auto", statistics: bool = False,
                exit_zero: bool = False, bundle: Path | None = None, project: str | None = None,
                bundle_domain: str | None = None, bundle_version: str | None = None,
                old_version: str | None = None, no_context: bool = False,
                no_cache: bool = False, cache_dir: Path | None = None, quiet: bool = False,
                catalog: tuple[Path, ...] = (), fix: bool = False, show_diff: bool = False,
                stdin_filename: str | None = None) -> None:
    """Check Flyte specs (YAML, JSON, .pb, bundles, or directories of them; '-' reads one spec
    from stdin) and compile their workflows.

    Exit status: 0 no errors, 1 errors found, 2 usage error, 3 internal error.
    """
    from specc import driver

    def usage(message: str) -> NoReturn:
        click.echo(f"specc: error: {message}", err=True)
        sys.exit(driver.EXIT_USAGE)

    if old_version is not None:
        click.echo("specc: note: 'specc compile --version' is deprecated: the bundle's version "
                   "is --bundle-version ('specc --version' prints specc's own)", err=True)
        if bundle_version is not None and bundle_version != old_version:
            usage("--version and --bundle-version disagree; give --bundle-version only")
        bundle_version = old_version
    if emit is not None and out is None:
        usage("--emit says how the closures written with -o DIR are encoded; give -o DIR")
    if fix and show_diff:
        usage("--fix writes the fixes and --diff shows them without writing; give one")
    overrides, paths = _stdin(paths, stdin_filename, usage)
    platform = _platform(flyte_defaults, platform_limits, max_workflow_nodes, domains)
    opts = driver.Options(paths=list(paths), out=out, emit=emit or "pb", platform=platform,
                          config_path=config_path, context=not no_context,
                          cache=not no_cache, cache_dir=cache_dir, catalog=list(catalog),
                          overrides=overrides)
    registration = {"project": project, "domain": bundle_domain, "version": bundle_version}
    if any(v is not None for v in registration.values()) and bundle is None:
        usage("--project, --bundle-domain and --bundle-version fill the identifiers of a "
              "bundle; give --bundle OUT.tgz")
    if bundle is not None and domains and bundle_domain is None:
        click.echo("specc: note: --domain names the platform's domains for the checks; the "
                   "domain the bundle's identifiers get is --bundle-domain", err=True)
    opts.bundle = bundle
    opts.registration = {k: v for k, v in registration.items() if v is not None}
    if fix or show_diff:
        try:
            code = _fix(opts, show_diff, quiet, stdin=overrides is not None)
        except driver.UsageError as e:
            usage(str(e))
        if code is not None:
            sys.exit(code)
    bar = _Progress(sys.stderr) if not quiet else None
    opts.progress = bar.update if bar is not None and bar.live else None
    try:
        result = driver.compile_paths(opts)
    except driver.UsageError as e:
        usage(str(e))
    finally:
        if bar is not None:
            bar.clear()
    to_stderr = fix and overrides is not None  # stdout holds the fixed spec
    code = _report(result, opts, fmt, color, statistics, exit_zero, quiet, to_stderr)
    if result.written and not quiet:
        _wrote(result.written, out, bundle)
    sys.exit(code)


def _stdin(paths: tuple[Path, ...], name: str | None, usage: Callable[[str], NoReturn]
           ) -> tuple[dict[Path, bytes] | None, tuple[Path, ...]]:
    """With '-' among the paths: the spec read from stdin, as the buffer of the file it is
    named (``--stdin-filename``, which need not exist), and the paths with that name for '-'."""
    if STDIN not in paths:
        if name is not None:
            usage("--stdin-filename names the spec read from stdin; give '-' as the path")
        return None, paths
    if len(paths) != 1:
        usage("'-' reads one spec from stdin; give it alone")
    path = Path(name or STDIN_NAME)
    return {path: sys.stdin.buffer.read()}, (path,)


def _fix(opts: Any, show_diff: bool, quiet: bool, stdin: bool) -> int | None:
    """--fix and --diff. With --diff: print the diff, and the exit status (1: something to
    fix). With --fix: write the fixed files (stdin: print the fixed spec on stdout, and keep it
    as the buffer the check then reads) and None, to go on with the check."""
    from specc import fix as fixer
    from specc.frontends import display_path

    outcome, _ = fixer.fix(opts)
    changed = outcome.changed
    where = f"{len(changed)} file{'s' if len(changed) != 1 else ''}"
    problems = f"{outcome.applied} problem{'s' if outcome.applied != 1 else ''}"
    if show_diff:
        names = {p: display_path(p) for p in changed}
        click.echo(fixer.unified_diff(outcome, names), nl=False)
        if not quiet:
            click.echo(f"specc: --fix would fix {problems} in {where}" if changed else
                       "specc: nothing to fix", err=True)
        return 1 if changed else 0
    if stdin:
        (path, data), = opts.overrides.items()
        data = outcome.after.get(path, data)
        opts.overrides = {path: data}
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    elif changed:
        try:
            fixer.write(outcome)
        except OSError as e:
            from specc import driver

            raise driver.UsageError(f"cannot write the fixes: {e}") from e
    if not quiet and changed:
        click.echo(f"specc: fixed {problems} in {where}", err=True)
    return None


def _wrote(written: list[Path], out: Path | None, bundle: Path | None) -> None:
    """One line on stderr per artifact kind: the closures written to -o, the bundle."""
    closures = [p for p in written if p != bundle]
    if closures and out is not None:
        n = len(closures)
        click.echo(f"specc: wrote {n} closure{'s' if n != 1 else ''} to {out}", err=True)
    if bundle is not None and bundle in written:
        click.echo(f"specc: wrote bundle {bundle}", err=True)


class _Progress:
    """A line on stderr, on a terminal only, for runs that take a while: files read so far and
    errors found; cleared before anything else is printed."""

    def __init__(self, stream: Any) -> None:
        import time

        self.stream = stream
        self.clock = time.monotonic
        self.start = self.clock()
        self.last = 0.0
        self.shown = False
        isatty = getattr(stream, "isatty", None)
        try:
            self.live = bool(isatty and isatty())
        except (ValueError, OSError):
            self.live = False

    def update(self, done: int, total: int, errors: int) -> None:
        now = self.clock()
        if now - self.start < 0.5 or now - self.last < 0.1:
            return  # only runs that take a while, and not too often
        self.last = now
        self.shown = True
        self.stream.write(f"\rspecc: {done}/{total} files read, {errors} "
                          f"error{'s' if errors != 1 else ''} so far\x1b[K")
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


class _Given(Protocol):
    """What ``_report`` reads of the options: the paths given."""

    @property
    def paths(self) -> list[Path]: ...


class _Ran(Outcome, Protocol):
    """A run as ``_report`` reads it: what the reporters read, and its exit status."""

    @property
    def exit_code(self) -> int: ...


def _report(result: _Ran, opts: _Given, fmt: str, color: str, statistics: bool,
            exit_zero: bool, quiet: bool = False, to_stderr: bool = False) -> int:
    """Print the diagnostics (stdout, or stderr with ``to_stderr``) and the summary, statistics
    and notes (stderr); the exit status."""
    from specc import driver
    from specc.reporters import common, render

    stream = sys.stderr if to_stderr else sys.stdout
    paint = fmt == "text" and common.want_color(color, stream)
    click.echo(render(fmt, result, color=paint, statistics=statistics), nl=False,
               color=True if paint else None, err=to_stderr)
    if statistics and fmt != "json":
        click.echo(common.statistics_table(result), nl=False, err=True)
    if quiet:
        pass
    elif result.files == 0:
        where = ", ".join(str(p) for p in opts.paths)
        click.echo(f"specc: note: nothing to check: no spec files (.yaml, .yml, .json, .pb, "
                   f".tgz) in {where}", err=True)
    elif fmt == "text":
        from specc.reporters.text import summary

        click.echo(summary(result), err=True)
    else:
        from specc.reporters.common import external_line, not_checked_line

        for line in (not_checked_line(result), external_line(result)):
            if line is not None:
                click.echo(line, err=True)
    withheld = getattr(result, "withheld", None)  # (a compile's: what was not written, why)
    if withheld and not quiet:
        click.echo(f"specc: {withheld}", err=True)
    code = result.exit_code
    if exit_zero and code == driver.EXIT_ERRORS:
        return driver.EXIT_OK
    return code


def _platform(defaults: bool, limits: tuple[str, ...], max_nodes: int | None,
              domains: tuple[str, ...]) -> Platform | None:
    """Deployment settings from flags; None when none is given (those checks stay off)."""
    from specc import quantity
    from specc.platform import Platform, flyte_defaults

    if not (defaults or limits or max_nodes or domains):
        return None
    base = flyte_defaults() if defaults else Platform()
    table = dict(base.limits)
    names = {"cpu": "CPU", "memory": "MEMORY", "gpu": "GPU",
             "ephemeral-storage": "EPHEMERAL_STORAGE", "ephemeral_storage": "EPHEMERAL_STORAGE"}
    for item in limits:
        name, _, value = item.partition("=")
        key = names.get(name.strip().lower())
        if key is None or quantity.parse(value.strip()) is None:
            raise click.BadParameter(f"'{item}': write NAME=QUANTITY with NAME one of cpu, "
                                     f"memory, gpu, ephemeral-storage",
                                     param_hint="--platform-limit")
        table[key] = value.strip()
    return Platform(limits=table, max_workflow_nodes=max_nodes or base.max_workflow_nodes,
                    domains=tuple(domains) or base.domains,
                    task_type_allowlist=base.task_type_allowlist)


@main.command("convert", short_help="Write specs in another encoding: YAML, JSON, .pb or the "
                                     "dialect.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", type=click.Choice(["yaml", "json", "pb", "specc"]), required=True,
              help="The encoding to write (specc: the authoring dialect, docs/dialect.md).")
@click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The folder to write one file per document to (pyflyte's file names, with "
                   "the new suffix).")
@click.option("--format", "fmt", type=click.Choice(list(REPORTERS)), default="text",
              show_default=True, help="How diagnostics are printed.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour in the text format.")
@click.option("--stdin-filename", metavar="NAME",
              help="With '-' (read one spec from stdin): the file name it is read as, whose "
                   "suffix says its form and whose stem names the output "
                   f"(default: {STDIN_NAME}).")
@click.option("-q", "--quiet", is_flag=True, help="Print the problems only, no summary.")
def convert_cmd(paths: tuple[Path, ...], to: str, out: Path, fmt: str, color: str,
                stdin_filename: str | None = None, quiet: bool = False) -> None:
    """Write Flyte specs (YAML, JSON, .pb, bundles, or directories of them; '-' reads one spec
    from stdin) in another encoding, one file per document, in flyteidl's canonical proto3-JSON
    form.

    Converting reads each spec and checks it against flyteidl's schema, nothing more: its
    problems are those, and a spec that converts may still not compile (references and types
    are 'specc compile's to check). Inputs with problems are refused and nothing is written.
    Exit status: 0 written, 1 problems found, 2 usage error, 3 internal error.
    """
    from types import SimpleNamespace

    from specc import convert, driver

    def usage(message: str) -> NoReturn:
        click.echo(f"specc: error: {message}", err=True)
        sys.exit(driver.EXIT_USAGE)

    overrides, paths = _stdin(paths, stdin_filename, usage)
    try:
        result = convert.convert_paths(list(paths), to, out, overrides=overrides)
    except convert.ConvertError as e:
        usage(str(e))
    # the problems of converting only; its summary says so (never "no problems": the specs
    # were not compiled)
    code = _report(result, SimpleNamespace(paths=list(paths)), fmt, color, False, False, True)
    if not quiet:
        for line in _convert_summary(result, out):
            click.echo(line, err=True)
    sys.exit(code)


def _convert_summary(result: Result, out: Path) -> list[str]:
    """What ``specc convert`` did, for stderr: what it wrote, or why nothing."""
    from specc.reporters.text import summary

    if result.files == 0:
        return ["specc: note: nothing to convert: no spec files (.yaml, .yml, .json, .pb, .tgz)"]
    if result.errors:
        return [summary(result).splitlines()[0] + "; nothing written"]
    n = len(result.written)
    return [f"specc: wrote {n} file{'s' if n != 1 else ''} to {out} (converted, not compiled: "
            f"'specc compile' checks references and types)"]


@main.command("graph", short_help="Draw workflows as Flyte would run them.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["dot", "mermaid", "svg", "png", "text"]),
              default="text", show_default=True,
              help="dot and mermaid: text for other tools; svg and png: drawn by Graphviz's "
                   "'dot'; text: the layers of the DAG in the terminal.")
@click.option("--workflow", metavar="NAME",
              help="The workflow to draw: its name, or the end of it (e.g. 'train' for "
                   "'ml.train'). Default: every workflow (svg and png draw one).")
@click.option("--edge-labels", is_flag=True, help="Label edges with the outputs they carry.")
@click.option("--with-diagnostics", is_flag=True,
              help="Mark the nodes that have diagnostics (and say which).")
@click.option("-o", "--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the drawing to this file instead of stdout.")
@click.option("--no-context", is_flag=True, help="Resolve references in the given files only.")
def graph_cmd(paths: tuple[Path, ...], fmt: str, workflow: str | None, edge_labels: bool,
              with_diagnostics: bool, out: Path | None, no_context: bool) -> None:
    """Draw workflows as Flyte would run them (from their compiled closures): nodes by kind,
    branch cases and sub-workflows as clusters, the failure node apart.

    Exit status: 0 drawn, 1 nothing could be drawn, 2 usage error (or Graphviz missing).
    """
    from specc import driver
    from specc.emit import atomic_write
    from specc.graph import GraphvizError, GraphvizNotFound
    from specc.graph.command import GraphError, draw

    try:
        drawing = draw(list(paths), fmt, workflow, edge_labels, with_diagnostics,
                       context=not no_context)
    except driver.UsageError as e:
        click.echo(f"specc: error: {e}", err=True)
        sys.exit(driver.EXIT_USAGE)
    except GraphError as e:
        click.echo(f"specc: error: {e}", err=True)
        sys.exit(driver.EXIT_ERRORS)
    except GraphvizNotFound as e:
        click.echo(f"specc: error: {e}", err=True)
        sys.exit(driver.EXIT_USAGE)
    except GraphvizError as e:
        click.echo(f"specc: error: {e}", err=True)
        sys.exit(driver.EXIT_ERRORS)
    data = drawing.output(fmt)
    if out is not None:
        atomic_write(out, data)
        click.echo(f"specc: wrote {out}", err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    errors = drawing.result.errors if drawing.result is not None else 0
    if errors:
        click.echo(f"specc: note: {errors} error{'s' if errors != 1 else ''} in these specs; "
                   f"'specc compile' lists them", err=True)


@main.command("diff", short_help="Compare two versions of specs: what breaks, what changed.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--against", metavar="REV",
              help="Compare PATHS (default: .) with the same paths at this git revision of "
                   "their repository: a branch, tag or commit, or buf's '.git#branch=NAME' "
                   "(also tag=, ref=, commit=). Without it, give OLD and NEW.")
@click.option("--version", help="The version that empty and '{{ registration.version }}' "
                                "versions take on both sides (as 'flytectl register files "
                                "--version'). Without it they differ from every version, and "
                                "only the interface rules apply.")
@click.option("--format", "fmt", type=click.Choice(list(REPORTERS)), default="text",
              show_default=True, help="How the changes are printed (as for compile).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour in the text format.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False,
                                                         exists=True),
              help="Configuration file (default: the nearest one above NEW's first path); "
                   "its select/ignore/severity apply to the changes too.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are breaking changes.")
def diff_cmd(paths: tuple[Path, ...], against: str | None, version: str | None, fmt: str,
             color: str, config_path: Path | None, exit_zero: bool) -> None:
    """Compare two versions of Flyte specs: OLD NEW (any input form each), or --against REV
    [PATHS...]. Breaking changes (a removed or incompatible input or output, a new required
    input, a launch plan input callers can no longer set or leave out, a new structure under
    the same version) are errors; compatible changes, added and removed entities and other
    changed fields are notes.

    Exit status: 0 nothing breaks, 1 breaking changes (or a side has errors), 2 usage error,
    3 internal error.
    """
    from specc import diff, driver
    from specc.reporters import common, render

    if against is None and len(paths) != 2:
        click.echo("specc: error: give OLD and NEW, or --against REV [PATHS...]", err=True)
        sys.exit(driver.EXIT_USAGE)
    try:
        if against is None:
            result = diff.diff([paths[0]], [paths[1]], version, config_path)
        else:
            result = diff.diff_against(against, list(paths), version, config_path,
                                       repository_paths=fmt in ("sarif", "github"))
    except driver.UsageError as e:
        click.echo(f"specc: error: {e}", err=True)
        sys.exit(driver.EXIT_USAGE)
    paint = fmt == "text" and common.want_color(color, sys.stdout)
    click.echo(render(fmt, result, color=paint), nl=False, color=True if paint else None)
    lines = diff.summary(result)
    for line in lines if fmt == "text" else lines[:-1]:
        click.echo(line, err=True)
    code = result.exit_code
    sys.exit(driver.EXIT_OK if exit_zero and code == driver.EXIT_ERRORS else code)


@main.command("explain", short_help="Explain a diagnostic code, such as SPC301 or 'cycle'.")
@click.argument("code", required=False)
@click.option("--list", "list_all", is_flag=True, help="List every diagnostic code.")
def explain_cmd(code: str | None, list_all: bool) -> None:
    """Explain a diagnostic code (e.g. SPC301 or its name, 'cycle')."""
    from specc.codes import BY_NAME, CODES

    if list_all or code is None:
        for c in CODES.values():
            flyte = f" ({c.flyte_code})" if c.flyte_code else ""
            opt = "[opt-in] " if c.opt_in else ""
            click.echo(f"{c.code}  {c.name:<32} {c.severity:<7} {opt}{c.summary}{flyte}")
        return
    entry = CODES.get(code.upper()) or BY_NAME.get(code)
    if entry is None:
        click.echo(f"specc: error: unknown code '{code}'; see 'specc explain --list'", err=True)
        sys.exit(2)
    from specc import explain

    click.echo(explain.render(entry, explain.load(entry.code)), nl=False)


@main.command("lsp", short_help="Run the language server (LSP over stdio).")
@click.option("--stdio", is_flag=True, help="Talk over stdin and stdout (the default and only "
                                            "transport; accepted for editors that pass it).")
def lsp_cmd(stdio: bool) -> None:
    """Run the language server (LSP over stdio): diagnostics, hover and go-to-definition.

    Needs the 'lsp' extra: pip install 'specc[lsp]'.
    """
    try:
        from specc.lsp.server import serve
    except ImportError as e:
        click.echo(f"specc: error: the language server needs pygls ({e}); install it with "
                   f"pip install 'specc[lsp]'", err=True)
        sys.exit(2)
    serve()


if __name__ == "__main__":  # pragma: no cover - the console script is specc/__main__.py
    main()
