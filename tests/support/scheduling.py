"""How pytest-xdist hands tests to its workers in this suite (tests/conftest.py).

A unit of work is a test module, or a named group (`@pytest.mark.xdist_group(name)`,
which `--dist loadgroup` appends to the test's id as `@name`) across modules. The
longest units start first (`FIRST`), so neither worker is left with one of them at the
end while the other idles; the rest go in the order they were collected
(`--no-loadscope-reorder`): the unit layer, then the integration layer.
"""

from __future__ import annotations

from typing import Any

from xdist.scheduler import LoadScopeScheduling

#: The units that take minutes: the Neo4j front-end checks (which re-run the store and
#: API tests with the recorder) and the readers of the shared twin-cities store.
FIRST = ("tests/integration/test_neo4j_lint.py", "group:twin")


class ModuleOrGroupScheduling(LoadScopeScheduling):
    """xdist's load-scope scheduling with the scope: the group if named, else the module;
    the `FIRST` units handed out before any other."""

    def _split_scope(self, nodeid: str) -> str:
        if "@" in nodeid:
            return "group:" + nodeid.rsplit("@", 1)[-1]
        return nodeid.split("::", 1)[0]

    def _assign_work_unit(self, node: Any) -> None:
        for scope in reversed(FIRST):
            if scope in self.workqueue:
                self.workqueue.move_to_end(scope, last=False)
        super()._assign_work_unit(node)
