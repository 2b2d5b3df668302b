"""The `budgetpub` command: one verb per library call, plain messages, no tracebacks."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from budgetpub import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="budgetpub")
def cli() -> None:
    """Turn Chinese departmental budget disclosures into open data.

    \b
    budgetpub convert                      convert the bundled samples into build/packages/
    budgetpub convert FILE_OR_DIR ... --out DIR
    budgetpub validate [PACKAGE_OR_DIR ...]  check packages before release
    budgetpub release                      version the converted packages into datapackages/
    budgetpub diff OLD NEW                 what changed between two versions
    budgetpub site                         write a browsable static site of the store (datapackages/site/)
    budgetpub publish --ckan URL           push the latest releases to a CKAN portal
    budgetpub compile                      build the faster compiled converter (optional)

    Default folders (samples/, build/packages/, datapackages/, budgetpub.toml) are the checkout's
    when budgetpub runs from a checkout (pip install -e .), wherever it is run from; an installed
    budgetpub (pip install budgetpub-*.whl) has no checkout, and they are relative to the current
    folder.
    """


def _relative(path: Path | None) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    if path is None:
        return ""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def _summary_line(result) -> str:  # noqa: ANN001 - ConvertResult, imported lazily
    if result.status not in ("converted", "partial"):
        return f"{result.status}: {result.message}"
    findings = result.findings or {}
    parts = ", ".join(f"{findings[k]} {k}" for k in ("error", "warning", "source", "info") if findings.get(k))
    coverage = ", ".join(f"{n} {status}" for status, n in sorted((result.coverage or {}).items()))
    lines = [
        f"{result.status}: {result.input.name} -> {_relative(result.package)} "
        f"({result.tables} tables, {result.rows} rows; report: {parts or 'empty'})",
        f"  tables found: {coverage or 'none'}",
    ]
    lines += [f"    not converted: {title}" for title in result.unconverted]
    return "\n".join(lines)


F = TypeVar("F", bound=Callable[..., Any])


def cluster_options(command: F) -> F:
    """--scheduler and --local-cluster, the same for every verb that can run on a Dask cluster."""
    command = click.option(
        "--local-cluster",
        "local_cluster",
        default=None,
        type=click.IntRange(min=1),
        metavar="WORKERS",
        help="Run on a Dask LocalCluster of this many worker processes, started for the command.",
    )(command)
    return click.option(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Run on the Dask distributed cluster of this scheduler (tcp://host:8786); needs budgetpub[cluster].",
    )(command)


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the packages (default: build/packages of the checkout, or of the current folder when installed).",
)
@click.option(
    "--jobs",
    "-j",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Disclosures converted in parallel (processes).",
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="Write the package of a disclosure that is only partly usable, with its gaps in the report.",
)
@click.option(
    "--max-size",
    default=None,
    type=click.IntRange(min=1),
    help="Largest input file read, in MB (at least 1; default 20 for text and web pages, 200 for PDFs).",
)
@cluster_options
@click.option(
    "--no-resume",
    is_flag=True,
    help="Convert every input again, even those an interrupted earlier run of the batch converted.",
)
def convert(
    inputs: tuple[Path, ...],
    out_dir: Path | None,
    jobs: int,
    allow_partial: bool,
    max_size: int | None,
    no_resume: bool,
    scheduler: str | None,
    local_cluster: int | None,
) -> None:
    """Convert disclosures (PDFs, saved web pages, extracted text, or folders of them) into data packages.

    The format of each file is read from its content. Two PDFs of one folder whose names differ
    only by the words naming a part (…-text.pdf / …-tables.pdf, 附件1…情况说明 / 附件2…报表) are one
    disclosure and make one package; so do two such files given together. With no INPUTS,
    converts the samples bundled in the checkout's samples/ (an installed budgetpub has none:
    give INPUTS). Each disclosure becomes
    OUT/<region>-<department>-<year>-<budget|final-accounts>/ (OUT defaults to build/packages)
    with CSV resources, datapackage.json and one JSON document; `budgetpub release` then versions
    them into datapackages/. A disclosure that is only partly usable (a number that cannot be read
    or placed, a text cut off mid-table) fails with file and line (page for a PDF) unless
    --allow-partial. A PDF without a text layer is refused (it would need OCR). Two
    inputs that make the same package are not both written: the first keeps it. One bad file
    never stops a batch; the exit code is 1 if any input failed. A batch that was interrupted
    (Ctrl-C, kill, a crash) resumes when run again: inputs it converted, unchanged since (by
    content), are not converted again, and the summary counts them as before (--no-resume
    converts everything again).

    \b
    Examples:
      budgetpub convert
      budgetpub convert disclosure.pdf --out out/
      budgetpub convert incoming/ --out build/packages --jobs 4
    """
    from budgetpub.batch import RESUMED, convert_batch, printable, shown, unusable
    from converter import DEFAULT_OUT, SAMPLES_DIR, find_disclosures

    out_dir = out_dir or DEFAULT_OUT
    if not inputs and not SAMPLES_DIR.is_dir():
        raise click.UsageError("give the disclosures to convert (files or folders); only a checkout has samples/")
    paths = list(inputs) or [SAMPLES_DIR]
    refused = {p: unusable(p) for p in paths}
    missing = [shown(p) for p, why in refused.items() if why and why.endswith("no such file or folder")]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")
    failures = [why for why in refused.values() if why]  # names the system refuses: failed, the rest goes on
    for message in failures:
        click.echo(f"failed: {message}", err=True)
    disclosures = find_disclosures([p for p, why in refused.items() if not why])
    if not disclosures and not failures:
        raise click.UsageError("no disclosure (.txt, .pdf, .html) found in the given folders")
    counts = {"converted": 0, "partial": 0, "skipped": 0, "failed": len(failures)}
    total = len(disclosures) + len(failures)
    show_bar = len(disclosures) > 1 and sys.stderr.isatty()
    bar_context = (
        click.progressbar(length=len(disclosures), label="Converting", file=sys.stderr, show_pos=True, show_eta=True)
        if show_bar
        else _plain()
    )
    max_bytes = max_size * 1024 * 1024 if max_size else None  # None: each format's own limit
    _check_engine(jobs, scheduler, local_cluster)
    if scheduler or local_cluster:
        from budgetpub.cluster import convert_on_cluster

        results = convert_on_cluster(
            disclosures,
            out_dir,
            scheduler=scheduler,
            workers=local_cluster or 1,
            allow_partial=allow_partial,
            max_bytes=max_bytes,
            resume=not no_resume,
        )
    else:
        results = convert_batch(
            disclosures, out_dir, jobs=jobs, allow_partial=allow_partial, max_bytes=max_bytes, resume=not no_resume
        )
    resumed = 0
    with bar_context as bar, _cluster_errors():
        for result in results:
            counts[result.status] = counts.get(result.status, 0) + 1
            resumed += result.message == RESUMED
            if result.status == "failed":
                failures.append(printable(result.message))
            if show_bar:
                click.echo(_CLEAR_LINE, err=True, nl=False)  # the result goes where the bar was …
            click.echo(printable(_summary_line(result)), err=result.status == "failed")
            bar.update(1)  # … and the bar is drawn again below it, on one line (\r)
    if total > 1:
        click.echo(", ".join(f"{n} {status}" for status, n in counts.items()))
        if resumed:
            click.echo(f"({resumed} of them as an earlier run of this batch converted them: not converted again)")
        if failures and len(failures) < total:
            click.echo("failed:")
            for message in failures[:20]:
                click.echo(f"  {message}")
            if len(failures) > 20:
                click.echo(f"  … and {len(failures) - 20} more")
    if counts["failed"]:
        sys.exit(1)


def _check_engine(jobs: int, scheduler: str | None, local_cluster: int | None) -> None:
    if scheduler and local_cluster:
        raise click.UsageError("--scheduler and --local-cluster: choose one")
    if jobs > 1 and (scheduler or local_cluster):
        raise click.UsageError("--jobs is for processes of this machine; a cluster has its own workers")


@contextlib.contextmanager
def _cluster_errors() -> Iterator[None]:
    """A cluster that cannot be used is one plain line, exit 2."""
    from budgetpub.cluster import ClusterUnavailable

    try:
        yield
    except ClusterUnavailable as exc:
        raise click.UsageError(str(exc)) from None


_CLEAR_LINE = "\r\x1b[2K"  # back to the start of the terminal's line and clear it


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
@click.option(
    "--jobs",
    "-j",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Packages validated in parallel (processes).",
)
@click.option("--no-cache", is_flag=True, help="Validate every package afresh, even one validated before unchanged.")
@cluster_options
def validate(
    paths: tuple[Path, ...],
    as_json: bool,
    quiet: bool,
    jobs: int,
    no_cache: bool,
    scheduler: str | None,
    local_cluster: int | None,
) -> None:
    """Check data packages: structure, code lists, arithmetic, agreement between tables, integrity.

    PATHS are package folders, datapackage.json files or folders of packages (default:
    build/packages/, else datapackages/, the checkout's or the current folder's when installed).
    A release store is also checked as a whole: every index.json, catalog.json entry and
    CHANGELOG.md against the version folders.
    Exit code 0 when no package has errors, 1 when any has, 2 for a usage problem.
    Findings of severity 'source' are the published document disagreeing with itself: they are
    kept as printed and do not fail validation. A package validated before, byte for byte the same
    and by the same budgetpub, is not checked again: its findings come from a cache (build/cache/
    of the checkout; BUDGETPUB_CACHE=DIR elsewhere, BUDGETPUB_CACHE=off or --no-cache for none).
    """
    from converter import DEFAULT_OUT
    from release import DEFAULT_STORE
    from validate import UsageProblem, validate_paths
    from validate import as_json as render_json

    _check_engine(jobs, scheduler, local_cluster)
    try:
        chosen = list(paths) or [DEFAULT_OUT if DEFAULT_OUT.exists() else DEFAULT_STORE]
        if scheduler or local_cluster:
            from budgetpub.cluster import validate_on_cluster
            from validate import find_packages, validate_store
            from validate.store import is_store

            with _cluster_errors():
                descriptors = [d for p in chosen for d in find_packages(p)]
                results = validate_on_cluster(
                    descriptors, scheduler=scheduler, workers=local_cluster or 1, use_cache=not no_cache
                )
            results += [validate_store(p) for p in chosen if is_store(p)]
        else:
            results = validate_paths(chosen, jobs=jobs, use_cache=not no_cache)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(render_json(results))
    else:
        for result in results:
            status = click.style("valid", fg="green") if result.valid else click.style("INVALID", fg="red", bold=True)
            click.echo(f"{result.name}: {status} ({_relative(result.path)})")
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


@cli.command()
@click.option(
    "--from",
    "source",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of converted packages to release (default: build/packages, where convert writes by default).",
)
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The release store (default: datapackages/ of the checkout, or of the current folder when installed).",
)
@click.option("--date", "date", default=None, help="Release date, YYYY-MM-DD (default: today, UTC).")
@click.option(
    "--version",
    "explicit",
    multiple=True,
    metavar="NAME=VERSION",
    help="Release NAME as VERSION instead of the computed one (must be above its latest).",
)
@click.option("--no-sqlite", is_flag=True, help="Do not build budgetpub.sqlite.")
@click.option(
    "--allow-removals",
    is_flag=True,
    help="Release versions that remove rows, fields or resources (refused otherwise).",
)
@click.option(
    "--rebuild-indexes",
    is_flag=True,
    help="Make every index file, CHANGELOG, the catalog and budgetpub.sqlite again from the version folders.",
)
def release(
    source: Path | None,
    store: Path | None,
    date: str | None,
    explicit: tuple[str, ...],
    no_sqlite: bool,
    allow_removals: bool,
    rebuild_indexes: bool,
) -> None:
    """Release converted packages as immutable, versioned data for a portal.

    Every new or changed package is validated first (a package whose content is that of its
    latest release is not: it releases nothing); if any has errors nothing is released (exit 1). A package's
    version comes from comparing it with its latest release: unchanged content releases nothing,
    corrected values make a patch (1.0.1), added fields or resources a minor version (1.1.0),
    removed or renamed ones a major version (2.0.0). A version that removes rows, fields or
    resources is refused unless --allow-removals. Each version is kept in
    STORE/<name>/<version>/ with its diff and a CHANGELOG entry; STORE/index.json and
    STORE/catalog.json (DCAT) describe them all, and STORE/budgetpub.sqlite holds the latest
    versions for SQL; a release updates them in place for the packages it changes
    (--rebuild-indexes makes them all again from the version folders). One release runs at a time
    per store; a release that was killed is finished by the next one.

    \b
    Example:
      budgetpub convert && budgetpub release
    """
    from budgetpub.batch import os_error_line, shown, unusable
    from release import DEFAULT_SOURCE, DEFAULT_STORE, ReleaseError, ReleaseRefused, release_packages
    from validate import UsageProblem

    versions: dict[str, str] = {}
    for item in explicit:
        name, sep, version = item.partition("=")
        if not sep:
            raise click.UsageError(f"--version expects NAME=VERSION, got {item!r}")
        versions[name] = version
    source = source or DEFAULT_SOURCE
    problem = unusable(source)
    if problem and problem.endswith("no such file or folder"):
        raise click.UsageError(f"no such folder: {shown(source)} (run `budgetpub convert` first)")
    if problem:
        click.echo(f"not released: {problem}", err=True)
        sys.exit(1)
    try:
        result = release_packages(
            source,
            store or DEFAULT_STORE,
            date=date,
            explicit_versions=versions,
            sqlite=not no_sqlite,
            allow_removals=allow_removals,
            rebuild=rebuild_indexes,
        )
    except ReleaseRefused as exc:
        click.echo(str(exc), err=True)
        for name, errors in sorted(exc.problems.items()):
            click.echo(f"  {name}: {len(errors)} error(s), e.g. {errors[0]}", err=True)
        sys.exit(1)
    except ReleaseError as exc:
        click.echo(f"not released: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"not released: {os_error_line(exc)}; the store is as it was", err=True)
        sys.exit(1)
    except UsageProblem as exc:  # --from holds no package
        raise click.UsageError(str(exc)) from None
    for name, version in result.repaired:
        click.echo(f"finished an interrupted release: {name} {version}")
    for package in result.packages:
        if package.status == "released":
            since = f" (was {package.previous}; {package.level})" if package.previous else " (first release)"
            click.echo(f"released: {package.name} {package.version}{since}")
            if package.removals:
                click.echo(f"  removes: {'; '.join(package.removals)}")
        else:
            click.echo(f"unchanged: {package.name} {package.version}")
    click.echo(f"{len(result.released)} released, {len(result.packages) - len(result.released)} unchanged")


@cli.command()
@click.argument("old", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
def diff(old: Path, new: Path, as_json: bool) -> None:
    """What changed between two versions of a package (two package folders).

    \b
    Example:
      budgetpub diff datapackages/420100-157-2026-budget/1.0.0 datapackages/420100-157-2026-budget/1.0.1
    """
    import json

    from release.diff import change_level, diff_packages, same_package, summary_lines

    for folder in (old, new):
        if not (folder / "datapackage.json").is_file():
            raise click.UsageError(f"{folder}: not a package folder (no datapackage.json)")
    result = diff_packages(old, new)
    same = same_package(result)
    level = change_level(result) if same else None  # a level says how one package moved on
    if as_json:
        click.echo(json.dumps({**result, "level": level, "same_package": same}, ensure_ascii=False, indent=2))
        return
    lines = summary_lines(result, limit=50)
    if not same:
        heading = (
            f"different packages ({result['old']['name']} and {result['new']['name']}), not two versions of one; "
            f"{len(lines)} difference(s)"
        )
    else:
        heading = f"{level} ({len(lines)} change(s))" if level else "no differences"
    click.echo(f"{old} → {new}: {heading}")
    for line in lines:
        click.echo(f"  {line}")


@cli.command()
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The release store (default: datapackages/, as for release).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the site (default: STORE/site); it is replaced whole.",
)
@click.option(
    "--sources",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folders holding the source documents, found by their sha256 (default: the checkout's samples/).",
)
def site(store: Path | None, out: Path | None, sources: tuple[Path, ...]) -> None:
    """Write the release store as a static site: plain files, no server, no other host.

    A searchable index of departments; per version its headline figures, expenditure by function
    (drillable 类 → 款 → 项, basic vs project), basic expenditure by economic class, “三公” budget
    vs actual, revenue sources, the conversion report and validation, downloads; a department's
    versions and years side by side. Every number links to its source line, or its PDF page with
    the figure boxed, when the source document is found in --sources.

    \b
    Example:
      budgetpub release && budgetpub site && open datapackages/site/index.html
    """
    from release import DEFAULT_STORE
    from release.site import SiteError, build_site

    try:
        result = build_site(store or DEFAULT_STORE, out, list(sources) or None)
    except SiteError as exc:
        click.echo(f"no site: {exc}", err=True)
        sys.exit(1)
    click.echo(f"site: {result.pages} pages in {_relative(result.out)} (open {_relative(result.out / 'index.html')})")
    if result.missing_sources:
        click.echo(f"  numbers not linked, source not found: {', '.join(result.missing_sources)}")


@cli.command()
@click.option("--ckan", "url", required=True, help="The portal's base URL, e.g. https://data.example.org")
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The release store (default: datapackages/, as for release).",
)
@click.option("--package", "names", multiple=True, help="Publish only these packages (default: all).")
@click.option("--organization", default=None, help="CKAN organization that owns new datasets.")
@click.option(
    "--timeout",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for the portal to answer a request before retrying it.",
)
@click.option(
    "--no-datastore",
    is_flag=True,
    help="Do not load the CSVs into CKAN's DataStore (for a portal without the datastore plugin).",
)
def publish(
    url: str, store: Path | None, names: tuple[str, ...], organization: str | None, timeout: float, no_datastore: bool
) -> None:
    """Push the latest release of each package to a CKAN portal (Action API).

    The API key is read from the BUDGETPUB_CKAN_API_KEY environment variable, never from the
    command line (a warning is printed when it would go over plain http). Publishing the same
    version twice changes nothing; a request that gets no answer within --timeout seconds, or a
    network error, is retried three times, and a failure midway lists what was and was not
    uploaded (exit 1); the next run completes it. Each CSV is also loaded into the portal's
    DataStore, typed by its Table Schema (amounts as exact numerics), so the portal previews it
    and answers datastore_search queries. The catalog settings come from budgetpub.toml.
    """
    import os

    from release import DEFAULT_CONFIG, DEFAULT_STORE
    from release.catalog import load_config
    from release.ckan import API_KEY_VARIABLE, PublishError, plain_http_warning
    from release.ckan import publish as push

    api_key = os.environ.get(API_KEY_VARIABLE, "")
    if not api_key:
        raise click.UsageError(f"set {API_KEY_VARIABLE} to the portal's API key")
    warning = plain_http_warning(url)
    if warning:
        click.echo(warning, err=True)
    try:
        report = push(
            store or DEFAULT_STORE,
            url,
            api_key,
            load_config(DEFAULT_CONFIG),
            list(names),
            organization,
            timeout=timeout,
            datastore=not no_datastore,
        )
    except PublishError as exc:
        click.echo(str(exc), err=True)
        click.echo(
            f"  uploaded: {len(exc.report.uploaded)}; not uploaded: {', '.join(exc.report.not_uploaded)}", err=True
        )
        sys.exit(1)
    click.echo(
        f"{len(report.created)} dataset(s) created, {len(report.updated)} updated, {len(report.uploaded)} file(s) "
        f"uploaded, {len(report.loaded)} loaded into the DataStore, {len(report.unchanged)} already on the portal"
    )


class _plain:
    """A stand-in for click's progress bar when output is not a terminal: shows nothing."""

    def __enter__(self) -> _plain:
        return self

    def update(self, steps: int) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@cli.command("compile")
@click.option("--clean", is_flag=True, help="Remove the compiled build; the sources are used again.")
def compile_command(clean: bool) -> None:
    """Compile the conversion modules with mypyc into build/compiled/ (needs mypy and a C compiler).

    The compiled build converts the same way, byte for byte, about 1.8 times faster. It is used
    only while the sources it was built from are unchanged; after an edit, the sources are used
    until the next `budgetpub compile`. BUDGETPUB_PURE=1 turns it off.
    """
    from converter import compiled

    if clean:
        compiled.clean()
        click.echo(f"removed {compiled.BUILD_DIR}")
        return
    click.echo(f"compiling {len(compiled.MODULES)} modules with mypyc (about a minute) …", err=True)
    try:
        built = compiled.build()
    except compiled.CompileError as failed:
        raise click.ClickException(str(failed)) from None
    click.echo(f"compiled {len(compiled.MODULES)} modules into {built}")


def main() -> None:
    from concurrent.futures.process import BrokenProcessPool

    try:
        cli(prog_name="budgetpub")
    except BrokenProcessPool:
        # a worker of --jobs N died (killed, out of memory): say so, not a traceback
        message = "a worker process stopped abruptly (killed, out of memory); run again, or with --jobs 1"
        click.echo(f"Error: {message}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
