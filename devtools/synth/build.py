"""Turn real parallel text into the units of a report and plant the Welsh edition's edits.

Everything random comes from one ``random.Random`` so a seed gives the same document. Edits are only
planted in unnumbered body paragraphs: real translations keep paragraph numbers, so an omitted or merged
numbered paragraph would be an unrealistic clue.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from aligner.records import BlockKind
from devtools.synth.model import BULLET, Note, Piece, SynthDoc, Unit, Zone
from devtools.synth.source import Corpus, NtrexDoc, Pair, UdhrSection

TITLES = {
    "ntrex": (
        ("News Review 2019", "Adolygiad Newyddion 2019"),
        ("Selected news reports from the NTREX-128 corpus", "Detholiad o adroddiadau newyddion o gorpws NTREX-128"),
    ),
    "udhr": (None, ("Text of the Declaration with selected notes", "Testun y Datganiad gyda nodiadau dethol")),
    "guide": (
        ("News Guide 2019", "Canllaw Newyddion 2019"),
        (
            "Selected news reports, with key points and where to get help",
            "Detholiad o adroddiadau newyddion, gyda phwyntiau allweddol a ble i gael help",
        ),
    ),
    "form": (
        ("Application Form 2019", "Ffurflen Gais 2019"),
        (
            "Please read the notes in each section before you fill in this form",
            "Darllenwch y nodiadau ym mhob adran cyn i chi lenwi’r ffurflen hon",
        ),
    ),
    "card": (
        ("Annual Report Card 2019", "Cerdyn Adrodd Blynyddol 2019"),
        ("Performance, progress and priorities", "Perfformiad, cynnydd a blaenoriaethau"),
    ),
    "mixed": (
        ("Rights and News Review", "Adolygiad Hawliau a Newyddion"),
        (
            "The Universal Declaration of Human Rights and selected news reports",
            "Y Datganiad Cyffredinol o Hawliau Dynol a detholiad o adroddiadau newyddion",
        ),
    ),
}
CONTENTS = ("Contents", "Cynnwys")
CAPTION = ("Table 1: Selected extracts from the sources", "Tabl 1: Detholiad o ddyfyniadau o’r ffynonellau")
TABLE_HEAD = (("No.", "Extract", "Source line"), ("Rhif", "Dyfyniad", "Llinell ffynhonnell"))
PANEL_TITLES = (
    ("Key points", "Pwyntiau allweddol"),
    ("Did you know?", "Oeddech chi’n gwybod?"),
    ("Example", "Enghraifft"),
    ("Remember", "Cofiwch"),
    ("Important", "Pwysig"),
)
CONTACT_INTRO = ("For more information, contact:", "Am ragor o wybodaeth, cysylltwch â:")
CONTACTS = (
    ("Customer Services Team", "Tîm Gwasanaethau Cwsmeriaid"),
    ("Information Unit", "Uned Wybodaeth"),
    ("Public Enquiries Office", "Swyddfa Ymholiadau Cyhoeddus"),
    ("Grants Administration Team", "Tîm Gweinyddu Grantiau"),
)
TOWNS = (
    ("Cardiff", "Caerdydd", "CF10 3NQ"),
    ("Swansea", "Abertawe", "SA1 8PE"),
    ("Llandudno Junction", "Cyffordd Llandudno", "LL31 9RZ"),
    ("Aberystwyth", "Aberystwyth", "SY23 3UR"),
)
FORM_OPTIONS = (
    (("Yes", "Ydw"), ("No", "Nac ydw")),
    (("Yes", "Oes"), ("No", "Nac oes")),
    (("Full time", "Llawn amser"), ("Part time", "Rhan amser")),
    (("Weekly", "Wythnosol"), ("Monthly", "Misol")),
)
"""Tick-box answers of a form question: two options, each with an empty box after it."""
FORM_FIELDS = (
    ("Title", "Teitl"),
    ("First name(s)", "Enw(au) cyntaf"),
    ("Surname", "Cyfenw"),
    ("Date of birth", "Dyddiad geni"),
    ("Address", "Cyfeiriad"),
    ("Postcode", "Cod post"),
    ("Telephone number", "Rhif ffôn"),
    ("Mobile number", "Rhif ffôn symudol"),
    ("Email address", "Cyfeiriad e-bost"),
    ("National Insurance number", "Rhif Yswiriant Gwladol"),
)
"""Field labels of a form's personal details, each beside an empty answer box."""
CARD_PANEL_TITLES = (
    ("Strengths", "Cryfderau"),
    ("Areas for improvement", "Meysydd i’w gwella"),
    ("Next steps", "Camau nesaf"),
    ("Summary", "Crynodeb"),
    ("What we found", "Yr hyn a welsom"),
    ("Our priorities", "Ein blaenoriaethau"),
)
CARD_GRID_HEAD = (("Area", "Maes"), ("Measure", "Mesur"), ("2022", "2022"), ("2023", "2023"), ("Status", "Statws"))
CARD_AREAS = (
    ("Attendance", "Presenoldeb"),
    ("Wellbeing", "Lles"),
    ("Attainment", "Cyrhaeddiad"),
    ("Finance", "Cyllid"),
    ("Staffing", "Staffio"),
    ("Governance", "Llywodraethu"),
    ("Safeguarding", "Diogelu"),
    ("Buildings", "Adeiladau"),
)
CARD_STATUS = (
    ("Met", "Wedi’i gyrraedd"),
    ("Not met", "Heb ei gyrraedd"),
    ("Improving", "Yn gwella"),
    ("Good", "Da"),
    ("Adequate", "Digonol"),
    ("Excellent", "Rhagorol"),
)
"""Words of a report card's data table: column heads, areas (a cell spanning the area's rows) and the
status of each measure."""
CARD_PLAIN_SHARE = 0.4
"""Share of a card's data tables set without rulings (the rest are ruled)."""
_SENT_END = re.compile(r"(?<=[.!?;:])\s+(?=[A-ZÂÊÎÔÛŴŶ“‘])")
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*(?![\d])")


