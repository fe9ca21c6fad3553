"""Properties of the competency figures' twins: what counts as a gap, and which gaps lead."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from strategies import catalogs, entries_for
from trackerkit import load_catalog
from trackerkit.figures import NOT_RATED, compute
from trackerkit.layout import layout_for

BUNDLED = load_catalog()
DAY = dt.date(2026, 6, 1)


@given(st.data())
def test_largest_gaps_are_the_rated_positive_gaps_largest_first_ties_by_row(
    data: st.DataObject,
) -> None:
    catalog = data.draw(st.just(BUNDLED) | catalogs())
    role = catalog.roles[data.draw(st.sampled_from(sorted(catalog.roles)))]
    entries = data.draw(entries_for(role))
    table = layout_for(role).competencies
    figures = compute(role, entries, DAY, {i: table.row(i) + 1 for i in table.ids})

    gaps = []
    for item in role.competencies:
        entry = entries.competency(item.id)
        level = entry.manager_rating if entry.manager_rating is not None else entry.self_rating
        if level is not None and item.target > level:
            gaps.append((item.target - level, table.row(item.id), item.competency.name))
    expected = [name for _, _, name in sorted(gaps, key=lambda g: (-g[0], g[1]))][:3]

    assert [name for name in figures.dashboard.largest_gaps if name] == expected
    assert figures.dashboard.largest_gaps[len(expected) :] == ("",) * (3 - len(expected))
    rated = [i for i in role.competencies if figures.competencies[i.id].current is not None]
    assert figures.dashboard.rated == len(rated)
    for item in role.competencies:
        own = figures.competencies[item.id]
        assert (own.gap is None) == (own.current is None) == (own.at_target == NOT_RATED)
