"""Cite positions (CSL 1.0.2 "Position"): first, subsequent, ibid, ibid-with-locator,
near-note; worked out for a document's clusters in order (:func:`track`) and tested
by ``cs:if position="..."`` (:func:`condition_tests`).

Positions are numbered as citeproc-js numbers them in CSL-JSON citation items
(``BY_NAME``), so a caller's fixed ``position`` reads the same in both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FIRST, SUBSEQUENT, IBID, IBID_WITH_LOCATOR = 0, 1, 2, 3
CONTAINER_SUBSEQUENT = 4
BY_NAME = {
    "first": FIRST,
    "subsequent": SUBSEQUENT,
    "ibid": IBID,
    "ibid-with-locator": IBID_WITH_LOCATOR,
}
# citeproc-js compares positions through this ranking
RANK = {FIRST: 0, CONTAINER_SUBSEQUENT: 1, SUBSEQUENT: 2, IBID: 3, IBID_WITH_LOCATOR: 4}


def track(clusters: list[list[dict[str, Any]]], near_note_distance: int) -> None:
    """CSL 1.0.2 "Position": first, subsequent, ibid, ibid-with-locator and near-note, for
    clusters taken as consecutive notes (a cite's own position, when given, is kept); a
    cite is near-note within ``near_note_distance`` notes of the last cite of its item."""
    distance = near_note_distance
    seen: dict[str, int] = {}  # id → note number of its last cite
    previous: dict[str, Any] | None = None
    previous_cluster_size = 0
    for note, cluster in enumerate(clusters, 1):
        for index, cite in enumerate(cluster):
            key = cite["id"]
            if "position" not in cite:
                if key not in seen:
                    cite["position"] = FIRST
                elif (
                    previous is not None
                    and previous["id"] == key
                    and (index > 0 or previous_cluster_size == 1)
                ):
                    if not cite.get("locator") and previous.get("locator"):
                        cite["position"] = SUBSEQUENT
                    elif (
                        cite.get("locator") and cite.get("locator") != previous.get("locator")
                    ) or (cite.get("locator") and previous.get("locator") is None):
                        cite["position"] = IBID_WITH_LOCATOR
                    else:
                        cite["position"] = IBID
                else:
                    cite["position"] = SUBSEQUENT
            if "near-note" not in cite and key in seen:
                cite["near-note"] = note - seen[key] <= distance
            seen[key] = note
            previous = cite
        previous_cluster_size = len(cluster)


def condition_tests(value: str) -> list[Callable[[Any], bool]]:
    """The tests of a ``cs:if position="..."`` (one per name in ``value``) on a render
    context: CSL 1.0.2 "position", as citeproc-js ranks the positions."""
    tests = []
    for name in value.split():
        if name == "near-note":
            tests.append(
                lambda r: (
                    r.area != "bibliography"
                    and RANK.get(r.cite.get("position", 0), 0) >= RANK[SUBSEQUENT]
                    and bool(r.cite.get("near-note"))
                )
            )
            continue
        if name == "far-note":
            tests.append(
                lambda r: (
                    r.area != "bibliography"
                    and r.cite.get("position", 0) == SUBSEQUENT
                    and not r.cite.get("near-note")
                )
            )
            continue
        wanted = {
            "first": FIRST,
            "container-subsequent": CONTAINER_SUBSEQUENT,
            "subsequent": SUBSEQUENT,
            "ibid": IBID,
            "ibid-with-locator": IBID_WITH_LOCATOR,
        }.get(name)
        if wanted is None:
            continue

        def test(r: Any, wanted: int = wanted) -> bool:
            if r.area == "bibliography":
                return False
            position = r.cite.get("position", 0) if r.cite else 0
            if position == 0 and wanted == 0:
                return True
            return wanted > 0 and RANK.get(position, 0) >= RANK[wanted]

        tests.append(test)
    return tests