@dataclass(eq=False)
class _Para:
    """Build-time facts about a body paragraph unit, needed to plant edits."""

    unit: Unit
    cy_sents: tuple[str, ...]
    editable: bool


@dataclass(eq=False)
class _Section:
    units: list[Unit]
    paras: dict[int, _Para] = field(default_factory=dict)
    """Keyed by ``id(unit)``."""
    two_col: bool = False


@dataclass(eq=False)
class _Pool:
    """Sentence pairs reserved for footnotes, table rows and Welsh additions; each is used once."""

    pairs: list[Pair]

    def take(self, max_words: int = 60, min_words: int = 4, keep: int = 0) -> Pair | None:
        """The first pair of a suitable length, unless only ``keep`` pairs are left."""
        if len(self.pairs) <= keep:
            return None
        for i, p in enumerate(self.pairs):
            if min_words <= len(p.en.split()) <= max_words:
                return self.pairs.pop(i)
        return None


def _one(kind: BlockKind, pair: Pair, label: str = "", level: int = 1) -> Unit:
    return Unit([Piece(kind, pair.en, label, level)], [Piece(kind, pair.cy, label, level)])


def _body_unit(sents: list[Pair], label: str) -> Unit:
    return _one(BlockKind.PARAGRAPH, Pair(" ".join(s.en for s in sents), " ".join(s.cy for s in sents), ""), label)


def _groups(n: int, rng: random.Random) -> list[tuple[int, int]]:
    out, i = [], 0
    while i < n:
        k = rng.randint(1, 5)
        out.append((i, min(n, i + k)))
        i += k
    return out


def _attach_note(
    unit: Unit, en_sents: list[str], cy_sents: list[str], pair: Pair, number: int, rng: random.Random
) -> None:
    j = rng.randrange(len(en_sents))
    for piece, sents, text in ((unit.en[0], en_sents, pair.en), (unit.cy[0], cy_sents, pair.cy)):
        after = len(" ".join(sents[: j + 1]).split()) - 1
        piece.note = Note(number, after, text)


