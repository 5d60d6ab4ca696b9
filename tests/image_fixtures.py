"""Real photos for the image tests, made with Pillow: a large JPEG, one rotated by its EXIF
orientation, one carrying GPS coordinates, a CMYK JPEG and a PNG with alpha."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width: int, height: int, *, marker: bool = False) -> Image.Image:
    """A smooth colour picture (compresses like a photo); `marker`: a red square at the
    top left corner, to see where orientation put it."""
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.radial_gradient("L").resize((width, height))
    blue = red.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    im = Image.merge("RGB", (red, green, blue))
    if marker:
        ImageDraw.Draw(im).rectangle((0, 0, width // 8, height // 8), fill=(255, 0, 0))
    return im


def jpeg_bytes(im: Image.Image, **params: object) -> bytes:
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, **params)
    return out.getvalue()


def large_jpeg() -> bytes:
    return jpeg_bytes(photo(3000, 2000))


def rotated_jpeg() -> bytes:
    """Stored 1600 x 1000 with the marker top left; EXIF orientation 6 says: turn it 90
    degrees clockwise to show it, so it shows 1000 x 1600 with the marker top right."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    return jpeg_bytes(photo(1600, 1000, marker=True), exif=exif.tobytes())


def gps_jpeg() -> bytes:
    """A photographer's file: camera make, and where it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "Spyglass Camera Co"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (35.0, 41.0, 22.0)
    gps[3] = "E"
    gps[4] = (51.0, 23.0, 20.0)
    return jpeg_bytes(photo(2000, 1500), exif=exif.tobytes())


def cmyk_jpeg() -> bytes:
    """Pure cyan on the left half, pure yellow on the right, in CMYK."""
    im = Image.new("CMYK", (1800, 1200), (255, 0, 0, 0))
    ImageDraw.Draw(im).rectangle((900, 0, 1800, 1200), fill=(0, 0, 255, 0))
    return jpeg_bytes(im)


def alpha_png() -> bytes:
    """1400 x 900, its right half transparent."""
    im = photo(1400, 900).convert("RGBA")
    ImageDraw.Draw(im).rectangle((700, 0, 1400, 900), fill=(0, 0, 0, 0))
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()
