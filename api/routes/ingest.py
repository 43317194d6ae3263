"""Upload a file in any ingest format; dry-run or load. Editors only."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile

from api.analysis import warm_in_background
from api.auth import Editor
from api.errors import ApiError
from api.models import IngestOut, errors
from api.routes.common import blocking
from api.settings import ENV_UPLOAD_MB
from api.state import State, StoreDep
from api.upload_files import upload_folder
from ingest.readers import ON_UNRESOLVED, READERS, folder_format, format_names, one_of

router = APIRouter(tags=["write"])

#: The `format` field: every registered input format.
FormatName = Literal[format_names()]  # type: ignore[valid-type]
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")
#: A ZIP of CSV files may unpack to at most this many times the upload limit.
ZIP_RATIO = 10


def _safe_name(name: str | None) -> str:
    base = PurePosixPath((name or "upload").replace("\\", "/")).name
    base = _SAFE.sub("_", base).lstrip(".") or "upload"
    return base[:120]


def _named_by() -> str:
    """The file names that decide an upload's format, for the `format` field's help: the
    suffixes of one format, a ZIP of the folder format's files, names that claim a suffix."""
    alone = [f.given_as for f in READERS.values() if f.suffixes and f.claims is None]
    by_name = [f.named_like for f in READERS.values() if f.named_like]
    return ", ".join([*alone, f".zip of {folder_format().label} files", *by_name])


_FORMAT_HELP = f"{one_of(format_names())}; by default the file name decides ({_named_by()})."


def _unzipped(archive: Path, into: Path, fmt: str | None, max_bytes: int) -> tuple[Path, str]:
    """A .zip upload: the folder it unpacks to and the format it is read as, the registered
    folder format (CSV); 422 when another format was asked for."""
    zipped = folder_format()
    if fmt not in (None, zipped.name):
        raise ApiError(422, f"a .zip upload must hold {zipped.label} files (format {zipped.name})")
    return _unzip_folder(archive, into, max_bytes, zipped.suffixes), zipped.name


def _unzip_folder(archive: Path, into: Path, max_bytes: int, suffixes: tuple[str, ...]) -> Path:
    """The files of a ZIP with these suffixes, flattened into a folder (what the folder
    format's reader reads)."""
    folder = into / archive.stem
    folder.mkdir()
    total = 0
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [
                m
                for m in zf.infolist()
                if not m.is_dir()
                and m.filename.lower().endswith(suffixes)
                and not PurePosixPath(m.filename).name.startswith(".")
            ]
            if not members:
                raise ApiError(
                    422,
                    f"{archive.name}: the ZIP holds no {'/'.join(suffixes)} files (expected "
                    "actors.csv, initiatives.csv, relationships.csv, …)",
                )
            for m in members:
                total += m.file_size
                if total > max_bytes:
                    raise ApiError(
                        413, f"{archive.name} unpacks to more than {max_bytes // 2**20} MB"
                    )
                name = _safe_name(PurePosixPath(m.filename).name)
                with zf.open(m) as src, open(folder / name, "wb") as dst:
                    dst.write(src.read(max_bytes))
    except zipfile.BadZipFile:
        raise ApiError(422, f"{archive.name} is not a valid ZIP file") from None
    return folder


