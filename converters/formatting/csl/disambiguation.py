"""Disambiguation (CSL 1.0.2 "Disambiguation"): cites that render alike are told apart.

:meth:`.processor.Processor.load` renders every item's short cite once and groups
the items whose cites clash (the same text); a :class:`Disambiguator` then works on
one group at a time, rendering each member once per step, with the strategies
the style turns on, in CSL's order:

* ``add-names`` (``disambiguate-add-names``, and ``disambiguate-add-givenname``
  under the ``by-cite`` rule): show more names, then more of each given name;
* ``add-year-suffix`` (``disambiguate-add-year-suffix``): "2020a", "2020b";
* ``condition`` (the ``disambiguate="true"`` test of ``cs:if``): render the branches
  meant for ambiguous cites.

The steps follow citeproc-js's (the same comparison of ambiguous cites, the same
order of adding names, given names and year-suffixes), because its results are what
users compare with. :class:`NameRegistry` is citeproc-js's ``NameReg``: which
family names occur with which initials and given names, for the given-name rules.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from .names import initialize

if TYPE_CHECKING:  # the processor drives disambiguation; only its type is named here
    from .processor import Processor, Token

ADD_NAMES = "add-names"
ADD_YEAR_SUFFIX = "add-year-suffix"
CONDITION = "condition"


def strategies(proc: Processor) -> list[str]:
    """The disambiguation strategies the style turns on, in the order they are tried."""
    chosen = []
    rule = proc.context.citation_options.givenname_disambiguation_rule
    if proc.disambiguate_add_names or (proc.disambiguate_add_givenname and rule == "by-cite"):
        chosen.append(ADD_NAMES)
    if proc.context.disambiguate_add_year_suffix:
        chosen.append(ADD_YEAR_SUFFIX)
    if proc.has_disambiguate_condition:
        chosen.append(CONDITION)
    return chosen


class AmbigConfig:
    """Disambiguation settings of one item: names shown and given-name form per name list,
    year-suffix, and how many ``disambiguate="true"`` conditions hold."""

    __slots__ = ("disambiguate", "givens", "names", "year_suffix")

    def __init__(self) -> None:
        self.names: list[int] = []
        self.givens: list[list[int]] = []
        self.year_suffix: int | None = None
        self.disambiguate = 0

    def clone(self) -> AmbigConfig:
        copy = AmbigConfig()
        copy.names = list(self.names)
        copy.givens = [list(g) for g in self.givens]
        copy.year_suffix = self.year_suffix
        copy.disambiguate = self.disambiguate
        return copy

    def state(self) -> tuple[Any, ...]:
        """The settings as a hashable value (to remember renders made with them)."""
        givens = tuple(tuple(g) for g in self.givens)
        return tuple(self.names), givens, self.year_suffix, self.disambiguate

    def restore(self, state: tuple[Any, ...]) -> None:
        names, givens, self.year_suffix, self.disambiguate = state
        self.names = list(names)
        self.givens = [list(g) for g in givens]

    def differs(self, other: AmbigConfig) -> bool:
        if len(self.names) != len(other.names):
            return True
        for i, value in enumerate(self.names):
            if value != other.names[i]:
                return True
        return self.disambiguate != other.disambiguate or self.year_suffix != other.year_suffix


class NameRegistry:
    """citeproc-js ``NameReg``: which family names occur with which initials and given names,
    to decide how much of a given name disambiguation needs (CSL 1.0.2
    "disambiguate-add-givenname", "givenname-disambiguation-rule")."""

    def __init__(self, proc: Processor):
        self.proc = proc
        self.names: dict[str, dict[str, Any]] = {}
        self.version = 0  # counts the changes: evaluations may differ from one to the next

    def _keys(self, item_id: str, name: dict[str, Any]) -> tuple[str, str, str]:
        ndp = (
            name.get("non-dropping-particle")
            if self.proc.context.demote_particle == "never"
            else None
        )
        family, given = name.get("family") or "", name.get("given") or ""
        pkey, ikey, skey = _name_keys(
            family, given, ndp or "", self.proc.context.initialize_with_hyphen
        )
        if self.proc.context.citation_options.givenname_disambiguation_rule == "by-cite":
            pkey = f"{item_id}{pkey}"
        return pkey, ikey, skey

    def add(self, item_id: str, name: dict[str, Any], position: int) -> None:
        rule = self.proc.context.citation_options.givenname_disambiguation_rule
        if rule.startswith("primary-") and position != 0:
            return
        pkey, ikey, skey = self._keys(item_id, name)
        if not pkey:
            return
        entry = self.names.get(pkey)
        if entry is None:
            entry = self.names[pkey] = {"count": 0, "ikey": {}, "items": []}
            self.version += 1
        if item_id not in entry["items"]:
            entry["items"].append(item_id)
            self.version += 1
        if ikey:
            initials = entry["ikey"].get(ikey)
            if initials is None:
                initials = {"count": 0, "skey": {}, "items": [item_id]}
                entry["ikey"][ikey] = initials
                entry["count"] += 1
                self.version += 1
            elif item_id not in initials["items"]:
                initials["items"].append(item_id)
                self.version += 1
            if skey:
                given = initials["skey"].get(skey)
                if given is None:
                    initials["skey"][skey] = {"items": [item_id]}
                    initials["count"] += 1
                    self.version += 1
                elif item_id not in given["items"]:
                    given["items"].append(item_id)
                    self.version += 1

    def evaluate(self, item_id: str, name: dict[str, Any], position: int, request: int, form: str,
                 initials: Any) -> int:  # fmt: skip
        pkey, ikey, _ = self._keys(item_id, name)
        add_given = self.proc.disambiguate_add_givenname
        rule = self.proc.context.citation_options.givenname_disambiguation_rule
        original_rule = rule
        if rule == "by-cite":
            rule = "all-names"
        param = 2
        if form == "short":
            param = 0
        elif isinstance(initials, str):
            param = 1
        entry = self.names.get(pkey)
        if entry is None or ikey not in entry["ikey"]:
            return param
        if original_rule == "by-cite" and param <= request:
            return request
        if not add_given:
            return param
        if isinstance(rule, str) and rule.startswith("primary-name") and position > 0:
            return param
        if not rule or rule in ("all-names", "primary-name"):
            if entry["count"] > 1:
                param = 1
            if entry["ikey"][ikey]["count"] > 1 or (
                entry["count"] > 1 and not isinstance(initials, str)
            ):
                param = 2
        elif rule in ("all-names-with-initials", "primary-name-with-initials"):
            param = 1 if entry["count"] > 1 else 0
        if item_id not in self.proc.tokens:
            if form == "short":
                return 0
            if isinstance(initials, str):
                return 1
        return param


_SPACES = re.compile(r"\s+")
_LOWER_TAIL = re.compile(r"[,\!]* ([^,]+)$")


@functools.lru_cache(maxsize=16384)
def _name_keys(family: str, given: str, particle: str, hyphen: bool) -> tuple[str, str, str]:
    """citeproc-js NameReg keys: family, initials and given name, periods stripped."""

    def strip(text: str) -> str:
        return _SPACES.sub(" ", text.replace(".", " ")).rstrip()

    pkey = strip(family)
    if particle and family:
        pkey = f"{pkey} {particle}"
    skey = strip(given)
    match = _LOWER_TAIL.search(skey)
    if match and match.group(1) == match.group(1).lower():
        skey = skey[: match.start()]
    ikey = initialize(_InitState(hyphen), skey, "%s", False)
    return pkey, ikey, skey


class _InitState:
    """What :func:`.names.initialize` needs from a render state."""

    def __init__(self, hyphen: bool):
        self.context = self
        self.initialize_with_hyphen = hyphen


# --- disambiguation ------------------------------------------------------------------------------


class Disambiguator:
    """citeproc-js's disambiguation run over one group of items with the same cite."""

    def __init__(self, proc: Processor, key: str):
        self.proc = proc
        self.key = key
        self.modes = strategies(proc)
        self.lists: list[list[Any]] = []
        self.base: AmbigConfig | None = None
        self.better: AmbigConfig | None = None
        self.max_names: dict[str, list[int]] = {}
        self.names_max: int | None = None
        self.namesets_max: int | None = None
        self.givens_max: int | None = None
        self.mode = 0
        self.init_givens = True
        self.clashes = [1, 0]
        self.gnameset = 0
        self.gname = 0
        self.partners: list[Token] = []
        self.nonpartners: list[Token] = []
        self.listpos = 0

    def run(self) -> None:
        if self._settled_alone():
            return
        if not self.modes or not self._init():
            return
        self.init_givens = True
        while self.lists:
            self.gnameset = 0
            self.gname = 0
            self.clashes = [1, 0]
            while self.lists[0][1]:
                self.listpos = 0
                if self.base is None:
                    self.base = self.lists[0][0]
                maxed = self._increment()
                self._scan(self.lists[0])
                self._evaluate(maxed)
            self.lists = self.lists[1:]

    def _settled_alone(self) -> bool:
        """True when the group is one item whose cite would render again as it did when
        registered: then the run would only re-render it to no effect. The cite changes
        only if the finished name registry now asks other given-name levels, so the levels
        it asked for are evaluated again instead of the whole cite."""
        ids = self.proc.ambig_cites.get(self.key) or []
        if len(ids) != 1:
            return False
        proc = self.proc
        token = proc.tokens[ids[0]]
        calls = token.given_calls
        if calls is None:
            return False
        givens = token.disambig.givens
        by_cite = proc.context.citation_options.givenname_disambiguation_rule == "by-cite"
        add_given = proc.disambiguate_add_givenname
        for pos, index, name, form, initials in calls:
            if pos >= len(givens) or index >= len(givens[pos]):
                return False
            value = current = givens[pos][index]
            if value == 1 and by_cite and (not isinstance(initials, str) or not name.get("given")):
                value = 2
            if add_given and name.get("given"):
                value = proc.namereg.evaluate(token.id, name, index, value, form, initials)
            if value != current:
                return False
        return True

    def _cite_data(self, token: Token, base: AmbigConfig | None) -> None:
        if token.id in self.max_names:
            return
        _, config = self.proc.ambiguous_cite(token.item, base)
        self.max_names[token.id] = list(self.proc.max_names)
        token.disambig.givens = [list(g) for g in config.givens]
        self.namesets_max = len(token.disambig.names) - 1
        if self.base is None:
            self.base = config
            self.better = config.clone()
        if len(config.names) < len(self.base.names):
            self.base = config
        for i, value in enumerate(config.names):
            if i < len(self.base.names) and value > self.base.names[i]:
                self.base.givens[i] = list(config.givens[i]) if i < len(config.givens) else []
                self.base.names[i] = value
                assert self.better is not None
                self.better.names = list(self.base.names)
                self.better.givens = [list(g) for g in self.base.givens]
                _pad(self.base)
                _pad(self.better)
        assert self.better is not None
        self.better.givens = [list(g) for g in self.base.givens]

    def _init(self) -> bool:
        ids = self.proc.ambig_cites.get(self.key) or []
        if not ids:
            return False
        tokens = [self.proc.tokens[i] for i in ids]
        first = tokens[0]
        self._cite_data(first, None)
        if len(tokens) > 1:
            bundles = [(self.max_names[first.id], first)]
            for token in tokens[1:]:
                self._cite_data(token, self.base)
                bundles.append((self.max_names.get(token.id, []), token))
            bundles.sort(key=functools.cmp_to_key(_compare_bundles))
            items = [t for _, t in bundles]
            assert self.base is not None
            self.lists.append([self.base, items])
            lead = items[0]
        else:
            lead = first
        self.mode = 0
        maxima = self.max_names.get(lead.id) or [0]
        self.names_max = maxima[0] if maxima else 0
        assert self.base is not None and self.better is not None
        _pad(self.base)
        _pad(self.better)
        self.base.year_suffix = None
        self.base.disambiguate = 0
        self.better.year_suffix = None
        self.better.disambiguate = 0
        rule = self.proc.context.citation_options.givenname_disambiguation_rule
        if rule == "by-cite" and self.proc.disambiguate_add_givenname:
            self.givens_max = 2
        return True

    def _increment(self) -> bool:
        if self.init_givens:
            self.init_givens = False
            return False
        maxed = False
        mode = self.modes[self.mode]
        base = self.base
        assert base is not None
        if mode == ADD_NAMES:
            increment_names = self.givens_max is None
            increment_namesets = self.names_max is None
            if self.givens_max is not None:
                current = _at(base.givens, self.gnameset, self.gname)
                if base.givens and current is not None and current < self.givens_max:
                    base.givens[self.gnameset][self.gname] += 1
                else:
                    increment_names = True
            if self.names_max is not None and increment_names:
                if self.proc.disambiguate_add_names:
                    increment_namesets = False
                    if self.gname < self.names_max:
                        base.names[self.gnameset] += 1
                        self.gname += 1
                    else:
                        increment_namesets = True
                else:
                    increment_namesets = True
            more_sets = self.namesets_max is not None and self.gnameset < self.namesets_max
            if increment_namesets and more_sets:
                self.gnameset += 1
                while len(base.names) <= self.gnameset:
                    base.names.append(0)
                base.names[self.gnameset] = 1
                self.gname = 0
            givens_done = (
                self.givens_max is None
                or self.gnameset >= len(base.givens)
                or self.gname >= len(base.givens[self.gnameset])
                or base.givens[self.gnameset][self.gname] == self.givens_max
            )
            if (
                (
                    self.namesets_max is None
                    or self.namesets_max == -1
                    or self.gnameset == self.namesets_max
                )
                and (
                    not self.proc.disambiguate_add_names
                    or self.names_max is None
                    or self.gname == self.names_max
                )
                and givens_done
            ):
                maxed = True
        elif mode == CONDITION:
            base.disambiguate += 1
            assert self.better is not None
            self.better.disambiguate += 1
        return maxed

    def _scan(self, entry: list[Any]) -> None:
        items = entry[1]
        lead = items[0]
        lead_cite, _ = self.proc.ambiguous_cite(lead.item, self.base)
        self.partners = [lead]
        self.nonpartners = []
        clashes = 0
        for token in items[1:]:
            other, _ = self.proc.ambiguous_cite(token.item, self.base)
            if other == lead_cite:
                clashes += 1
                self.partners.append(token)
            else:
                self.nonpartners.append(token)
        self.clashes[0] = self.clashes[1]
        self.clashes[1] = clashes

    def _evaluate(self, maxed: bool) -> None:
        mode = self.modes[self.mode]
        if mode == ADD_NAMES:
            self._add_names(maxed)
        elif mode == ADD_YEAR_SUFFIX:
            self._add_year_suffix()
        else:
            self._condition()
        if maxed:
            if self.mode < len(self.modes) - 1:
                self.mode += 1
            else:
                while len(self.lists) <= self.listpos + 1:
                    self.lists.append(None)  # type: ignore[arg-type]
                assert self.better is not None
                self.lists[self.listpos + 1] = [self.base, []]

    def _capture(self) -> None:
        base, better = self.base, self.better
        assert base is not None and better is not None
        rule = self.proc.context.citation_options.givenname_disambiguation_rule
        present = _at(base.givens, self.gnameset, self.gname) is not None
        if rule == "by-cite" and base.givens and present:
            if len(better.givens) < len(base.givens):
                better.givens = [list(g) for g in base.givens]
            while len(better.givens[self.gnameset]) <= self.gname:
                better.givens[self.gnameset].append(0)
            better.givens[self.gnameset][self.gname] = base.givens[self.gnameset][self.gname]
        while len(better.names) <= self.gnameset:
            better.names.append(0)
        if self.gnameset < len(base.names):
            better.names[self.gnameset] = base.names[self.gnameset]

    def _register(self, token: Token, config: AmbigConfig) -> None:
        self.proc.register_ambig(self.key, token.id, config)

    def _add_names(self, maxed: bool) -> None:
        assert self.better is not None
        if self.clashes[1] == 0 and len(self.nonpartners) == 1:
            self._capture()
            self._register(self.nonpartners[0], self.better)
            self._register(self.partners[0], self.better)
            self.lists[self.listpos] = [self.better, []]
        elif self.clashes[1] == 0:
            self._capture()
            self._register(self.partners[0], self.better)
            self.lists[self.listpos] = [self.better, self.nonpartners]
            if self.nonpartners:
                self.init_givens = True
        elif len(self.nonpartners) == 1:
            self._capture()
            self._register(self.nonpartners[0], self.better)
            self.lists[self.listpos] = [self.better, self.partners]
        elif self.clashes[1] < self.clashes[0]:
            self._capture()
            self.lists[self.listpos] = [self.better, self.partners]
            self.lists.append([self.better, self.nonpartners])
        elif maxed:
            self.lists[self.listpos] = [self.better, self.nonpartners]
            self.lists.append([self.better, self.partners])
            if self.mode == len(self.modes) - 1:
                for token in self.partners:
                    self._register(token, self.better)
                self.lists[self.listpos] = [self.better, []]

    def _condition(self) -> None:
        assert self.base is not None and self.better is not None
        done = self.clashes[1] == 0 and len(self.nonpartners) < 2
        count, count_max = (
            self.proc.cluster_state.disambiguate_count,
            self.proc.cluster_state.disambiguate_count_max,
        )
        if not done and (not self.base.disambiguate or count != count_max):
            self.mode = 0
            self.base.disambiguate = count
            self.better.disambiguate = count
            if not self.base.disambiguate:
                self.init_givens = True
                self.base.disambiguate = 1
            else:
                self._add_names(False)
        elif done or count == count_max:
            if done or self.mode == len(self.modes) - 1:
                base = self.lists[self.listpos][0]
                for token in self.lists[self.listpos][1]:
                    self._register(token, base)
                self.lists[self.listpos] = [self.better, []]
            else:
                self.mode = len(self.modes) - 1
                base = self.lists[self.listpos][0]
                base.disambiguate = 1
                for token in self.lists[self.listpos][1]:
                    self._register(token, base)

    def _add_year_suffix(self) -> None:
        base = self.lists[self.listpos][0]
        tokens: list[Token] = []
        if self.clashes[1]:
            wanted = {t.id: t for t in self.lists[self.listpos][1]}
            tokens = sorted(wanted.values(), key=lambda t: t.seq)  # registration order
        tokens.sort(key=functools.cmp_to_key(self.proc._compare_tokens))
        for position, token in enumerate(tokens):
            base.year_suffix = position
            self._register(token, base)
        self.lists[self.listpos] = [self.better, []]


def _at(givens: list[list[int]], i: int, j: int) -> int | None:
    """``givens[i][j]``, or None where JavaScript would read ``undefined``."""
    if 0 <= i < len(givens) and 0 <= j < len(givens[i]):
        return givens[i][j]
    return None


def _pad(config: AmbigConfig) -> None:
    for i, count in enumerate(config.names):
        while len(config.givens) <= i:
            config.givens.append([])
        for j in range(count):
            if j >= len(config.givens[i]):
                config.givens[i].append(0)
            elif not config.givens[i][j]:
                config.givens[i][j] = 0


def _compare_bundles(a: tuple[list[int], Token], b: tuple[list[int], Token]) -> int:
    # citeproc-js compares the lists of name counts as strings ("3" > "10")
    left = ",".join(str(x) for x in a[0])
    right = ",".join(str(x) for x in b[0])
    if left > right:
        return 1
    if left < right:
        return -1
    if a[1].id > b[1].id:
        return 1
    if a[1].id < b[1].id:
        return -1
    return 0