class _Builder:
    def __init__(self, corpus: Corpus, rng: random.Random, pool: _Pool) -> None:
        self.corpus, self.rng, self.pool = corpus, rng, pool
        self.n_notes = 0

    def _note(self, unit: Unit, en_sents: list[str], cy_sents: list[str]) -> None:
        pair = self.pool.take(max_words=35, keep=60)
        if pair is not None:
            self.n_notes += 1
            _attach_note(unit, en_sents, cy_sents, pair, self.n_notes, self.rng)

    def ntrex_section(self, doc: NtrexDoc, number: int, two_col: bool) -> _Section:
        rng = self.rng
        sec = _Section([_one(BlockKind.HEADING, doc.sentences[0], f"{number}.")], two_col=two_col)
        body = list(doc.sentences[1:])
        groups = _groups(len(body), rng)
        numbered = rng.random() < 0.4
        multi = [g for g in range(len(groups)) if groups[g][1] - groups[g][0] >= 2]
        list_group = rng.choice(multi) if multi and rng.random() < 0.4 else -1
        note_group = rng.randrange(len(groups)) if groups and not two_col and rng.random() < 0.5 else -1
        k = 0
        for g, (a, b) in enumerate(groups):
            sents = body[a:b]
            if g == list_group:
                bullet = rng.random() < 0.5
                for j, s in enumerate(sents):
                    sec.units.append(_one(BlockKind.LIST_ITEM, s, BULLET if bullet else f"({'abcdefgh'[j]})"))
                continue
            k += 1
            unit = _body_unit(sents, f"{number}.{k}" if numbered else "")
            sec.units.append(unit)
            if g == note_group and list_group != g:
                self._note(unit, [s.en for s in sents], [s.cy for s in sents])
            else:
                sec.paras[id(unit)] = _Para(unit, tuple(s.cy for s in sents), not numbered)
        return sec

    def form_section(self, doc: NtrexDoc, number: int, style: str) -> _Section:
        """A form section: a numbered heading (white on a dark band in shaded forms), an instruction
        paragraph, the personal details block in the first section, then questions in a table,
        one row each: the question's number (in a cell of its own when ruled, else hanging before
        the question), the question (with, now and then, a hint sentence in smaller type under it in
        the same cell), and an empty answer box or two tick-box options.
        Now and then an instruction paragraph interrupts the table."""
        rng = self.rng
        sec = _Section([_one(BlockKind.HEADING, doc.sentences[0], f"{number}.")])
        if style == "formshade":  # white on a dark band, as online-made forms set section titles
            sec.units[0].en[0].style = sec.units[0].cy[0].style = "band"
        body = list(doc.sentences[1:])
        n_intro = rng.randint(1, 2) if len(body) > 3 else 0
        if n_intro:
            unit = _body_unit(body[:n_intro], "")
            sec.units.append(unit)
            sec.paras[id(unit)] = _Para(unit, tuple(s.cy for s in body[:n_intro]), True)
        if number == 1:
            sec.units.extend(_details(style, rng))
        rows, i, k = body[n_intro:], 0, 0
        while i < len(rows):
            question = rows[i]
            i += 1
            k += 1
            en_q, cy_q = question.en, question.cy
            hint = None
            if i < len(rows) and rng.random() < 0.25 and len(rows[i].en.split()) <= 30:
                hint = rows[i]
                en_q, cy_q = f"{en_q}\n{hint.en}", f"{cy_q}\n{hint.cy}"
                i += 1
            label = f"{number}.{k}"
            options = rng.choice(FORM_OPTIONS) if rng.random() < 0.35 else None
            if style == "formglyph":
                sec.units.extend(_typed_question(label, question, hint, options, rng))
            else:
                sec.units.append(_question_row(label, en_q, cy_q, options, style))
            if k % 4 == 0 and i < len(rows) - 1 and rng.random() < 0.5:
                unit = _body_unit(rows[i : i + 1], "")
                sec.units.append(unit)
                sec.paras[id(unit)] = _Para(unit, (rows[i].cy,), True)
                i += 1
        return sec

    def udhr_sections(self, level: int, first_two_col: int, n_two_col: int) -> list[_Section]:
        out = []
        for i, s in enumerate(self.corpus.udhr):
            out.append(self.udhr_section(s, level, first_two_col <= i < first_two_col + n_two_col))
        return out

    def udhr_section(self, s: UdhrSection, level: int, two_col: bool) -> _Section:
        sec = _Section([_one(BlockKind.HEADING, s.heading, "", level)], two_col=two_col)
        n_li = 0
        for kind, pair in s.items:
            if kind == "li":
                n_li += 1
                sec.units.append(_one(BlockKind.LIST_ITEM, pair, f"{n_li}."))
                continue
            unit = _one(BlockKind.PARAGRAPH, pair)
            sec.units.append(unit)
            if not two_col and self.rng.random() < 0.12:
                self._note(unit, [pair.en], [pair.cy])
            else:
                sec.paras[id(unit)] = _Para(unit, tuple(_SENT_END.split(pair.cy)), True)
        return sec

    def table(self, n_rows: int) -> list[Unit]:
        units = [_one(BlockKind.CAPTION, Pair(*CAPTION, ""))]
        head = Unit(
            [Piece(BlockKind.TABLE_ROW, "", cells=TABLE_HEAD[0], header_row=True)],
            [Piece(BlockKind.TABLE_ROW, "", cells=TABLE_HEAD[1], header_row=True)],
        )
        units.append(head)
        for i in range(n_rows):
            p = self.pool.take(max_words=12, min_words=3)
            if p is None:
                break
            line = str(int(p.ref.split(":")[1]) + 1)
            units.append(
                Unit(
                    [Piece(BlockKind.TABLE_ROW, "", cells=(str(i + 1), p.en, line))],
                    [Piece(BlockKind.TABLE_ROW, "", cells=(str(i + 1), p.cy, line))],
                )
            )
        return units


