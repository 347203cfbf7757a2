"""Small PDFs written by hand for the PDF reader's tests: text in Helvetica (regular or bold),
figures right-aligned as statements print them, filled rectangles, lines.

Coordinates are PDF points from the top-left corner of a US Letter page (the builder turns them
into PDF's bottom-up space), so a test reads top to bottom like the page. Helvetica is one of
PDF's standard fonts, so nothing is embedded and the widths used to right-align figures are its
published metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 612.0, 792.0
# Helvetica advance widths (per 1000 units of the type size) of the characters figures use.
_HELVETICA = {
    **dict.fromkeys("0123456789$", 556),
    ",": 278,
    ".": 278,
    " ": 278,
    "(": 333,
    ")": 333,
    "-": 333,
    "%": 889,
    "\u2014": 1000,
}


def text_width(text: str, size: float) -> float:
    return sum(_HELVETICA.get(ch, 556) for ch in text) * size / 1000


@dataclass
class PdfPage:
    ops: list[str] = field(default_factory=list)

    def text(self, x: float, top: float, text: str, size: float = 9, bold: bool = False) -> None:
        """Text whose baseline sits `size` points under `top`, starting at `x`."""
        font = "F2" if bold else "F1"
        y = HEIGHT - top - size
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        encoded = "".join(  # WinAnsiEncoding: non-ASCII as octal escapes of their cp1252 byte
            ch if ord(ch) < 128 else f"\\{ch.encode('cp1252')[0]:03o}" for ch in escaped
        )
        self.ops.append(f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({encoded}) Tj ET")

    def right(self, x1: float, top: float, text: str, size: float = 9, bold: bool = False) -> None:
        """Text that ends at `x1`: a right-aligned figure."""
        self.text(x1 - text_width(text, size), top, text, size, bold)

    def rect(self, x: float, top: float, w: float, h: float, gray: float = 0.85) -> None:
        """A filled rectangle (shading, a bar of a chart)."""
        y = HEIGHT - top - h
        self.ops.append(f"q {gray} g {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f Q")

    def line(self, x0: float, top0: float, x1: float, top1: float, width: float = 0.5) -> None:
        self.ops.append(
            f"q {width} w {x0:.2f} {HEIGHT - top0:.2f} m {x1:.2f} {HEIGHT - top1:.2f} l S Q"
        )


def build_pdf(
    pages: list[PdfPage], encrypt: bool = False, image_only: bool = False, rotate: int = 0
) -> bytes:
    """The PDF file. `encrypt` adds a standard security handler whose password nobody knows;
    `image_only` gives each page a small image and no text (a scan without a text layer);
    `rotate` sets every page's /Rotate."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    fonts = len(pages) * 2 + 3
    image = fonts + 2
    kids = []
    for page in pages:
        page_id = len(objects) + 1
        kids.append(f"{page_id} 0 R")
        ops = "\n".join(page.ops)
        if image_only:
            ops = f"q {WIDTH - 100} 0 0 {HEIGHT - 100} 50 50 cm /Im1 Do Q"
        stream = ops.encode("latin-1")
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH:.0f} {HEIGHT:.0f}] "
                f"/Rotate {rotate} "
                f"/Resources << /Font << /F1 {fonts} 0 R /F2 {fonts + 1} 0 R >> "
                f"/XObject << /Im1 {image} 0 R >> >> /Contents {page_id + 1} 0 R >>"
            ).encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    for name in ("Helvetica", "Helvetica-Bold"):
        objects.append(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} "
            "/Encoding /WinAnsiEncoding >>".encode()
        )
    pixels = bytes([0x80, 0x80, 0x80]) * 4
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream"
    )
    trailer = "/Root 1 0 R"
    if encrypt:
        secret = "<" + "7a" * 32 + ">"
        objects.append(f"<< /Filter /Standard /V 1 /R 2 /O {secret} /U {secret} /P -44 >>".encode())
        file_id = "<00112233445566778899aabbccddeeff>"
        trailer += f" /Encrypt {len(objects)} 0 R /ID [{file_id} {file_id}]"
    trailer += f" /Size {len(objects) + 1}"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
