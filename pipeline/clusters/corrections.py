"""A reviewer's corrections to the recurring causes: `causes.yml` beside the postmortems.

At a quarterly review people rename, merge or split cause groups, or pin an incident to a
cause. Those decisions belong with the postmortems, in their repository, reviewed like them,
so they live in a plain file at the root of the folder `ingest` reads:

    # causes.yml
    pin:                       # this incident belongs to this cause, whatever its text says
      INC-2024-0042: expiry    # a mechanism key or label, or a group name of your own
      INC-2024-0107: Vendor SMS outage
    split:                     # take incidents out of a group into a new one
      - from: Configuration change
        to: Feature-flag rollouts
        incidents: [INC-2024-0012, INC-2024-0044]
    merge:                     # fold groups into one
      - groups: [Configuration change, Code deploy or upgrade]
        into: Changes we shipped
    rename:                    # a clearer name for a group
      Expired certificate or credential: Expired TLS certificates

They are applied after the automatic grouping in the order pin, split, merge, rename, each
step seeing the groups the previous one left. A group is named by its label as the dashboard
shows it (or a mechanism key such as `config_change`). An entry that matches nothing (an
unknown incident, a group that does not exist) changes nothing and is reported with its line,
so a typo is seen rather than silently ignored. Incidents a pin or a split placed are marked
'pinned'; a merge or a rename changes a group's name, not who decided its members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from pipeline.corrections_file import CorrectionsFile


@dataclass(slots=True)
class Entry:
    """One correction, with the line it is written on."""

    action: str  # 'pin' | 'split' | 'merge' | 'rename'
    line: int
    incidents: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    target: str = ""


@dataclass(slots=True)
class Corrections:
    entries: list[Entry] = field(default_factory=list)
    problems: list[tuple[str, int | None, str, str]] = field(default_factory=list)
    """(path, line, code, message) of what could not be read or matched."""
    path: str = ""


def read_corrections(file: CorrectionsFile) -> Corrections:
    """The entries of one file; what cannot be read becomes a problem with its line."""
    out = Corrections(path=file.path)

    def problem(line: int | None, message: str, code: str = "corrections_invalid") -> None:
        out.problems.append((file.path, line, code, message))

    if file.unreadable is not None:
        problem(1, f"causes.yml cannot be read ({file.unreadable}); no correction applied")
        return out
    try:
        root = yaml.compose(file.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem(
            mark.line + 1 if mark else 1, f"causes.yml is not valid YAML: {exc}".splitlines()[0]
        )
        return out
    if root is None:
        return out
    if not isinstance(root, yaml.MappingNode):
        problem(1, "causes.yml must hold the sections pin, split, merge and rename")
        return out
    for key_node, value in root.value:
        section = str(key_node.value)
        line = key_node.start_mark.line + 1
        reader = _SECTIONS.get(section)
        if reader is None:
            problem(
                line, f"unknown section {section!r}; the sections are pin, split, merge, rename"
            )
            continue
        reader(value, out, problem)
    return out


def _scalar(node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and str(node.value).strip():
        return " ".join(str(node.value).split())
    return None


def _scalars(node) -> tuple[str, ...] | None:
    if isinstance(node, yaml.ScalarNode):
        one = _scalar(node)
        return (one,) if one else None
    if isinstance(node, yaml.SequenceNode):
        items = tuple(_scalar(n) for n in node.value)
        return items if items and all(items) else None  # type: ignore[return-value]
    return None


def _mapping_pairs(node, section: str, problem):
    if not isinstance(node, yaml.MappingNode):
        problem(node.start_mark.line + 1, f"{section}: expected 'name: value' lines")
        return []
    return node.value


def _read_pin(node, out: Corrections, problem) -> None:
    for key, value in _mapping_pairs(node, "pin", problem):
        incident, cause = _scalar(key), _scalar(value)
        if not incident or not cause:
            problem(key.start_mark.line + 1, "pin: write 'INCIDENT-ID: cause'")
            continue
        out.entries.append(Entry("pin", key.start_mark.line + 1, (incident,), (), cause))


def _read_rename(node, out: Corrections, problem) -> None:
    for key, value in _mapping_pairs(node, "rename", problem):
        old, new = _scalar(key), _scalar(value)
        if not old or not new:
            problem(key.start_mark.line + 1, "rename: write 'Old group name: New name'")
            continue
        out.entries.append(Entry("rename", key.start_mark.line + 1, (), (old,), new))


def _items(node, section: str, problem):
    if not isinstance(node, yaml.SequenceNode):
        problem(node.start_mark.line + 1, f"{section}: expected a list of entries ('- ...')")
        return []
    items = []
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            problem(item.start_mark.line + 1, f"{section}: each entry is a set of 'key: value'")
            continue
        items.append((item.start_mark.line + 1, {str(k.value): v for k, v in item.value}))
    return items


def _read_split(node, out: Corrections, problem) -> None:
    for line, item in _items(node, "split", problem):
        source = _scalar(item["from"]) if "from" in item else None
        target = _scalar(item["to"]) if "to" in item else None
        incidents = _scalars(item["incidents"]) if "incidents" in item else None
        if not source or not target or not incidents:
            problem(line, "split: an entry needs from, to and incidents")
            continue
        out.entries.append(Entry("split", line, incidents, (source,), target))


def _read_merge(node, out: Corrections, problem) -> None:
    for line, item in _items(node, "merge", problem):
        groups = _scalars(item["groups"]) if "groups" in item else None
        target = _scalar(item["into"]) if "into" in item else None
        if not groups or not target:
            problem(line, "merge: an entry needs groups and into")
            continue
        out.entries.append(Entry("merge", line, (), groups, target))


_SECTIONS = {"pin": _read_pin, "split": _read_split, "merge": _read_merge, "rename": _read_rename}
ORDER = ("pin", "split", "merge", "rename")


@dataclass(slots=True)
class Placement:
    """Where the automatic grouping, then the corrections, put one incident."""

    group: str
    """The group's label."""
    pinned: bool = False


