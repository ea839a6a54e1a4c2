"""Ruled tables from the page's vector lines, using pdfplumber's grid algorithms on pdfium paths.

pdfplumber's own find_tables needs pdfplumber's page parse (about 10x slower than pdfium), so the
ruling lines are read with pdfium and only pdfplumber's edge -> intersection -> cell -> table steps
are reused.
"""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c

MIN_EDGES = 4
"""Fewer drawn lines make no box: a ruled table needs six, a single frame four."""


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict | None:
    w, h = x1 - x0, bottom - top
    if h <= 2 and w > 2:
        y = (top + bottom) / 2
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": w, "height": 0.0, "orientation": "h"}
    if w <= 2 and h > 2:
        x = (x0 + x1) / 2
        return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": h, "orientation": "v"}
    return None


def path_edges(obj, page_height: float) -> list[dict]:
    """Axis-parallel line segments of one path object, in top-left page coordinates."""
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, l, b, r, t):
        return []
    x0, top, x1, bottom = l.value, page_height - t.value, r.value, page_height - b.value
    single = _edge(x0, top, x1, bottom)
    if single:
        return [single]  # a thin filled rectangle or a stroked line: a ruling either way
    if not _stroked(obj):
        return []  # the outline of a filled area (a shaded header cell) is not a drawn line
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if n <= 0 or n > 400:
        return []
    edges = []
    start = prev = None
    for seg, x, pdf_y in _path_points(obj):
        y = page_height - pdf_y
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = prev = (x, y)
            continue
        if prev is not None:
            e = _edge(min(prev[0], x), min(prev[1], y), max(prev[0], x), max(prev[1], y))
            if e:
                edges.append(e)
        prev = (x, y)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            e = _edge(min(start[0], x), min(start[1], y), max(start[0], x), max(start[1], y))
            if e:
                edges.append(e)
            prev = start
    return edges


CHECKBOX_SIDE = (4.0, 16.0)
"""Side in points of a drawn square that is a form's tick box (smaller is a dot, larger a frame)."""
CHECKBOX_SQUARENESS = 1.5
"""Points by which a tick box's width and height may differ."""


def checkbox(obj, page_height: float) -> tuple[float, float, float, float] | None:
    """The box (top-left coordinates) of a path drawn as a small square outline, else None."""
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, l, b, r, t):
        return None
    w, h = r.value - l.value, t.value - b.value
    lo, hi = CHECKBOX_SIDE
    if not (lo <= w <= hi and lo <= h <= hi and abs(w - h) <= CHECKBOX_SQUARENESS):
        return None
    if not _stroked(obj):
        return None
    return (l.value, page_height - t.value, r.value, page_height - b.value)


def _stroked(obj) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
        return True
    return bool(stroke.value)


def tables_from_edges(edges: list[dict]) -> list[list[list[tuple[float, float, float, float]]]]:
    """Ruled grids as rows of cell boxes: grids of several cells (reader._tables decides which are
    tables: two columns at least) and single ruled frames (one cell)."""
    if len(edges) < MIN_EDGES:
        return []
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    merged = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(merged, 3, 3))
    tables = cells_to_tables(cells)
    in_tables = {c for t in tables for c in t}
    out = [[[c]] for c in cells if c not in in_tables]  # a single ruled box (pdfplumber keeps no 1-cell table)
    for table in tables:
        rows: dict[float, list] = {}
        for cell in table:
            rows.setdefault(round(cell[1], 1), []).append(cell)
        out.append([sorted(rows[k], key=lambda c: c[0]) for k in sorted(rows)])
    return out


FRAME_MIN_WIDTH = 36.0
"""A filled rectangle at least this wide (points) can hold a line of text: a shaded panel; narrower
ones are tick boxes, bullets and bars."""
FRAME_MIN_HEIGHT = 8.0
"""... and at least this high."""


ROUNDED_MAX_SEGMENTS = 40
"""A filled path of up to this many segments may be a rectangle with rounded corners (four sides and
four curved corners, each curve one or more segments)."""
ROUNDED_CORNER_SHARE = 0.3
"""...when every point of it lies within this share of the box's smaller side from the box's edge:
its corners are cut, its sides are the box's (a star or an arrow has points well inside)."""


def filled_frame(obj, page_height: float) -> tuple[float, float, float, float] | None:
    """The box (top-left coordinates) of a filled rectangle, square-cornered or rounded, large enough
    to hold text, else None."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not fill.value:
        return None
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if n <= 0 or n > ROUNDED_MAX_SEGMENTS:
        return None
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, l, b, r, t):
        return None
    if r.value - l.value < FRAME_MIN_WIDTH or t.value - b.value < FRAME_MIN_HEIGHT:
        return None
    # a rectangle: move, three or four lines, maybe a close; more segments: rounded corners
    if n > 6 and not _on_box_edges(obj, (l.value, b.value, r.value, t.value)):
        return None
    return (l.value, page_height - t.value, r.value, page_height - b.value)


def _on_box_edges(obj, bounds: tuple[float, float, float, float]) -> bool:
    """Every point of the path lies near an edge of its box (``ROUNDED_CORNER_SHARE``)."""
    points = _path_points(obj)
    if not points:
        return False
    l, b, r, t = bounds
    reach = ROUNDED_CORNER_SHARE * min(r - l, t - b)
    return all(min(x - l, r - x, y - b, t - y) <= reach for _, x, y in points)


def _path_points(obj) -> list[tuple[object, float, float]]:
    """Each segment of a path object (its handle) with its point in page space (PDF coordinates,
    origin bottom left), the object's matrix applied; empty where pdfium gives no matrix."""
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return []
    px, py = ctypes.c_float(), ctypes.c_float()
    points = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, px, py)
        points.append((seg, m.a * px.value + m.c * py.value + m.e, m.b * px.value + m.d * py.value + m.f))
    return points
