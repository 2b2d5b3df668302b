"""The `budgetpub` command: one verb per library call, plain messages, no tracebacks."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from budgetpub import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="budgetpub")
def cli() -> None:
    """Turn Chinese departmental budget disclosures into open data.

    \b
    budgetpub convert                      convert the bundled samples into datapackages/
    budgetpub convert FILE_OR_DIR ... --out DIR
    budgetpub validate [PACKAGE_OR_DIR ...]  check packages before release
    """


def _summary_line(result) -> str:  # noqa: ANN001 - ConvertResult, imported lazily
    if result.status != "converted":
        return f"{result.status}: {result.message}"
    findings = result.findings or {}
    parts = ", ".join(f"{findings[k]} {k}" for k in ("error", "warning", "source", "info") if findings.get(k))
    coverage = ", ".join(f"{n} {status}" for status, n in sorted((result.coverage or {}).items()))
    lines = [
        f"converted: {result.input.name} -> {result.package} "
        f"({result.tables} tables, {result.rows} rows; report: {parts or 'empty'})",
        f"  tables found: {coverage or 'none'}",
    ]
    lines += [f"    not converted: {title}" for title in result.unconverted]
    return "\n".join(lines)


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the packages (default: datapackages/ of the project).",
)
def convert(inputs: tuple[Path, ...], out_dir: Path | None) -> None:
    """Convert disclosure text files (or folders of .txt files) into data packages.

    With no INPUTS, converts the samples bundled in samples/. Each disclosure becomes
    OUT/<region>-<department>-<year>-budget/ with CSV resources, datapackage.json and one JSON
    document. Exit code 1 if any input failed; final accounts are skipped for now.
    """
    from converter import DEFAULT_OUT, SAMPLES_DIR, convert_file, find_inputs

    out_dir = out_dir or DEFAULT_OUT
    paths = list(inputs) or [SAMPLES_DIR]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    files = find_inputs(paths)
    if not files:
        raise click.UsageError("no .txt disclosure found in the given folders")
    results = []
    show_bar = len(files) > 1 and sys.stderr.isatty()
    bar_context = (
        click.progressbar(files, label="Converting", file=sys.stderr, show_pos=True) if show_bar else _plain(files)
    )
    with bar_context as bar:
        for path in bar:
            result = convert_file(path, out_dir)
            results.append(result)
            line = _summary_line(result)
            if show_bar:
                click.echo("", err=True)
            click.echo(line, err=result.status == "failed")
    failed = sum(r.status == "failed" for r in results)
    converted = sum(r.status == "converted" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    if len(results) > 1:
        click.echo(f"{converted} converted, {skipped} skipped, {failed} failed")
    if failed:
        sys.exit(1)


_COLORS = {"error": "red", "warning": "yellow", "source": "cyan", "info": "blue"}
_HEADINGS = {"error": "errors", "warning": "warnings", "source": "source findings (kept as printed)", "info": "notes"}


def _finding_line(finding) -> str:  # noqa: ANN001 - converter.report.Finding
    row_key = "" if finding.row_key and finding.row_key in finding.message else finding.row_key
    where = [finding.resource, row_key, finding.field]
    if finding.source_line:
        where.append(f"line {finding.source_line}")
    place = " · ".join(w for w in where if w)
    return f"    {finding.message}" + (f"  [{place}]" if place else "")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON for machines.")
@click.option("--quiet", is_flag=True, help="Only errors and warnings, not source findings and notes.")
def validate(paths: tuple[Path, ...], as_json: bool, quiet: bool) -> None:
    """Check data packages: structure, code lists, arithmetic, agreement between tables, integrity.

    PATHS are package folders, datapackage.json files or folders of packages (default:
    datapackages/). Exit code 0 when no package has errors, 1 when any has, 2 for a usage problem.
    Findings of severity 'source' are the published document disagreeing with itself: they are
    kept as printed and do not fail validation.
    """
    from converter import DEFAULT_OUT
    from validate import UsageProblem, validate_paths
    from validate import as_json as render_json

    try:
        results = validate_paths(list(paths) or [DEFAULT_OUT])
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(render_json(results))
    else:
        for result in results:
            status = click.style("valid", fg="green") if result.valid else click.style("INVALID", fg="red", bold=True)
            click.echo(f"{result.name}: {status} ({result.path})")
            for severity in ("error", "warning", "source", "info"):
                found = [f for f in result.findings if f.severity == severity]
                if not found or (quiet and severity in ("source", "info")):
                    continue
                click.echo(click.style(f"  {_HEADINGS[severity]} ({len(found)})", fg=_COLORS[severity]))
                for finding in found:
                    click.echo(_finding_line(finding))
        totals = {s: sum(r.counts[s] for r in results) for s in ("error", "warning", "source", "info")}
        invalid = sum(not r.valid for r in results)
        click.echo(
            f"{len(results)} package(s), {invalid} invalid: {totals['error']} errors, {totals['warning']} "
            f"warnings, {totals['source']} source findings, {totals['info']} notes"
        )
    if any(not r.valid for r in results):
        sys.exit(1)


class _plain:
    """A stand-in for click's progress bar when output is not a terminal."""

    def __init__(self, items: list) -> None:
        self.items = items

    def __enter__(self) -> list:
        return self.items

    def __exit__(self, *exc: object) -> None:
        return None


def main() -> None:
    cli(prog_name="budgetpub")


if __name__ == "__main__":
    main()
