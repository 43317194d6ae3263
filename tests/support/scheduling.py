"""How pytest-xdist hands tests to its workers in this suite (tests/conftest.py).

A unit of work is a test module, or a named group (`@pytest.mark.xdist_group(name)`,
which `--dist loadgroup` appends to the test's id as `@name`) across modules. Units
go to the workers in the order they were collected (`--no-loadscope-reorder`): the
unit layer first, then the integration layer, whose heaviest unit (the twin-cities
group) starts early instead of being left for last.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling


class ModuleOrGroupScheduling(LoadScopeScheduling):
    """xdist's load-scope scheduling with the scope: the group if named, else the module."""

    def _split_scope(self, nodeid: str) -> str:
        if "@" in nodeid:
            return "group:" + nodeid.rsplit("@", 1)[-1]
        return nodeid.split("::", 1)[0]