def _words(doc: NtrexDoc) -> int:
    return sum(len(s.en.split()) for s in doc.sentences)


def _ntrex_sections(
    b: _Builder, docs: list[NtrexDoc], words: int, start_number: int, rng: random.Random
) -> list[_Section]:
    """Take documents in order (reshuffled on each further pass) until ``words`` English words.

    From the 5th section in every 15, sections are set in two columns until they hold about 1,200 words
    (more than a page), so the part has full columns on both sides."""
    out: list[_Section] = []
    total, order = 0, list(docs)
    two_col_words = -1
    while total < words:
        for d in order:
            if total >= words:
                break
            if len(out) % 15 == 4:
                two_col_words = 0
            out.append(b.ntrex_section(d, start_number + len(out), two_col=two_col_words >= 0))
            total += _words(d)
            if two_col_words >= 0:
                two_col_words += _words(d)
                if two_col_words >= 1200:
                    two_col_words = -1
        order = list(docs)
        rng.shuffle(order)
    return out


def _question_row(label: str, en_q: str, cy_q: str, options: tuple[tuple[str, str], ...] | None, style: str) -> Unit:
    """A question as one table row; ruled rows give the number a cell of its own, without rulings it
    hangs before the question."""
    en_head = (label, en_q) if style == "form" else (f"{label} {en_q}",)
    cy_head = (label, cy_q) if style == "form" else (f"{label} {cy_q}",)
    if options is not None:
        (yes_en, yes_cy), (no_en, no_cy) = options
        en_cells: tuple[str, ...] = (*en_head, yes_en, "", no_en, "")
        cy_cells: tuple[str, ...] = (*cy_head, yes_cy, "", no_cy, "")
    else:
        en_cells, cy_cells = (*en_head, ""), (*cy_head, "")
    return Unit(
        [Piece(BlockKind.TABLE_ROW, "", cells=en_cells, style=style)],
        [Piece(BlockKind.TABLE_ROW, "", cells=cy_cells, style=style)],
    )


def _typed_question(
    label: str, question: Pair, hint: Pair | None, options: tuple[tuple[str, str], ...] | None, rng: random.Random
) -> list[Unit]:
    """A question typed as paragraphs, as in a word processor's form with no table: the number
    hanging before the question, a hint under it in small type, then the options, each after a box
    character ("☐ Yes"), side by side on one line or one under another. Each is a unit."""
    units = [_one(BlockKind.PARAGRAPH, question, label)]
    if hint is not None:
        units.append(
            Unit(
                [Piece(BlockKind.PARAGRAPH, hint.en, style="hint")], [Piece(BlockKind.PARAGRAPH, hint.cy, style="hint")]
            )
        )
    if options is not None:
        look = rng.choice(("option-inline", "option-stacked"))
        for en, cy in options:
            units.append(
                Unit([Piece(BlockKind.PARAGRAPH, en, style=look)], [Piece(BlockKind.PARAGRAPH, cy, style=look)])
            )
    return units


