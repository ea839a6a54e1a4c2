"""The review page: one self-contained HTML file (inline CSS, SVG and a few lines of JS, no network).

It has to stay fast for a 200-page report with thousands of rows, so the alignment is a plain table
and filtering only toggles one class on the table; the CSS does the hiding.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape

from aligner.io.rows import SECTION_SEPARATOR, page_range
from aligner.records import Alignment
from aligner.report.findings import FINDING_KINDS, Finding, FindingKind, LinkContext
from aligner.report.model import CoverageBar, Report
from aligner.version import __version__

_CSS = """
:root{--green:#2e7d32;--green-bg:#eef7ee;--amber:#b26a00;--amber-bg:#fff5e0;--red:#c62828;--red-bg:#fdecea;
--ink:#1d1d1f;--muted:#5f6368;--line:#d9dce1;--one:#7b1fa2;--one-bg:#f6ecfa}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);
margin:0;background:#fafafa}
header,main,footer{max-width:1400px;margin:0 auto;padding:0 24px}
header{padding-top:20px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);
padding-bottom:4px}
.sub{color:var(--muted);margin:0 0 16px;word-break:break-all}
.warnings{background:var(--red-bg);border:1px solid var(--red);border-radius:8px;padding:4px 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:150px}
.card .v{font-size:24px;font-weight:600}.card .k{color:var(--muted);font-size:13px}
.card.bad .v{color:var(--red)}.card.ok .v{color:var(--green)}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid var(--line);padding:5px 8px;vertical-align:top;text-align:left}
th{background:#f1f3f4;font-weight:600;position:sticky;top:0;z-index:1}
table.stats td.n,table.stats th.n{text-align:right;font-variant-numeric:tabular-nums}
.counts{display:flex;flex-wrap:wrap;gap:6px;margin-top:12px}
button.f{font:inherit;font-size:13px;border:1px solid var(--line);background:#fff;border-radius:14px;
padding:3px 10px;cursor:pointer}
button.f[aria-pressed=true]{background:var(--ink);color:#fff;border-color:var(--ink)}
button.f:disabled{opacity:.45;cursor:default}
.chart{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px;overflow-x:auto}
.chart a text{fill:var(--ink)}.chart a:hover rect.bg{fill:#e8eaed}
.findings{table-layout:fixed}.findings td{font-size:14px;overflow-wrap:anywhere}.findings td.s{font-size:12px;
color:var(--muted)}
.findings td.t{white-space:nowrap}.findings td.k{overflow-wrap:normal}
mark{background:#ffe082;padding:0 1px;border-radius:2px}
.tag.tag-high{background:var(--red-bg);color:var(--red)}.tag.tag-medium{background:var(--amber-bg);color:var(--amber)}
table.align{table-layout:fixed}
.sev{display:inline-block;border-radius:3px;padding:0 5px;font-size:12px;font-weight:600;color:#fff}
.sev-high{background:var(--red)}.sev-medium{background:var(--amber)}.sev-low{background:var(--muted)}
.tag{display:inline-block;border-radius:3px;padding:0 5px;margin:1px 0;font-size:12px;background:#eceff1;
color:var(--ink);text-decoration:none}
table.align td{font-size:14px}
table.align td.txt{overflow-wrap:anywhere}
table.align td.num,table.align td.pg{white-space:nowrap;font-variant-numeric:tabular-nums;color:var(--muted);
font-size:12px}
tr.c-green td.sc{background:var(--green-bg);color:var(--green)}
tr.c-amber td.sc{background:var(--amber-bg);color:var(--amber)}
tr.c-red td.sc{background:var(--red-bg);color:var(--red)}
tr.c-green td.sc,tr.c-amber td.sc,tr.c-red td.sc{font-weight:600;text-align:right}
tr.c-amber td.txt{background:#fffaf0}tr.c-red td.txt{background:#fff7f6}
tr.one td{background:var(--one-bg)}
tr.one td.empty{background:repeating-linear-gradient(135deg,var(--one-bg),var(--one-bg) 6px,#ead7f2 6px,#ead7f2 12px);
color:var(--one);font-weight:600;text-align:center;vertical-align:middle}
tr.one td:first-child{box-shadow:inset 4px 0 0 var(--one)}
tr.sect td{background:#f1f3f4;font-weight:600;color:var(--muted);font-size:13px}
tr:target td{outline:2px solid #1a73e8;outline-offset:-2px}
.par{display:block}.par+.par{border-top:1px dashed var(--line);margin-top:4px;padding-top:4px}
.legend span{display:inline-block;margin-right:14px;font-size:13px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.filtered tr.row:not(.show){display:none}.filtered tr.sect{display:none}
.filtered-findings tr.fnd:not(.show){display:none}
footer{color:var(--muted);font-size:12px;padding-bottom:30px}
footer pre{background:#fff;border:1px solid var(--line);padding:8px;overflow-x:auto;white-space:pre-wrap}
.none{color:var(--green);font-weight:600}
"""

# Filter buttons toggle rows by finding kind; rows carry their kinds as classes (k-<kind>).
# A link ending in #only-<kind> opens the page already filtered, so a finding type can be shared.
_JS = """
(function(){
  var buttons=document.querySelectorAll('button.f');
  function apply(kind){
    var tables=[document.getElementById('alignment'),document.getElementById('findings')];
    buttons.forEach(function(b){b.setAttribute('aria-pressed',b.dataset.kind===kind?'true':'false');});
    tables.forEach(function(t){
      if(!t){return;}
      var cls=t.id==='alignment'?'filtered':'filtered-findings';
      t.querySelectorAll('tr.show').forEach(function(r){r.classList.remove('show');});
      if(kind==='all'){t.classList.remove(cls);return;}
      t.querySelectorAll('tr.k-'+kind).forEach(function(r){r.classList.add('show');});
      t.classList.add(cls);
    });
  }
  buttons.forEach(function(b){b.addEventListener('click',function(){apply(b.dataset.kind);});});
  var m=/^#only-([a-z_]+)$/.exec(location.hash);
  if(m&&document.querySelector('button.f[data-kind="'+m[1]+'"]')){apply(m[1]);}
})();
"""


def _pages(pages: tuple[int, ...]) -> str:
    if not pages:
        return ""
    return page_range(pages[0], pages[-1], dash="–")


def _marked(text: str, marks: Iterable[str] = ()) -> str:
    """Escaped text with each mark wrapped in <mark>."""
    marks = sorted({m for m in marks if m}, key=len, reverse=True)
    if not marks:
        return escape(text)
    pattern = re.compile("|".join(r"(?<![\d.,])" + re.escape(m) + r"(?![\d]|[.,]\d)" for m in marks))
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[pos : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def _paras(texts: Iterable[str], marks: Iterable[str] = ()) -> str:
    marks = tuple(marks)
    return "".join(f'<span class="par">{_marked(t, marks)}</span>' for t in texts)


def _card(value: str, key: str, cls: str = "") -> str:
    return f'<div class="card {cls}"><div class="v">{escape(value)}</div><div class="k">{escape(key)}</div></div>'


def _summary(report: Report) -> str:
    counts = report.counts()
    serious = sum(1 for f in report.findings if f.severity == "high")
    cards = [
        _card(
            f"{report.aligned_share:.1%}",
            "of words aligned (both languages)",
            "ok" if report.aligned_share >= 0.98 else "bad" if report.aligned_share < 0.9 else "",
        ),
        _card(
            str(counts[FindingKind.UNTRANSLATED]),
            "untranslated English paragraphs",
            "bad" if counts[FindingKind.UNTRANSLATED] else "ok",
        ),
        _card(str(counts[FindingKind.ADDED]), "added Welsh paragraphs", "bad" if counts[FindingKind.ADDED] else "ok"),
        _card(str(serious), "high-severity findings", "bad" if serious else "ok"),
        _card(str(len(report.findings)), "findings in all"),
    ]
    stats = (
        '<table class="stats"><tr><th></th><th class="n">paragraphs</th><th class="n">aligned paragraphs</th>'
        '<th class="n">words</th><th class="n">aligned words</th><th class="n">share aligned</th></tr>'
    )
    for name, s in (("English", report.en), ("Welsh", report.cy)):
        stats += (
            f'<tr><td>{name}</td><td class="n">{s.blocks}</td><td class="n">{s.aligned_blocks}</td>'
            f'<td class="n">{s.words}</td><td class="n">{s.aligned_words}</td>'
            f'<td class="n">{s.aligned_share:.1%}</td></tr>'
        )
    stats += "</table>"
    kinds = ", ".join(f"{n}× {k}" for k, n in report.link_kinds.items())
    buttons = [f'<button class="f" data-kind="all" aria-pressed="true">all rows ({len(report.contexts)})</button>']
    for kind, label in FINDING_KINDS.items():
        n = counts[kind]
        buttons.append(
            f'<button class="f" data-kind="{kind}" aria-pressed="false"{"" if n else " disabled"}>'
            f"{escape(label)} ({n})</button>"
        )
    return (
        f'<section id="summary"><h2>Summary</h2><div class="cards">{"".join(cards)}</div>'
        f'<p>{stats}</p><p class="sub">Links: {escape(kinds)}</p>'
        f'<div class="counts" role="group" aria-label="Show only">{"".join(buttons)}</div></section>'
    )


def _chart(bars: list[CoverageBar], by: str) -> str:
    """Horizontal bars: aligned share of each section's words; each bar jumps to the section's first row."""
    if not bars:
        return ""
    row_h, label_w, bar_w = 22, 380, 520
    height = row_h * len(bars) + 28
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 250}" height="{height}" '
            f'role="img" aria-label="Aligned share of words by {by}">'
        )
    ]
    for i, b in enumerate(bars):
        y = 6 + i * row_h
        share = b.share
        colour = "#2e7d32" if share >= 0.98 else "#b26a00" if share >= 0.9 else "#c62828"
        label = b.label if len(b.label) <= 50 else b.label[:49] + "…"
        note = f"{share:.0%} of {b.words} words" + (
            f" · {b.findings} finding{'s' * (b.findings != 1)}" if b.findings else ""
        )
        parts.append(
            f'<a href="#{escape(b.anchor)}"><title>{escape(b.label)}: {escape(note)}</title>'
            f'<rect class="bg" x="0" y="{y - 2}" width="{label_w + bar_w + 250}" height="{row_h}" fill="transparent"/>'
            f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" font-size="13">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="16" fill="#eceff1"/>'
            f'<rect x="{label_w}" y="{y}" width="{bar_w * share:.1f}" height="16" fill="{colour}"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 13}" font-size="12">{escape(note)}</text></a>'
        )
    axis_y = 6 + len(bars) * row_h + 14
    for t in (0, 0.5, 1):
        parts.append(
            f'<text x="{label_w + bar_w * t:.0f}" y="{axis_y}" font-size="11" fill="#5f6368" '
            f'text-anchor="{"start" if t == 0 else "end" if t == 1 else "middle"}">{t:.0%}</text>'
        )
    parts.append("</svg>")
    return f'<section id="coverage"><h2>Coverage by {by}</h2><div class="chart">{"".join(parts)}</div></section>'


def _findings(findings: list[Finding]) -> str:
    if not findings:
        return '<section id="findings-list"><h2>Findings</h2><p class="none">No findings.</p></section>'
    rows = []
    for f in findings:
        rows.append(
            f'<tr id="{escape(f.id)}" class="fnd k-{f.kind}"><td class="k"><span class="sev sev-{f.severity}">'
            f'{f.severity}</span> <a href="#{escape(f.anchor)}">{escape(f.label)}</a></td>'
            f'<td class="s">{escape(f.section)}</td><td class="t">{_pages(f.en_pages)}</td>'
            f'<td class="t">{_pages(f.cy_pages)}</td>'
            f"<td>{escape(f.detail)}</td>"
            f'<td class="txt">{_marked(_clip(f.en_text), f.en_marks)}</td>'
            f'<td class="txt">{_marked(_clip(f.cy_text), f.cy_marks)}</td></tr>'
        )
    return (
        '<section id="findings-list"><h2>Findings</h2><table class="findings" id="findings">'
        '<colgroup><col style="width:16%"><col style="width:14%"><col style="width:4.5%"><col style="width:4.5%">'
        '<col style="width:15%"><col style="width:23%"><col style="width:23%"></colgroup>'
        "<tr><th>finding</th><th>section</th><th>EN p.</th><th>CY p.</th><th>detail</th>"
        f"<th>English</th><th>Welsh</th></tr>{''.join(rows)}</table></section>"
    )


def _clip(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _confidence_class(score: float, report: Report) -> str:
    if score >= report.settings.green_from:
        return "c-green"
    return "c-amber" if score >= report.settings.low_confidence else "c-red"


def _alignment_rows(report: Report) -> str:
    by_link: dict[int, list[Finding]] = {}
    for f in report.findings:
        by_link.setdefault(f.link_index, []).append(f)
    rows = []
    section: tuple[str, ...] | None = None
    for ctx in report.contexts:
        if ctx.section != section and ctx.section:
            section = ctx.section
            rows.append(f'<tr class="sect"><td colspan="7">{escape(SECTION_SEPARATOR.join(section))}</td></tr>')
        rows.append(_row(ctx, by_link.get(ctx.index, []), report))
    return "".join(rows)


def _row(ctx: LinkContext, findings: list[Finding], report: Report) -> str:
    classes = ["row", _confidence_class(ctx.link.score, report)]
    if not ctx.two_sided:
        classes.append("one")
    classes.extend(dict.fromkeys(f"k-{f.kind}" for f in findings))
    tags = "".join(
        f'<a class="tag tag-{f.severity}" href="#{escape(f.id)}" title="{escape(f.detail)}">{escape(f.label)}</a> '
        for f in findings
    )
    en_marks = [m for f in findings for m in f.en_marks]
    cy_marks = [m for f in findings for m in f.cy_marks]
    en = _paras(ctx.en_texts, en_marks) if ctx.link.en else "nothing in the English (added in Welsh)"
    cy = _paras(ctx.cy_texts, cy_marks) if ctx.link.cy else "nothing in the Welsh (untranslated)"
    en_cls = "txt" if ctx.link.en else "txt empty"
    cy_cls = "txt" if ctx.link.cy else "txt empty"
    return (
        f'<tr id="{escape(ctx.anchor)}" class="{" ".join(classes)}"><td class="num">{ctx.index + 1}<br>'
        f'{ctx.link.kind}</td><td class="sc">{ctx.link.score:.2f}</td><td class="pg">{_pages(ctx.en_pages)}</td>'
        f'<td class="{en_cls}" lang="en">{en}</td><td class="pg">{_pages(ctx.cy_pages)}</td>'
        f'<td class="{cy_cls}" lang="cy">{cy}</td><td>{tags}</td></tr>'
    )


def _alignment(report: Report) -> str:
    s = report.settings
    legend = (
        f'<p class="legend"><span><i style="background:var(--green)"></i>score ≥ {s.green_from:.2f}</span>'
        f'<span><i style="background:var(--amber)"></i>{s.low_confidence:.2f}–{s.green_from:.2f}</span>'
        f'<span><i style="background:var(--red)"></i>&lt; {s.low_confidence:.2f}</span>'
        f'<span><i style="background:var(--one)"></i>one-sided (no counterpart)</span></p>'
    )
    return (
        f'<section id="side-by-side"><h2>Side-by-side alignment</h2>{legend}'
        '<table class="align" id="alignment"><colgroup><col style="width:4%"><col style="width:5%">'
        '<col style="width:3.5%"><col style="width:37%"><col style="width:3.5%"><col style="width:37%">'
        '<col style="width:10%"></colgroup><tr><th>#</th><th>score</th><th>EN p.</th><th>English</th>'
        f"<th>CY p.</th><th>Welsh</th><th>findings</th></tr>{_alignment_rows(report)}</table></section>"
    )


def _warnings(report: Report) -> str:
    """The aligner's whole-pair warnings (unrelated files, unreadable text layer, bilingual file) first:
    they say whether anything below can be trusted at all."""
    warnings = report.alignment_settings.get("warnings") or []
    if not warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in warnings)
    return f'<section id="warnings" class="warnings"><h2>Warnings</h2><ul>{items}</ul></section>'


def render_html(report: Report, alignment: Alignment) -> str:
    settings = {"report": report.settings.to_dict(), "alignment": report.alignment_settings}
    title = f"Coverage report: {alignment.en.path} ↔ {alignment.cy.path}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>English–Welsh coverage report</h1><p class="sub">{escape(alignment.en.path)} '
        f"({alignment.en.n_pages} pages) ↔ {escape(alignment.cy.path)} ({alignment.cy.n_pages} pages)</p></header>"
        f"<main>{_warnings(report)}"
        f"{_summary(report)}{_chart(report.coverage, report.coverage_by)}{_findings(report.findings)}"
        f"{_alignment(report)}</main>"
        f"<footer><h2>Settings</h2><p>aligner {escape(__version__)}</p>"
        f"<pre>{escape(json.dumps(settings, ensure_ascii=False, indent=2, default=str), quote=False)}</pre></footer>"
        f"<script>{_JS}</script></body></html>\n"
    )
