"""The lines `scn-graph ingest` prints for the countries a `countries` section names."""

from __future__ import annotations

from ingest.load import LoadReport


def test_the_countries_named_are_listed_with_what_they_were_at_most_ten() -> None:
    report = LoadReport(countries=[{"code": "GB", "name": "Britain", "was": "United Kingdom"}])
    assert report.lines()[-1].split() == [
        "countries", "1", "named:", "GB", "'Britain'", "(was", "'United", "Kingdom')",
    ]  # fmt: skip
    many = [{"code": f"C{i:02}", "name": f"Land {i}", "was": None} for i in range(12)]
    line = LoadReport(countries=many).lines()[-1]
    assert "C09 'Land 9'" in line and "C10" not in line
    assert line.endswith("and 2 more (--report-format json lists them)")
    assert not any("countries" in x for x in LoadReport().lines())