@router.post(
    "/api/ingest",
    response_model=IngestOut,
    # A report has `removed` counts and `sync` only when it is a sync's.
    response_model_exclude_unset=True,
    summary="Upload data: YAML, JSON, CSV (one section file or a ZIP of them), Excel, "
    "twin-cities CSV (editor)",
    responses=errors(400, 401, 403, 409, 413, 422, 503),
)
@blocking
def ingest(
    request: Request,
    who: Editor,
    state: State,
    store: StoreDep,
    file: UploadFile = File(..., description="The file to load."),
    format: FormatName | None = Form(
        None,
        description=_FORMAT_HELP,
    ),
    dry_run: bool = Form(False, description="Check everything and report; write nothing."),
    sync: bool = Form(
        False,
        description="The file is the whole truth for its source (its file name): records "
        "only it held and it no longer has are removed, with their relationships; records "
        "other sources also hold only lose it. The report lists every removal.",
    ),
    yes: bool = Form(
        False,
        description="With sync: go ahead even when more than half of the source's records "
        "would go (refused with 409 otherwise).",
    ),
    on_unresolved: Literal[ON_UNRESOLVED] = Form(  # type: ignore[valid-type]
        "skip",
        description="Twin-cities only: skip and report rows whose country cannot be "
        "resolved, or fail.",
    ),
) -> dict[str, Any]:
    """Everything is checked before anything is written, exactly as `scn-graph ingest`:
    with any problem, nothing is written and the answer is 422 with every problem (file,
    line or row, field, value, reason). Otherwise the file is loaded in one transaction
    (or, with `dry_run`, only counted) and the answer is the CLI's JSON report: created /
    updated / unchanged counts per section and warnings (e.g. likely duplicates). With
    `sync`, the file's name is its source and the report also has `removed` counts and a
    `sync` object listing every removal by id and name; a sync taking more than half of
    the source's records away is refused with 409 unless `yes`. The load is one revision
    (who: the key's name; source: the file's name)."""
    from ingest.limits import InputTooLarge
    from ingest.load import SyncRefused, load_dataset
    from ingest.problems import Problem, ValidationFailed
    from ingest.readers import read_inputs

    limits = state.settings.input_limits
    limit = limits.max_file_bytes
    name = _safe_name(file.filename)
    with upload_folder(state.settings.upload_tmp_dir) as tmpdir:
        path = tmpdir / name
        size = 0
        with open(path, "wb") as out:
            while chunk := file.file.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise ApiError(
                        413,
                        f"the upload is larger than the limit of {limit // 2**20} MB "
                        f"({ENV_UPLOAD_MB})",
                    )
                out.write(chunk)
        fmt = format
        if path.suffix.lower() == ".zip":
            path, fmt = _unzipped(path, tmpdir, fmt, limit * ZIP_RATIO)

        def shown(text: Any) -> Any:
            return text.replace(f"{tmpdir}/", "") if isinstance(text, str) else text

        try:
            result = read_inputs(
                [path], fmt, on_unresolved=on_unresolved, limits=limits, source=name
            )
        except InputTooLarge as exc:
            raise ApiError(413, shown(str(exc))) from None
        except ApiError:
            raise
        except Exception as exc:  # a reader choking on a corrupt file: the caller's input
            raise ApiError(
                422, f"{name} could not be read as {fmt or 'its format'}: {shown(str(exc))}"
            ) from None
        dataset = result.dataset
        problems: list[Problem] = list(result.problems)
        report = None
        with state.write_lock:
            try:
                report = load_dataset(
                    store,
                    dataset,
                    dry_run=dry_run or bool(problems),
                    who=who.name,
                    source=name,
                    sync=[name] if sync else None,
                    allow_large_sync=yes,
                )
            except ValidationFailed as exc:
                problems += exc.problems
            except SyncRefused as exc:
                raise ApiError(
                    409, f"{exc}. Check with dry_run=true, then send yes=true to sync anyway"
                ) from None
            if problems:
                report = None
        problem_dicts = [{k: shown(v) for k, v in p.to_dict().items()} for p in problems]
        read_counts = {
            "inputs": [name],
            "actors": len(dataset.actors),
            "initiatives": len(dataset.initiatives),
            "relationships": len(dataset.relationships),
        }
        if problems:
            n = len(problems)
            raise ApiError(
                422,
                f"{n} problem{'s' if n != 1 else ''} in {name}; nothing was written. First: "
                f"{shown(str(problems[0]))}",
                problems=problem_dicts,
            )
        assert report is not None
        body = {
            "ok": True,
            "dry_run": dry_run,
            "read": read_counts,
            "report": report.to_dict(),
            "problems": [],
            "notes": [shown(n) for n in result.notes],
            "adapter_reports": result.report_dicts(),
        }
    if not dry_run:
        warm_in_background(state.analysis)
        state.audit.record(
            who=who.name,
            role=who.role,
            method=request.method,
            path=request.url.path,
            action="ingest",
            summary={"file": name, "format": fmt, "report": body["report"]},
        )
    return body
