"""Stage 1, reading PDFs: words with fonts and boxes, vector rulings, bad-input checks, debug drawing.

Owns everything that touches pypdfium2/pdfplumber; later stages see only the records it returns.
"""
