"""A headline figure as a tile, with what its change from the previous period may be called.

The change and its verdict come from pipeline.analytics (`Change`): a tile shows an arrow, and a
colour, only when the change is detectable (a 95% interval off zero, at least 20 incidents each
side). Otherwise it says "too few incidents to tell" or "no detectable change" under the figure,
with the raw difference in grey, so nobody reads noise as progress.
"""

from __future__ import annotations

from pipeline.analytics import Change


def signed(value: float, how: str) -> str:
    """A difference as the tiles write it: '+3', '-66 min', '+12 pts', '+1.5 pts', '0'
    (how: count|minutes|share). Rounded to a tenth first, so float noise (0.35 - 0.25) does
    not print as '+10.0'."""
    number = round(100 * value if how == "share" else value, 1)
    unit = {"share": " pts", "minutes": " min"}.get(how, "")
    if number == 0:
        return f"0{unit}"
    text = f"{number:+.0f}" if number.is_integer() or abs(number) >= 10 else f"{number:+.1f}"
    return text + unit


def describe(change: Change | None, how: str) -> tuple[str | None, str | None]:
    """(delta for st.metric or None, the words under the tile or None) for a change."""
    if change is None or change.verdict == "no_data":
        return None, None
    difference = signed(change.difference, how)
    interval = (
        f"95% CI {signed(change.low, how)} to {signed(change.high, how)}" if change.interval else ""
    )
    if change.detectable:
        return difference, interval
    if change.verdict == "too_few":
        return (
            None,
            f"{change.words} ({difference}; n = {change.n_now:,} against {change.n_before:,})",
        )
    return None, f"{change.words} ({difference}; {interval})"


def tile(
    col,
    label: str,
    value: str | int,
    change: Change | None,
    how: str,
    *,
    help: str | None = None,
    lower_is_better: bool = True,
) -> None:
    """Draw one figure in `col` with its change (see the module docstring)."""
    delta, words = describe(change, how)
    col.metric(
        label,
        value,
        delta,
        delta_color="inverse" if lower_is_better else "normal",
        help=help,
    )
    if words:
        col.caption(words)


def plain_tile(col, label: str, value: str | int, before: str | None, help: str | None = None):
    """A figure that is a count of records on a day, not an estimate: no change is judged, the
    previous period's figure is only stated."""
    col.metric(label, value, help=help)
    if before:
        col.caption(before)
