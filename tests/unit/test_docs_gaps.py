"""docs/gaps.md against the gap-type registry and the detectors.

The page's catalogue is parsed: its sections must be the registered types in
catalogue order with the registered titles and severity rules, and each worked
example must be exactly the finding the detector produces on the example graph
registered with the type (in the module the page names). No store: the example
graphs are hand-built.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from graph import schema
from graph.analysis import applicability, registry
from graph.analysis.gaps import GAP_TYPES, find_gaps, not_assessed
from graph.projection import build_graph
from tests.support.paths import ROOT

DOC = ROOT / "docs" / "gaps.md"

_SECTION = re.compile(r"^### (\d+)\. `([^`]+)` — ([^\n]+)\n(.*?)(?=^### |^## )", re.S | re.M)


@dataclass(frozen=True)
class Section:
    number: int
    type: str
    title: str
    severity: str
    example_module: str
    example: dict


def _sections() -> list[Section]:
    text = DOC.read_text(encoding="utf-8")
    out = []
    for m in _SECTION.finditer(text):
        number, gap, title, body = m.groups()
        severity = re.search(r"^\*\*Severity\.\*\* (.+)$", body, re.M)
        module = re.search(
            r"^\*\*Example\*\* \(on the small graph registered .*`([^`]+)`\):$", body, re.M
        )
        example = re.search(r"^```json\n(.*?)\n```$", body, re.S | re.M)
        assert severity and module and example, f"section {number} ({gap}) lacks a part"
        out.append(
            Section(
                int(number),
                gap,
                title,
                severity.group(1),
                module.group(1),
                json.loads(example.group(1)),
            )
        )
    return out


SECTIONS = _sections()
REGISTERED = {r.gap.type: r for r in registry.catalogue()}


def test_the_catalogue_sections_are_the_registered_types_in_order() -> None:
    assert [s.type for s in SECTIONS] == list(GAP_TYPES) == list(REGISTERED)
    assert [s.number for s in SECTIONS] == list(range(1, len(GAP_TYPES) + 1))
    text = DOC.read_text(encoding="utf-8")
    assert f"one of the {len(GAP_TYPES)} types below" in text
    assert f"lists all {len(GAP_TYPES)} types in catalogue order" in text


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.type)
def test_title_and_severity_rule_are_the_registered_ones(section: Section) -> None:
    gap = GAP_TYPES[section.type]
    assert section.title == gap.title
    assert section.severity == gap.severity_rule[:1].upper() + gap.severity_rule[1:]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.type)
def test_example_is_what_the_detector_finds_on_the_registered_graph(section: Section) -> None:
    entry = REGISTERED[section.type]
    assert section.example_module == f"graph/analysis/{entry.module}.py"
    example = entry.gap.example
    assert example is not None
    assert tuple(section.example["subjects"]) == example.subjects
    G = build_graph(example.nodes, example.edge_maps())
    found = {f.subjects: f.to_dict() for f in find_gaps(G, types=[section.type])}
    assert example.subjects in found, sorted(found)
    assert found[example.subjects] == section.example


@pytest.mark.parametrize("entry", list(REGISTERED.values()), ids=lambda r: r.gap.type)
def test_registered_needs_are_schema_kinds_without_which_the_type_is_not_assessed(
    entry: registry.Registered,
) -> None:
    gap = entry.gap
    known = set(schema.KIND_NAMES) | set(registry.PSEUDO_KINDS)
    assert gap.needs and all(set(registry.need_kinds(n)) <= known for n in gap.needs)
    assert gap.example is not None
    kinds = {n["id"]: n["kind"] for n in gap.example.nodes}
    for e in gap.example.edges:
        assert e[1] in schema.REL_TYPES and e[0] in kinds and e[2] in kinds, e
    # the example is assessed; without the nodes meeting any one requirement, it is not
    whole = build_graph(gap.example.nodes, gap.example.edge_maps())
    assert not_assessed(whole, [gap.type]) == []
    for need in gap.needs:
        wanted = set(registry.need_kinds(need))
        rest = [
            n
            for n in gap.example.nodes
            if not wanted & applicability.kinds_present(build_graph([n], []))
        ]
        G = build_graph(rest, gap.example.edge_maps())
        assert find_gaps(G, types=[gap.type]) == []
        (skipped,) = not_assessed(G, [gap.type])
        assert skipped.type == gap.type and skipped.reason.startswith("the graph has no ")
    assert entry.detect.__module__ == f"graph.analysis.{entry.module}"


def test_a_type_cannot_be_registered_twice() -> None:
    taken = next(iter(GAP_TYPES))
    decorate = registry.gap_type(
        type=taken,
        title="t",
        why="w",
        severity_rule="high",
        needs=("city",),
        example=registry.Example(nodes=(), edges=(), subjects=()),
    )
    with pytest.raises(ValueError, match="registered twice"):
        decorate(lambda idx: iter(()))
    assert [r.gap.type for r in registry.catalogue()] == list(GAP_TYPES)


def test_the_applicability_table_is_what_each_type_needs() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Applicability (types not assessed)", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", section, re.M)
    assert [t for t, _ in rows] == list(GAP_TYPES)
    for gap_type, needs in rows:
        assert needs.strip() == applicability.needs_text(GAP_TYPES[gap_type]), gap_type
