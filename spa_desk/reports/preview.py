"""A report page rendered to pixels, for the desk's preview (PDFium, through pypdfium2).

No Qt here: the desk wraps the pixels in a QImage. QtPdf is not in PySide6-Addons, so PDFium
renders the very PDF that is printed or signed: what the manager previews is what they sign.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PagePixels(BaseModel):
    """One rendered page: rows of 4 bytes a pixel (B, G, R, unused), ``stride`` bytes a row."""

    model_config = ConfigDict(frozen=True)

    width: int
    height: int
    stride: int
    bgrx: bytes
    page: int
    pages: int


def render_page(pdf: bytes, page: int = 0, *, width: int = 900) -> PagePixels:
    """Page ``page`` (from 0) of ``pdf`` rendered ``width`` pixels wide; ValueError for a page
    the PDF does not have or bytes that are not a PDF."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise ValueError(f"not a PDF that can be shown: {error}") from None
    try:
        pages = len(document)
        if not 0 <= page < pages:
            raise ValueError(f"the report has {pages} pages; there is no page {page + 1}")
        sheet = document[page]
        scale = width / sheet.get_width()
        bitmap = sheet.render(scale=scale, prefer_bgrx=True)  # B, G, R, unused: 4 bytes a pixel
        try:
            return PagePixels(
                width=bitmap.width,
                height=bitmap.height,
                stride=bitmap.stride,
                bgrx=bytes(bitmap.buffer),
                page=page,
                pages=pages,
            )
        finally:
            bitmap.close()
            sheet.close()
    finally:
        document.close()