def apply(
    placements: dict[str, Placement],
    corrections: list[Corrections],
    name_of_key: dict[str, str],
) -> list[tuple[str, int | None, str, str]]:
    """Apply every entry to `placements` (incident id -> Placement, changed in place); return
    the problems: entries that matched nothing. `name_of_key` maps a mechanism key to its
    label, so `config_change` and "Configuration change" name the same group."""
    problems: list[tuple[str, int | None, str, str]] = []

    def group_name(name: str) -> str:
        return name_of_key.get(name, name)

    def existing(name: str) -> str | None:
        wanted = group_name(name).casefold()
        for placement in placements.values():
            if placement.group.casefold() == wanted:
                return placement.group
        return None

    for action in ORDER:
        for corr in corrections:
            for entry in corr.entries:
                if entry.action != action:
                    continue
                unmatched = _apply_one(entry, placements, existing, group_name)
                for what in unmatched:
                    problems.append((corr.path, entry.line, "correction_unmatched", what))
    return problems


def _apply_one(entry: Entry, placements, existing, group_name) -> list[str]:
    if entry.action == "pin":
        (incident,) = entry.incidents
        if incident not in placements:
            return [f"pin: no loaded incident has the id {incident!r}"]
        placements[incident] = Placement(existing(entry.target) or group_name(entry.target), True)
        return []
    if entry.action == "split":
        source = existing(entry.groups[0])
        if source is None:
            return [f"split: no group is named {entry.groups[0]!r}"]
        missing = []
        for incident in entry.incidents:
            placement = placements.get(incident)
            if placement is None or placement.group != source:
                missing.append(f"split: {incident!r} is not in the group {source!r}")
                continue
            placements[incident] = Placement(entry.target, True)
        return missing
    if entry.action == "merge":
        found = {name: existing(name) for name in entry.groups}
        missing = [f"merge: no group is named {name!r}" for name, g in found.items() if g is None]
        sources = {g for g in found.values() if g is not None}
        target = existing(entry.target) or entry.target
        for placement in placements.values():
            if placement.group in sources:
                placement.group = target  # still where the grouping put it: not pinned
        return missing
    # rename
    source = existing(entry.groups[0])
    if source is None:
        return [f"rename: no group is named {entry.groups[0]!r}"]
    for placement in placements.values():
        if placement.group == source:
            placement.group = entry.target
    return []