def _details(style: str, rng: random.Random) -> list[Unit]:
    """The personal details block of a form's first section: field labels beside empty boxes, one
    or two to a row (``{style}-fields``); each label is a unit."""
    fields = list(FORM_FIELDS)
    per_row = rng.choice((1, 2))
    units = []
    for k in range(0, len(fields), per_row):
        row = fields[k : k + per_row]
        units.append(
            Unit(
                [
                    Piece(
                        BlockKind.TABLE_ROW,
                        "",
                        cells=tuple(c for en, _ in row for c in (en, "")),
                        style=f"{style}-fields",
                    )
                ],
                [
                    Piece(
                        BlockKind.TABLE_ROW,
                        "",
                        cells=tuple(c for _, cy in row for c in (cy, "")),
                        style=f"{style}-fields",
                    )
                ],
            )
        )
    return units


def _form_sections(b: _Builder, docs: list[NtrexDoc], words: int, rng: random.Random) -> list[_Section]:
    """Form sections until ``words`` English words; each document sets its questions one way: in
    ruled cells (``form``), beside shaded boxes with no rulings (``formshade``), or typed as
    paragraphs with box characters before the options (``formglyph``)."""
    draw = rng.random()
    style = "formshade" if draw < 0.5 else "form" if draw < 0.8 else "formglyph"
    out: list[_Section] = []
    total = 0
    for d in docs:
        if total >= words:
            break
        out.append(b.form_section(d, len(out) + 1, style))
        total += _words(d)
    return out


