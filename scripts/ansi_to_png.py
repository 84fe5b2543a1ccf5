#!/usr/bin/env python3
"""Render a terminal capture with ANSI colours (`tmux capture-pane -e -p`)
to a PNG, cell by cell, in a monospace TrueType font.

    ansi_to_png.py CAPTURE.ans OUT.png --cols 140 --rows 36 [--font FILE] [--size 15]

Honours SGR: reset, bold, dim, italic (drawn upright), underline, reverse,
16 colours (30-37, 90-97, 40-47, 100-107), 256 colours (38;5;n / 48;5;n)
and truecolour (38;2;r;g;b / 48;2;r;g;b), with ';' or ':' separators.
Wide characters (East Asian wide/full) take two cells.
"""

import argparse
import os
import re
import subprocess
import sys
import unicodedata

try:
    from PIL import Image, ImageDraw, ImageFont
except ImportError:  # the caller (screenshots.sh) installs Pillow first
    sys.exit("ansi_to_png.py: Pillow is missing: python3 -m pip install --user Pillow")

DEFAULT_FG = (204, 204, 204)
DEFAULT_BG = (24, 24, 24)
# The 16 base colours (a common xterm-like scheme).
BASE16 = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
    (36, 114, 200), (188, 63, 188), (17, 168, 205), (204, 204, 204),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
    (59, 142, 234), (214, 112, 214), (41, 184, 219), (242, 242, 242),
]


def xterm256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


class Pen:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.underline = self.reverse = False

    def colours(self):
        fg = self.fg or DEFAULT_FG
        bg = self.bg or DEFAULT_BG
        if self.reverse:
            fg, bg = bg, fg
        if self.dim:
            fg = tuple((f + b) // 2 for f, b in zip(fg, bg))
        return fg, bg

    def apply(self, params):
        groups = params.split(";") if params else ["0"]
        i = 0
        while i < len(groups):
            group = groups[i]
            i += 1
            if ":" in group:  # self-contained: 38:2::r:g:b, 38:5:n, 4:3
                sub = group.split(":")
                code = num(sub[0])
                if code in (38, 48):
                    self.set_colour(code, colon_colour(sub[1:]))
                elif code == 4:
                    self.underline = num(sub[1]) != 0
                continue
            code = num(group)
            if code in (38, 48):
                mode = num(groups[i]) if i < len(groups) else -1
                if mode == 5 and i + 1 < len(groups):
                    self.set_colour(code, xterm256(num(groups[i + 1]) % 256))
                    i += 2
                elif mode == 2 and i + 3 < len(groups):
                    self.set_colour(code, tuple(num(v) % 256 for v in groups[i + 1:i + 4]))
                    i += 4
                continue
            self.simple(code)

    def set_colour(self, code, colour):
        if colour is None:
            return
        if code == 38:
            self.fg = colour
        else:
            self.bg = colour

    def simple(self, c):
        if c == 0:
            self.reset()
        elif c == 1:
            self.bold = True
        elif c == 2:
            self.dim = True
        elif c == 4:
            self.underline = True
        elif c == 7:
            self.reverse = True
        elif c == 22:
            self.bold = self.dim = False
        elif c == 24:
            self.underline = False
        elif c == 27:
            self.reverse = False
        elif 30 <= c <= 37:
            self.fg = BASE16[c - 30]
        elif c == 39:
            self.fg = None
        elif 40 <= c <= 47:
            self.bg = BASE16[c - 40]
        elif c == 49:
            self.bg = None
        elif 90 <= c <= 97:
            self.fg = BASE16[c - 90 + 8]
        elif 100 <= c <= 107:
            self.bg = BASE16[c - 100 + 8]


def num(s):
    return int(s) if s.isdigit() else 0


def colon_colour(sub):
    """Colour from the ':' form after 38/48: ['5', n] or ['2', cs?, r, g, b]."""
    if len(sub) >= 2 and sub[0] == "5":
        return xterm256(num(sub[1]) % 256)
    if sub and sub[0] == "2":
        vals = sub[1:]
        vals = vals[-3:] if len(vals) == 4 else vals[:3]
        if len(vals) == 3:
            return tuple(num(v) % 256 for v in vals)
    return None


SGR = re.compile(r"\x1b\[([0-9;:]*)m|\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b\][^\x07]*\x07")


def parse(text, cols, rows):
    """Grid of cells (char, fg, bg, bold, underline) from ANSI text."""
    grid = [[(" ", DEFAULT_FG, DEFAULT_BG, False, False) for _ in range(cols)] for _ in range(rows)]
    pen = Pen()
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        pos = 0
        for m in SGR.finditer(line):
            x = put(grid[y], x, line[pos:m.start()], pen, cols)
            if m.group(1) is not None:
                pen.apply(m.group(1))
            pos = m.end()
        put(grid[y], x, line[pos:], pen, cols)
    return grid


def put(row, x, text, pen, cols):
    for ch in text:
        if ch == "\r" or x >= cols:
            continue
        fg, bg = pen.colours()
        width = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        row[x] = (ch, fg, bg, pen.bold, pen.underline)
        if width == 2 and x + 1 < cols:
            row[x + 1] = ("", fg, bg, pen.bold, pen.underline)
        x += width
    return x


def find_font(explicit):
    if explicit:
        return explicit
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", "monospace"], capture_output=True, text=True, check=False)
        if out.stdout and os.path.exists(out.stdout):
            return out.stdout
    except FileNotFoundError:
        pass
    for p in ["/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"]:
        if os.path.exists(p):
            return p
    sys.exit("ansi_to_png.py: no monospace TTF found (apt-get install -y fonts-dejavu-core)")


def bold_variant(path):
    for cand in (path.replace(".ttf", "-Bold.ttf"), path.replace("Regular", "Bold")):
        if cand != path and os.path.exists(cand):
            return cand
    return path


def render(grid, font_path, size, out):
    regular = ImageFont.truetype(font_path, size)
    bold = ImageFont.truetype(bold_variant(font_path), size)
    ascent, descent = regular.getmetrics()
    cw = round(regular.getlength("M"))
    ch = ascent + descent + 2
    pad = 8
    rows, cols = len(grid), len(grid[0])
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * ch + 2 * pad), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(grid):
        for x, (char, fg, bg, is_bold, underline) in enumerate(row):
            left, top = pad + x * cw, pad + y * ch
            if bg != DEFAULT_BG:
                draw.rectangle([left, top, left + cw - 1, top + ch - 1], fill=bg)
            if char.strip():
                draw.text((left, top + 1), char, font=bold if is_bold else regular, fill=fg)
            if underline and char:
                draw.line([left, top + ch - 2, left + cw - 1, top + ch - 2], fill=fg)
    img.save(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("capture")
    ap.add_argument("out")
    ap.add_argument("--cols", type=int, default=140)
    ap.add_argument("--rows", type=int, default=36)
    ap.add_argument("--font")
    ap.add_argument("--size", type=int, default=15)
    args = ap.parse_args()
    with open(args.capture, encoding="utf-8", errors="replace") as f:
        text = f.read()
    grid = parse(text, args.cols, args.rows)
    render(grid, find_font(args.font), args.size, args.out)


if __name__ == "__main__":
    main()
