"""Charts drawn on the server as SVG with pygal: the page (and a printed copy) needs no script.

pygal writes its tooltip configuration into a `<script>` even without its JavaScript; that
element is removed, so the SVG is inert and the page's Content-Security-Policy stays strict.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import pygal
from babel.numbers import get_currency_precision
from pygal.style import Style

from services.portal.web import money

# pygal appends an import hook for its map plugins (unused here) whose legacy `find_module`
# makes every later failed import anywhere in the process warn (ImportWarning): removed.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

SVG = "{http://www.w3.org/2000/svg}"
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=("#2f6fde", "#e0892b"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
)


def budget_by_quarter(budget: dict[str, Any]) -> str:
    """Planned against actual for each quarter of a budget (GET /v1/budgets/{id}'s view)."""
    currency = budget["currency"]
    digits = get_currency_precision(currency)
    quarters = budget["totals"]["by_quarter"]
    chart = pygal.Bar(
        width=640,
        height=280,
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        print_values=False,
        value_formatter=lambda v: money(
            {"amount_minor": int(Decimal(str(v)).scaleb(digits)), "currency": currency}
        ),
        y_title=currency,
    )
    chart.x_labels = list(quarters)

    def major(figure: dict[str, Any]) -> float:
        # pygal plots floats; the amounts shown in words come from the integers above
        return float(Decimal(figure["amount_minor"]).scaleb(-digits))

    chart.add("Planned", [major(q["planned"]) for q in quarters.values()])
    chart.add("Actual", [major(q["actual"]) for q in quarters.values()])
    return _inert(chart, f"Budget FY{budget['fiscal_year']}: planned against actual by quarter")


def _inert(chart: Any, title: str) -> str:
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            if child.tag in (f"{SVG}script", "script"):
                parent.remove(child)
    tree.set("role", "img")
    tree.set("aria-label", title)
    ElementTree.register_namespace("", SVG[1:-1])
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ElementTree.tostring(tree, encoding="unicode")
