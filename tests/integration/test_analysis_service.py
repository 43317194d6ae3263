"""One analysis service, one visibility rule: the CLI, the report and the API agree.

A small network with one confidential partnership (Bradford–Leeds, the only
city link Bradford has) is loaded into the real embedded FalkorDB and served
over real HTTP with anonymous reading on. Without `--include-confidential`
every command that reads relationships gives what an anonymous reader of the
API gets; with it, what an analyst gets. Before the analyses went through one
service, `gaps`, `recommend` and `metrics` counted the confidential link with
no flag while `viz` and `report` left it out.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from api.analysis import server_analysis
from cli.main import app
from graph.analysis.cache import SETTLE_MIN_NODES, ResultCache
from graph.analysis.service import AnalysisService
from graph.store import Store
from tests.support.api import Api, running_api
from tests.support.cli import runner
from tests.support.store import load

QUIET = {
    "source": "bradford",
    "type": "PARTNERS_WITH",
    "target": "leeds",
    "confidential": True,
    "note": "QUIET-LINK informal arrangement",
}

DATA: dict[str, Any] = {
    "actors": [
        {"id": "london", "name": "London", "kind": "city", "country": "GB", "themes": ["hate"]},
        {"id": "leeds", "name": "Leeds", "kind": "city", "country": "GB", "themes": ["hate"]},
        {"id": "bradford", "name": "Bradford", "kind": "city", "country": "GB"},
        {"id": "paris", "name": "Paris", "kind": "city", "country": "FR"},
        {"id": "home-office", "name": "Home Office", "kind": "national_body", "country": "GB"},
        {
            "id": "leeds-roots",
            "name": "Leeds Roots",
            "kind": "cso",
            "country": "GB",
            "city": "leeds",
            "grassroots": True,
        },
        {"id": "efus", "name": "European Forum for Urban Security", "kind": "international_org"},
    ],
    "initiatives": [],
    "relationships": [
        {"source": "london", "type": "PARTNERS_WITH", "target": "leeds"},
        {"source": "london", "type": "TWINNED_WITH", "target": "paris"},
        {"source": "leeds", "type": "PARTNERS_WITH", "target": "leeds-roots"},
        {"source": "home-office", "type": "FUNDS", "target": "leeds-roots"},
        {"source": "paris", "type": "MEMBER_OF", "target": "efus"},
        {"source": "bradford", "type": "MEMBER_OF", "target": "efus"},
        QUIET,
    ],
}


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(
        server_dir, tmp_path_factory.mktemp("api-service"), data=DATA, anonymous_read=True
    ) as a:
        yield a


def cli(api: Api, *args: str) -> str:
    res = runner.invoke(app, [*args, "--store", api.store_uri])
    assert res.exit_code == 0, res.stderr
    return res.stdout


def cli_json(api: Api, *args: str) -> Any:
    return json.loads(cli(api, *args, "--format", "json"))


def api_get(api: Api, role: str | None, path: str, **params: Any) -> Any:
    with api.client(role) as c:
        r = c.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def anonymous(api: Api, path: str, **params: Any) -> Any:
    return api_get(api, None, path, **params)


def analyst(api: Api, path: str, **params: Any) -> Any:
    return api_get(api, "analyst", path, **params)


class _FindingsTable(HTMLParser):
    """The rows of the report's findings table as (type, explanation)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self._in_table = False
        self._cells: list[str] | None = None
        self._type = ""
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id") == "findings-table":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self._cells, self._type = [], ""
        elif self._in_table and tag == "td" and self._cells is not None:
            if len(self._cells) == 1:
                self._type = a.get("title") or ""
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag == "td" and self._cells is not None and self._text is not None:
            self._cells.append("".join(self._text).strip())
            self._text = None
        elif tag == "tr" and self._cells and self._type:
            self.rows.append((self._type, self._cells[4]))
            self._cells = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def report_findings(api: Api, tmp_path: Path, *flags: str) -> list[tuple[str, str]]:
    out = tmp_path / f"report{len(flags)}.html"
    cli(api, "report", "-o", str(out), *flags)
    table = _FindingsTable()
    table.feed(out.read_text(encoding="utf-8"))
    return table.rows


