"""Checks of drawn figures shared by the figure, command and notebook tests: every numeric
axis names its unit. Importable from a notebook kernel (``tests.figure_checks``) so that the
notebook test checks the figures the notebooks draw with the same rule."""

from __future__ import annotations

#: words that name a unit on a numeric axis (calendar years, money, people, shares, places,
#: degrees, counts; a structural parameter's unit as growthpole.plots.factor_label writes it)
UNIT_WORDS = (
    "亿元",
    "100 million yuan",
    "万人",
    "10,000 people",
    "%",
    "places",
    "degrees",
    "firm agents",
    "0-1",
    "probability",
    "year",
    "count",
    "share",
    "(1 = largest)",
    "dimensionless",
    "(unit: ",
)


def _numeric_ticks(labels) -> bool:
    texts = [t.get_text().replace("−", "-").replace(",", "") for t in labels if t.get_text()]
    if not texts:
        return True  # ticks not drawn yet: treat as numeric (the stricter case)
    try:
        [float(t) for t in texts]
    except ValueError:
        return False
    return True


def units_on_numeric_axes(fig) -> None:
    """Every numeric axis of every visible panel names its unit (categorical axes, whose
    ticks are names such as pillars or factors, need none)."""
    fig.canvas.draw()
    for ax in fig.axes:
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        for axis, label in ((ax.xaxis, ax.get_xlabel()), (ax.yaxis, ax.get_ylabel())):
            if _numeric_ticks(axis.get_ticklabels()):
                assert any(word in label for word in UNIT_WORDS), (
                    f"axis without a unit: {label!r} in {ax.get_title()!r}"
                )
