"""What the pages say about counts and labels: "1 node", "1 link", never "1 nodes";
long labels drawn on two lines; the hover text short and the details complete."""

from __future__ import annotations

import re

from graph.analysis.wording import counted, noun
from graph.projection import build_graph
from tests.support.graphs import city, cso, rel
from viz.aggregate import CountryLink
from viz.encode import LABEL_LINE, wrap_label
from viz.network import render_network
from viz.report import render_report
from viz.tooltips import country_link_title


def _text(html: str) -> str:
    """The page's visible words, tags and extra spaces removed."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_noun_and_counted() -> None:
    assert [noun(n, "node") for n in (0, 1, 2)] == ["nodes", "node", "nodes"]
    assert counted(1, "city", "cities") == "1 city" and counted(2000, "link") == "2,000 links"


def test_a_page_with_one_link_says_1_link_and_one_node_says_1_node() -> None:
    G = build_graph([city("leeds"), cso("roots")], [rel("leeds", "roots")])
    text = _text(render_network(G).html)
    assert "Showing 2 nodes and 1 link " in text, text[:400]
    lone = _text(render_network(build_graph([city("leeds")], [])).html)
    assert "Showing 1 node and 0 links" in lone
    assert not re.search(r"\b1 (nodes|links|findings|actors|countries)\b", text + lone)


def test_the_report_counts_in_the_singular_when_there_is_one() -> None:
    G = build_graph([city("leeds"), cso("roots")], [rel("leeds", "roots")])
    text = _text(render_report(G).html)
    for wrong in ("1 relationships", "1 countries", "1 cities", "1 links", "1 communities"):
        assert wrong not in text, wrong
    assert "1 relationship " in text and "1 country" in text and "1 city" in text


def test_country_link_tooltip_counts_in_the_singular() -> None:
    from collections import Counter

    lk = CountryLink("DE", "FR", Counter({"TWINNED_WITH": 1}))
    assert ": 1 relationship\n" in country_link_title(lk)


def test_long_labels_are_drawn_on_two_lines_at_the_middle_space() -> None:
    assert wrap_label("Leeds") == "Leeds"
    assert wrap_label("Manchester Interfaith Forum") == "Manchester\nInterfaith Forum"
    assert wrap_label("x" * (LABEL_LINE + 5)) == "x" * (LABEL_LINE + 5)  # nowhere to break
    G = build_graph(
        [city("leeds", name="Leeds Cohesion Partnership"), cso("roots")],
        [rel("leeds", "roots")],
    )
    html = render_network(G).html
    assert '"label": "Leeds Cohesion\\nPartnership' in html