def pairs(findings: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((f["type"], f["explanation"]) for f in findings)


# --------------------------------------------------------------------------- one rule


def test_cli_gaps_agree_with_the_report_and_an_anonymous_reader(api: Api, tmp_path: Path) -> None:
    cli_findings = cli_json(api, "gaps")["findings"]
    reader = anonymous(api, "/api/gaps", limit=1000)["items"]
    assert cli_findings == reader
    assert pairs(cli_findings) == sorted(report_findings(api, tmp_path))
    # the confidential partnership is Bradford's only city link: left out, Bradford is isolated
    isolated = {
        tuple(f["subjects"]) for f in cli_findings if f["type"] == "horizontal.isolated_city"
    }
    assert ("bradford",) in isolated
    assert "QUIET-LINK" not in json.dumps(cli_findings)


def test_include_confidential_gives_the_analysts_view(api: Api, tmp_path: Path) -> None:
    seen = cli_json(api, "gaps", "--include-confidential")["findings"]
    assert seen == analyst(api, "/api/gaps", limit=1000)["items"]
    assert seen != cli_json(api, "gaps")["findings"]
    assert pairs(seen) == sorted(report_findings(api, tmp_path, "--include-confidential"))
    isolated = {tuple(f["subjects"]) for f in seen if f["type"] == "horizontal.isolated_city"}
    assert ("bradford",) not in isolated


def test_gap_filters_and_summary_follow_the_rule(api: Api) -> None:
    args = ("gaps", "--country", "gb", "--type", "horizontal.isolated_city")
    params = {"country": "gb", "type": "horizontal.isolated_city", "limit": 1000}
    assert cli_json(api, *args)["findings"] == anonymous(api, "/api/gaps", **params)["items"]
    seen = cli_json(api, *args, "--include-confidential")["findings"]
    assert seen == analyst(api, "/api/gaps", **params)["items"]
    summary = cli_json(api, "gaps", "--summary")
    assert summary == anonymous(api, "/api/gaps/summary")
    assert cli_json(api, "gaps", "--summary", "--include-confidential") == analyst(
        api, "/api/gaps/summary"
    )
    assert summary != analyst(api, "/api/gaps/summary")


def test_recommend_follows_the_rule(api: Api) -> None:
    path = "/api/actors/bradford/recommendations"
    hidden = cli_json(api, "recommend", "bradford", "--limit", "20")
    assert hidden == anonymous(api, path, limit=20)
    seen = cli_json(api, "recommend", "bradford", "--limit", "20", "--include-confidential")
    assert seen == analyst(api, path, limit=20)
    hidden, seen = hidden["items"], seen["items"]
    # Leeds is Bradford's (confidential) partner already: suggested only when that is hidden
    assert "leeds" in {r["partner"] for r in hidden}
    assert "leeds" not in {r["partner"] for r in seen}


def test_metrics_follow_the_rule(api: Api) -> None:
    hidden = cli_json(api, "metrics")
    assert hidden == anonymous(api, "/api/metrics")
    seen = cli_json(api, "metrics", "--include-confidential")
    assert seen == analyst(api, "/api/metrics")
    assert seen["graph"]["edges"] == hidden["graph"]["edges"] + 1
    by_country = cli_json(api, "metrics", "--country", "GB")
    assert by_country == anonymous(api, "/api/metrics", country="GB")


def test_stats_follow_the_rule(api: Api) -> None:
    hidden = cli_json(api, "stats")
    assert hidden == anonymous(api, "/api/stats")
    seen = cli_json(api, "stats", "--include-confidential")
    assert seen == analyst(api, "/api/stats")
    assert seen["relationships"] == len(DATA["relationships"])
    assert hidden["relationships"] == len(DATA["relationships"]) - 1


def test_viz_leaves_the_link_out_unless_asked(api: Api, tmp_path: Path) -> None:
    def links(*flags: str) -> tuple[int, str]:
        out = tmp_path / f"viz{len(flags)}.html"
        said = cli(api, "viz", "-o", str(out), "--view", "cities", *flags)
        m = re.search(r"— [\d,]+ nodes, ([\d,]+) links", said)
        assert m, said
        return int(m.group(1).replace(",", "")), out.read_text(encoding="utf-8")

    hidden, html = links()
    seen, analyst_html = links("--include-confidential")
    assert seen == hidden + 1
    assert "QUIET-LINK" not in html and "QUIET-LINK" in analyst_html


# --------------------------------------------------------------------------- the cache


def test_one_projection_per_generation_and_visibility(store: Store) -> None:
    load(store, DATA)
    service = AnalysisService(store)
    G = service.graph()
    assert service.graph() is G
    service.gaps(country="GB")
    service.metrics(top=3)
    service.recommendations("bradford")
    assert service.graph() is G  # the analyses reused the one projection
    assert not G.has_edge("bradford", "leeds", "PARTNERS_WITH")
    analyst_graph = service.graph(include_confidential=True)
    assert analyst_graph is not G
    assert analyst_graph.has_edge("bradford", "leeds", "PARTNERS_WITH")
    assert service.cached_graph() is G
    before = service.findings()
    load(store, {"actors": [{"id": "york", "name": "York", "kind": "city", "country": "GB"}]})
    assert service.cached_graph() is None  # a write is a new generation
    assert "york" in service.graph()
    assert service.findings() is not before
    assert any("york" in f.subjects for f in service.findings())


def test_unknown_gap_type_or_severity_is_refused_before_any_work(store: Store) -> None:
    service = AnalysisService(store)
    with pytest.raises(ValueError, match="unknown gap type 'nope'"):
        service.gaps(types=["nope"])
    with pytest.raises(ValueError, match="unknown severity 'dire'"):
        service.gaps(severity="dire")
    assert len(service.cache) == 0


def test_only_the_servers_service_settles_big_results(store: Store) -> None:
    load(store, DATA)
    gc.unfreeze()
    try:
        AnalysisService(store).findings()
        assert gc.get_freeze_count() == 0  # a command's one-shot service leaves the GC alone
        server = server_analysis(store, ResultCache())
        assert server.settle_from == SETTLE_MIN_NODES
        AnalysisService(store, settle_from=1).findings()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_commands_service_freezes_big_results_without_collecting(store_uri: str) -> None:
    """A full collection over a million relationships' projection cost seconds, twice
    per `scn-graph gaps`; a command has no earlier generation for it to free."""
    from cli.context import analysis_from
    from graph.analysis.cache import frozen

    with analysis_from(store_uri) as service:
        assert service.settle is frozen and service.settle_from == SETTLE_MIN_NODES


def test_pages_take_the_analyses_from_the_service_they_are_given(store: Store) -> None:
    from viz.service import report_page

    load(store, DATA)
    service = AnalysisService(store)
    page = report_page(store, analysis=service)
    G = service.cached_graph()
    assert G is not None and not G.has_edge("bradford", "leeds", "PARTNERS_WITH")
    computed = service.cache.misses
    report_page(store, analysis=service)
    assert service.cache.misses == computed  # the second page computed nothing again
    assert "QUIET-LINK" not in page.html


def test_the_reports_recommendations_come_from_the_service(store: Store) -> None:
    """The report asks the service for each actor's recommendations (cached per generation
    and visibility), and shows what `recommend()` on the projection gives."""
    from viz.report import REC_PER_ACTOR, render_report, top_recommendations
    from viz.service import report_page

    load(store, DATA)
    service = AnalysisService(store)
    page = report_page(store, analysis=service)
    G, findings = service.graph(), service.findings()
    shown = top_recommendations(G, findings).rows
    assert shown, "the report of DATA recommends partners"
    computed = service.cache.misses
    for actor in {r["actor"] for r in shown}:
        service.recommendations(actor, limit=REC_PER_ACTOR)
    assert service.cache.misses == computed  # the report had asked for each of them
    metrics = service.metrics(top=10)
    assert page.html == render_report(G, findings=findings, structure=metrics).html


def test_a_type_filter_runs_only_its_detectors_and_agrees_with_the_whole_list(
    store: Store,
) -> None:
    """A one-shot `gaps --type` runs just that type's detector; a server that holds every
    finding filters them. Both must give the same findings, in the same order."""
    from graph.analysis.gaps import GAP_TYPES
    from ingest.load import load_dataset
    from ingest.readers import read_input
    from tests.support.paths import ROOT

    load_dataset(store, read_input(ROOT / "ingest" / "data" / "workshop.yaml"))
    warm = AnalysisService(store)
    assert warm.findings()
    filters = [{"types": [t]} for t in GAP_TYPES]
    filters += [
        {"types": list(GAP_TYPES)[:5], "country": "gb"},
        {"types": ["cso.no_cso_partner"], "severity": "medium"},
    ]
    seen = 0
    for kw in filters:
        cold = AnalysisService(store)
        one_shot = cold.gaps(**kw)
        assert cold.cache.peek(cold.generation(), ("findings", False)) is None  # not all 16
        assert [f.to_dict() for f in one_shot] == [f.to_dict() for f in warm.gaps(**kw)], kw
        seen += len(one_shot)
    assert seen > 0