def build_doc(
    corpus: Corpus, source: str, words: int, rng: random.Random, edits: bool, plant_number_changes: int
) -> SynthDoc:
    """Lay out the content of one report; ``words`` is the English body length to aim for."""
    docs = list(corpus.ntrex)
    rng.shuffle(docs)
    n_pool = 12
    pool = _Pool([s for d in docs[:n_pool] for s in d.sentences[1:]])
    docs = docs[n_pool:]
    b = _Builder(corpus, rng, pool)
    title, subtitle = TITLES[source]
    if source == "udhr":
        title = (corpus.udhr_title.en, corpus.udhr_title.cy)
        sections = b.udhr_sections(1, 10, 5)
    elif source == "ntrex":
        sections = _ntrex_sections(b, docs, words, 1, rng)
    elif source == "guide":
        sections = _ntrex_sections(b, docs, words, 1, rng)
        _guide_extras(sections, random.Random(rng.random()), pool)
    elif source == "form":
        sections = _form_sections(b, docs, words, rng)
    elif source == "card":
        sections = _ntrex_sections(b, docs, words, 1, rng)
        _card_extras(sections, random.Random(rng.random()), pool)
    elif source == "mixed":
        sections = _ntrex_sections(b, docs, max(words - 2800, 1), 1, rng)
        cut = max(1, len(sections) // 3)
        t = corpus.udhr_title
        head = _Section([_one(BlockKind.HEADING, Pair(t.en, t.cy, ""), f"{cut + 1}.", 1)])
        udhr = [head] + b.udhr_sections(2, 99, 0)
        for i, s in enumerate(sections[cut:]):
            s.units[0].en[0].label = s.units[0].cy[0].label = f"{cut + 2 + i}."
            for u in s.units[1:]:
                for p in u.en + u.cy:
                    if p.kind == BlockKind.PARAGRAPH and p.label:
                        p.label = f"{cut + 2 + i}.{p.label.split('.', 1)[1]}"
        sections = sections[:cut] + udhr + sections[cut:]
    else:
        raise ValueError(f"unknown source {source!r}: use ntrex, udhr, mixed, guide, form or card")
    t_sec = 1 if len(sections) > 1 and not sections[1].two_col else 0
    sections[t_sec].units[1:1] = b.table(6)

    if edits:
        n_each = max(1, round(words / 430 / 8))
        _plant_edits(sections, rng, n_each, pool)
    _plant_numbers(sections, rng, plant_number_changes)

    front = [
        _one(BlockKind.HEADING, Pair(*title, ""), level=0),
        _one(BlockKind.PARAGRAPH, Pair(*subtitle, ""), level=0),
    ]
    zones: list[Zone] = []
    for s in sections:
        cols = 2 if s.two_col else 1
        if not zones or zones[-1].columns != cols:
            zones.append(Zone(cols, []))
        zones[-1].units.extend(s.units)
    toc = [_one(BlockKind.HEADING, Pair(*CONTENTS, ""), level=1)]
    for z in zones:
        for u in z.units:
            if u.en and u.cy and u.en[0].kind == BlockKind.HEADING and u.en[0].level == 1:
                h_en, h_cy = u.en[0], u.cy[0]
                toc.append(
                    Unit(
                        [Piece(BlockKind.TOC_ENTRY, h_en.text, h_en.label, target=h_en)],
                        [Piece(BlockKind.TOC_ENTRY, h_cy.text, h_cy.label, target=h_cy)],
                    )
                )
    n = 0
    for z in zones:
        for u in z.units:
            for pe, pc in zip(u.en, u.cy):
                if pe.note is not None and pc.note is not None:
                    n += 1
                    pe.note.number = pc.note.number = n
    return SynthDoc(title, front, toc, zones)


def _contact(rng: random.Random) -> Unit:
    """An address and contact block: short lines with no space between them, one unit."""
    org = rng.choice(CONTACTS)
    town_en, town_cy, postcode = rng.choice(TOWNS)
    box = str(rng.randint(100, 9999))
    phone = f"0300 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    en = [org[0], f"PO Box {box}", town_en, postcode, f"Telephone: {phone}", "Email: enquiries@example.gov.wales"]
    cy = [org[1], f"Blwch Post {box}", town_cy, postcode, f"Ffôn: {phone}", "E-bost: ymholiadau@enghraifft.llyw.cymru"]
    if rng.random() < 0.5:  # no PO box
        del en[1], cy[1]
    return Unit(
        [Piece(BlockKind.PARAGRAPH, " ".join(en), style="contact", lines=tuple(en))],
        [Piece(BlockKind.PARAGRAPH, " ".join(cy), style="contact", lines=tuple(cy))],
    )


def _guide_extras(sections: list[_Section], rng: random.Random, pool: _Pool) -> None:
    """What guides and leaflets add to a report: the last paragraphs of some sections in a shaded box
    under a small heading, a two-column table without rulings, and contact blocks."""
    for n, sec in enumerate(sections):
        paras = [u for u in sec.units if id(u) in sec.paras and not u.en[0].label]
        if not sec.two_col and len(paras) >= 2 and paras[-1] is sec.units[-1] and rng.random() < 0.4:
            boxed = paras[-rng.randint(1, 2) :]
            title = rng.choice(PANEL_TITLES)
            head = Unit(
                [Piece(BlockKind.HEADING, title[0], level=2, style="panel")],
                [Piece(BlockKind.HEADING, title[1], level=2, style="panel")],
            )
            sec.units.insert(sec.units.index(boxed[0]), head)
            for u in boxed:
                u.en[0].style = u.cy[0].style = "panel"
                del sec.paras[id(u)]
        if not sec.two_col and len(sec.units) > 2 and rng.random() < 0.2:
            rows = []
            for _ in range(rng.randint(3, 5)):
                left, right = pool.take(max_words=6, min_words=2, keep=40), pool.take(max_words=25, keep=40)
                if left is None or right is None:
                    break
                rows.append(
                    Unit(
                        [Piece(BlockKind.TABLE_ROW, "", cells=(left.en, right.en), style="plain")],
                        [Piece(BlockKind.TABLE_ROW, "", cells=(left.cy, right.cy), style="plain")],
                    )
                )
            sec.units[2:2] = rows
        if n % 5 == 2 and not sec.two_col:
            sec.units += [_one(BlockKind.PARAGRAPH, Pair(*CONTACT_INTRO, "")), _contact(rng)]


def _card_extras(sections: list[_Section], rng: random.Random, pool: _Pool) -> None:
    """What a report card adds to a report: a row of shaded panels side by side under a section's
    heading (a title or a large figure over a short text in each), and a data table, ruled or not,
    whose first column names an area spanning its measures' rows."""
    for sec in sections:
        if sec.two_col:
            continue
        if rng.random() < 0.4:
            row = _panel_row(rng, pool, rng.choice(("panels", "panels", "figures")))
            if row is not None:
                sec.units.insert(1, row)
        if len(sec.units) > 3 and rng.random() < 0.35:
            sec.units[3:3] = _grid(rng, pool)
    looks = random.Random(rng.random())  # drawn last: the documents of earlier seeds keep their content
    for sec in sections:
        heads = [u for u in sec.units if u.en and u.en[0].style == "grid" and u.en[0].header_row]
        for head in heads:
            if looks.random() < CARD_PLAIN_SHARE:
                k = sec.units.index(head)
                for u in sec.units[k:]:
                    if u is not head and (not u.en or u.en[0].style != "grid" or u.en[0].header_row):
                        break
                    for piece in u.en + u.cy:
                        piece.style = "gridplain"


def _table_row(en: tuple[str, ...], cy: tuple[str, ...], style: str, **extra) -> Unit:
    """One table row in both editions (``extra``: the row's further ``Piece`` fields)."""
    return Unit(
        [Piece(BlockKind.TABLE_ROW, "", cells=en, style=style, **extra)],
        [Piece(BlockKind.TABLE_ROW, "", cells=cy, style=style, **extra)],
    )


def _panel_row(rng: random.Random, pool: _Pool, look: str) -> Unit | None:
    """Two or three panels in one table row: each a title (``panels``) or a figure such as "87%"
    (``figures``), then a sentence; each paragraph of a panel is a unit."""
    n = rng.choice((2, 3))
    titles = rng.sample(CARD_PANEL_TITLES, n)
    en, cy = [], []
    for title in titles:
        body = pool.take(max_words=26 if n == 2 else 16, min_words=5, keep=40)
        if body is None:
            return None
        if look == "figures":
            figure = rng.choice(
                (f"{rng.randint(5, 99)}%", f"{rng.randint(2, 9)},{rng.randint(100, 999)}", f"{rng.randint(11, 95)}")
            )
            title = (figure, figure)
        en.append(f"{title[0]}\n{body.en}")
        cy.append(f"{title[1]}\n{body.cy}")
    return _table_row(tuple(en), tuple(cy), look)


def _grid(rng: random.Random, pool: _Pool) -> list[Unit]:
    """A data table (ruled; ``_card_extras`` then sets some without rulings): a bold header row, then
    two or three areas of one to three measures; the area's cell spans its measures' rows, the figures
    are the same in both editions, now and then a figure is missing (an empty cell)."""
    units = [
        _table_row(tuple(e for e, _ in CARD_GRID_HEAD), tuple(c for _, c in CARD_GRID_HEAD), "grid", header_row=True)
    ]
    for area in rng.sample(CARD_AREAS, rng.randint(2, 3)):
        measures = [m for m in (pool.take(max_words=9, min_words=3, keep=40) for _ in range(rng.randint(1, 3))) if m]
        for k, measure in enumerate(measures):
            figures = [f"{rng.uniform(40, 99):.1f}%" if rng.random() > 0.06 else "" for _ in range(2)]
            status = rng.choice(CARD_STATUS)
            head = area if k == 0 else ("", "")
            spans = (len(measures) if k == 0 else 1, 1, 1, 1, 1)
            units.append(
                _table_row(
                    (head[0], measure.en, *figures, status[0]),
                    (head[1], measure.cy, *figures, status[1]),
                    "grid",
                    spans=spans,
                )
            )
    return units if len(units) > 1 else []


def _plant_edits(sections: list[_Section], rng: random.Random, n_each: int, pool: _Pool) -> None:
    cands = [(si, u) for si, s in enumerate(sections) for u in s.units if id(u) in s.paras and s.paras[id(u)].editable]
    rng.shuffle(cands)
    used: set[int] = set()
    plan: dict[int, tuple[str, object]] = {}

    def free(u: Unit) -> bool:
        return id(u) not in used

    for si, u in cands:  # merges: this unit and the next unit of its section
        if sum(1 for k, _ in plan.values() if k == "merged") >= n_each:
            break
        units = sections[si].units
        i = units.index(u)
        nxt = units[i + 1] if i + 1 < len(units) else None
        if (
            nxt is not None
            and free(u)
            and free(nxt)
            and id(nxt) in sections[si].paras
            and sections[si].paras[id(nxt)].editable
        ):
            used.update((id(u), id(nxt)))
            plan[id(u)] = ("merged", nxt)
    for kind in ("split", "omitted", "added"):
        done = 0
        for si, u in cands:
            if done >= n_each:
                break
            if not free(u) or (kind == "split" and len(sections[si].paras[id(u)].cy_sents) < 2):
                continue
            used.add(id(u))
            plan[id(u)] = (kind, si)
            done += 1
    for s in sections:
        new: list[Unit] = []
        skip: set[int] = set()
        for u in s.units:
            if id(u) in skip:
                continue
            kind, arg = plan.get(id(u), ("", None))
            if kind == "merged":
                nxt = arg
                skip.add(id(nxt))
                text = f"{u.cy[0].text} {nxt.cy[0].text}"
                new.append(Unit(u.en + nxt.en, [Piece(BlockKind.PARAGRAPH, text)], "merged"))
            elif kind == "split":
                sents = s.paras[id(u)].cy_sents
                j = rng.randint(1, len(sents) - 1)
                new.append(
                    Unit(
                        u.en,
                        [
                            Piece(BlockKind.PARAGRAPH, " ".join(sents[:j])),
                            Piece(BlockKind.PARAGRAPH, " ".join(sents[j:])),
                        ],
                        "split",
                    )
                )
            elif kind == "omitted":
                new.append(Unit(u.en, [], "omitted"))
            elif kind == "added":
                new.append(u)
                p = pool.take(max_words=40)
                if p is not None:
                    new.append(Unit([], [Piece(BlockKind.PARAGRAPH, p.cy)], "added"))
            else:
                new.append(u)
        s.units = new


def _alter(tok: str) -> str:
    if re.fullmatch(r"(19|20)\d\d", tok):
        return str(int(tok) + 1)
    digits = [i for i, ch in enumerate(tok) if ch.isdigit()]
    a, b = digits[-2:] if len(digits) >= 2 else (None, digits[-1])
    if a is not None and tok[a] != tok[b]:
        return tok[:a] + tok[b] + tok[a + 1 : b] + tok[a] + tok[b + 1 :]
    return tok[:b] + str((int(tok[b]) + 1) % 10) + tok[b + 1 :]


def _numbered_text(piece: Piece) -> str:
    """Where a number may be changed: the text, not the label; table cells but not the row number."""
    return " ".join(piece.cells[1:]) if piece.cells else piece.text


def _plant_numbers(sections: list[_Section], rng: random.Random, n: int) -> None:
    """Change one number in ``n`` faithful 1-1 Welsh paragraphs, list items or table rows (a number
    that both editions print)."""
    if n <= 0:
        return
    kinds = (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW)
    cands = []
    for s in sections:
        for u in s.units:
            if u.edit or u.link != "1-1" or u.en[0].kind not in kinds or u.en[0].header_row or u.en[0].lines:
                continue
            common = sorted(
                set(_NUMBER.findall(_numbered_text(u.en[0]))) & set(_NUMBER.findall(_numbered_text(u.cy[0])))
            )
            if common:
                cands.append((u, common))
    for u, common in rng.sample(cands, min(n, len(cands))):
        tok = rng.choice(common)
        new = _alter(tok)
        piece = u.cy[0]
        pat = re.compile(rf"(?<![\d.,]){re.escape(tok)}(?![\d])")
        if piece.cells:
            i = next(i for i, c in enumerate(piece.cells) if i > 0 and pat.search(c))
            piece.cells = piece.cells[:i] + (pat.sub(new, piece.cells[i], count=1),) + piece.cells[i + 1 :]
        else:
            piece.text = pat.sub(new, piece.text, count=1)
        u.edit, u.number_change = "number_changed", (tok, new)
