"""``process_photo`` keeps the pixels, the orientation and the capture time, and nothing else."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from PIL import ExifTags, Image, PngImagePlugin

from revisio.uploads import FileKind, ProcessedPhoto, process_photo
from tests.uploads.synthetic import (
    BLUE,
    HEIF_ENCODER,
    RED,
    SRGB_ICC,
    XMP,
    encoded,
    exif,
    gradient,
    marked,
)

needs_heif_encoder = pytest.mark.skipif(not HEIF_ENCODER, reason="pillow-heif on this machine has no HEVC encoder")

METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "Comment", "Author")
# Strings the synthetic metadata carries; none may appear anywhere in what is stored.
MARKERS = (b"SyntheticMake", b"SyntheticModel", b"SyntheticAuthor", b"secret note", b"ICC_PROFILE", b"Exif\x00\x00")


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_metadata_free(data: bytes) -> None:
    image = opened(data)
    assert len(image.getexif()) == 0
    assert not set(METADATA_KEYS) & set(image.info)
    assert not getattr(image, "text", {})
    for marker in MARKERS:
        assert marker not in data


def near(pixel: object, colour: tuple[int, ...], tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_jpeg_loses_gps_device_xmp_comment_and_profile_but_keeps_capture_time() -> None:
    data = encoded(
        gradient(),
        "JPEG",
        exif=exif(original="2025:03:14 15:09:26", changed="2025:04:01 08:00:00", gps=True),
        xmp=XMP,
        comment=b"secret note",
        icc_profile=SRGB_ICC,
    )
    source = opened(data)
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (37.0, 33.0, 59.0)
    assert {"exif", "xmp", "comment", "icc_profile"} <= set(source.info)

    photo = process_photo(data)

    assert_metadata_free(photo.data)
    assert_metadata_free(photo.thumbnail)
    assert photo.taken_at == dt.datetime(2025, 3, 14, 15, 9, 26)  # noqa: DTZ001 - EXIF time is naive
    assert photo.sha256_original == hashlib.sha256(data).hexdigest()
    assert photo.sha256_stored == hashlib.sha256(photo.data).hexdigest()
    assert (photo.kind, photo.content_type, photo.extension) == (FileKind.JPEG, "image/jpeg", ".jpg")
    assert (photo.width, photo.height) == (64, 48)
    stored = opened(photo.data)
    assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (64, 48))
    assert near(stored.getpixel((60, 44)), gradient().getpixel((60, 44)), tolerance=12)  # type: ignore[arg-type]


NEW_YEAR = dt.datetime(2024, 12, 31, 23, 59, 59)  # noqa: DTZ001 - EXIF times are naive
SPRING = dt.datetime(2024, 1, 2, 3, 4, 5)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("exif_data", "expected"),
    [
        pytest.param(exif(changed="2024:12:31 23:59:59"), NEW_YEAR, id="falls-back-to-DateTime"),
        pytest.param(exif(original="0000:00:00 00:00:00", changed="2024:01:02 03:04:05"), SPRING, id="zero-original"),
        pytest.param(exif(original="2024:01:02 03:04:05\x00"), SPRING, id="nul-terminated"),
        pytest.param(exif(original="yesterday", changed="    :  :     :  :  "), None, id="unparseable"),
        pytest.param(exif(), None, id="absent"),
    ],
)
def test_taken_at(exif_data: Image.Exif, expected: dt.datetime | None) -> None:
    assert process_photo(encoded(gradient(), "JPEG", exif=exif_data)).taken_at == expected


def test_no_exif_at_all() -> None:
    assert process_photo(encoded(gradient(), "PNG")).taken_at is None


def test_orientation_6_turns_the_photo_upright() -> None:
    """Orientation 6 means "rotate 90° clockwise to display": the red top-left corner goes top right."""
    data = encoded(marked(40, 20), "JPEG", quality=95, exif=exif(orientation=6))

    photo = process_photo(data)

    assert (photo.width, photo.height) == (20, 40)
    stored = opened(photo.data)
    assert stored.size == (20, 40)
    assert near(stored.getpixel((17, 2)), RED)
    assert near(stored.getpixel((2, 2)), BLUE)
    assert near(stored.getpixel((17, 37)), BLUE)
    assert len(stored.getexif()) == 0  # no orientation left to apply a second time


# How the camera stored an upright picture for each EXIF orientation (EXIF 2.32, section 4.6.4).
STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,  # stored turned 90° counter-clockwise
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", sorted(STORED_AS))
def test_every_orientation_gives_the_upright_picture(orientation: int) -> None:
    upright = marked(40, 20)
    method = STORED_AS[orientation]
    stored = upright.transpose(method) if method is not None else upright
    data = encoded(stored, "PNG", exif=exif(orientation=orientation))

    photo = process_photo(data)

    assert opened(photo.data).tobytes() == upright.tobytes()


def test_png_loses_text_chunks_exif_and_profile_but_keeps_alpha() -> None:
    image = gradient(mode="RGBA")
    image.putalpha(Image.linear_gradient("L").resize(image.size))
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "SyntheticAuthor")
    text.add_text("Comment", "secret note", zip=True)
    text.add_itxt("XML:com.adobe.xmp", XMP.decode(), zip=False)
    data = encoded(image, "PNG", pnginfo=text, icc_profile=SRGB_ICC, exif=exif(gps=True))
    source = opened(data)
    assert {"Author", "Comment", "XML:com.adobe.xmp", "icc_profile", "exif"} <= set(source.info)

    photo = process_photo(data)

    assert_metadata_free(photo.data)
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"iCCP", b"eXIf"):
        assert chunk not in photo.data
    assert (photo.kind, photo.content_type, photo.extension) == (FileKind.PNG, "image/png", ".png")
    stored = opened(photo.data)
    assert stored.mode == "RGBA"
    assert stored.getchannel("A").tobytes() == image.getchannel("A").tobytes()
    assert near(stored.getpixel((40, 30)), image.getpixel((40, 30)), tolerance=2)  # type: ignore[arg-type]


def test_palette_png_with_a_transparent_colour_keeps_its_transparency() -> None:
    image = marked().convert("P")
    red_index = image.getpixel((0, 0))
    data = encoded(image, "PNG", transparency=red_index)

    stored = opened(process_photo(data).data)

    assert stored.mode == "RGBA"
    assert stored.getpixel((0, 0))[3] == 0  # type: ignore[index]
    assert stored.getpixel((30, 15)) == (*BLUE, 255)


def test_sixteen_bit_grey_png_is_scaled_not_clipped_to_white() -> None:
    data = encoded(Image.new("I;16", (8, 8), 0x8000), "PNG")

    stored = opened(process_photo(data).data)

    assert stored.getpixel((0, 0)) == (128, 128, 128)


@pytest.mark.parametrize("mode", ["L", "CMYK"])
def test_grey_and_cmyk_jpegs_become_rgb(mode: str) -> None:
    image = Image.new("CMYK", (32, 32), (255, 0, 0, 0)) if mode == "CMYK" else Image.new("L", (32, 32), 200)
    expected = (0, 255, 255) if mode == "CMYK" else (200, 200, 200)

    stored = opened(process_photo(encoded(image, "JPEG", quality=95)).data)

    assert stored.mode == "RGB"
    assert near(stored.getpixel((16, 16)), expected, tolerance=8)


def test_an_unusable_icc_profile_is_dropped_and_the_pixels_kept() -> None:
    image = gradient()
    data = encoded(image, "PNG", icc_profile=b"not an ICC profile at all")

    photo = process_photo(data)

    assert "icc_profile" not in opened(photo.data).info
    assert opened(photo.data).tobytes() == image.tobytes()


def test_webp_round_trip_without_metadata() -> None:
    image = gradient(mode="RGBA")
    image.putalpha(128)
    data = encoded(image, "WEBP", quality=95, exif=exif(original="2023:05:06 07:08:09", gps=True), xmp=XMP)
    assert {"exif", "xmp"} <= set(opened(data).info)

    photo = process_photo(data)

    assert (photo.kind, photo.content_type, photo.extension) == (FileKind.WEBP, "image/webp", ".webp")
    assert photo.taken_at == dt.datetime(2023, 5, 6, 7, 8, 9)  # noqa: DTZ001
    assert_metadata_free(photo.data)
    stored = opened(photo.data)
    assert (stored.format, stored.mode, stored.size) == ("WEBP", "RGBA", (64, 48))
    assert near(stored.getpixel((32, 24)), image.getpixel((32, 24)), tolerance=12)  # type: ignore[arg-type]


def test_animated_webp_keeps_only_the_first_frame() -> None:
    frames = [Image.new("RGB", (16, 16), RED), Image.new("RGB", (16, 16), BLUE)]
    data = encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    assert getattr(opened(data), "n_frames", 1) == 2

    stored = opened(process_photo(data).data)

    assert getattr(stored, "n_frames", 1) == 1
    assert near(stored.getpixel((8, 8)), RED, tolerance=8)


def test_mpo_jpeg_from_a_phone_keeps_only_the_main_picture() -> None:
    data = encoded(marked(), "MPO", save_all=True, append_images=[gradient(40, 20)])
    assert opened(data).format == "MPO"

    photo = process_photo(data)

    stored = opened(photo.data)
    assert (stored.format, getattr(stored, "n_frames", 1)) == ("JPEG", 1)
    assert "mp" not in stored.info
    assert near(stored.getpixel((2, 2)), RED)


@needs_heif_encoder
def test_heic_becomes_jpeg_without_metadata() -> None:
    # As bytes, pillow-heif turns the orientation into an irot box, which is what phones write.
    metadata = exif(original="2022:02:02 02:02:02", orientation=6, gps=True).tobytes()
    data = encoded(marked(40, 20), "HEIF", quality=95, exif=metadata)
    assert opened(data).format == "HEIF"

    photo = process_photo(data)

    assert (photo.kind, photo.content_type, photo.extension) == (FileKind.HEIC, "image/jpeg", ".jpg")
    assert photo.taken_at == dt.datetime(2022, 2, 2, 2, 2, 2)  # noqa: DTZ001
    assert_metadata_free(photo.data)
    stored = opened(photo.data)
    assert (stored.format, stored.size) == ("JPEG", (20, 40))
    assert near(stored.getpixel((17, 2)), RED, tolerance=60)
    assert near(stored.getpixel((2, 2)), BLUE, tolerance=60)


@pytest.mark.parametrize(
    ("size", "longest", "expected"),
    [
        ((1200, 600), 480, (480, 240)),
        ((300, 900), 480, (160, 480)),
        ((100, 50), 480, (100, 50)),
        ((640, 3), 64, (64, 1)),
    ],
)
def test_thumbnail_fits_the_longer_side_and_is_a_plain_jpeg(
    size: tuple[int, int], longest: int, expected: tuple[int, int]
) -> None:
    data = encoded(gradient(*size), "JPEG", exif=exif(original="2025:01:01 00:00:00", gps=True))

    photo = process_photo(data, thumbnail_size=longest)

    thumb = opened(photo.thumbnail)
    assert (photo.thumbnail_width, photo.thumbnail_height) == expected == thumb.size
    assert (thumb.format, thumb.mode) == ("JPEG", "RGB")
    assert_metadata_free(photo.thumbnail)


def test_thumbnail_of_a_transparent_png_is_flattened_on_white() -> None:
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))

    photo = process_photo(encoded(image, "PNG"), thumbnail_size=50)

    assert opened(photo.thumbnail).getpixel((25, 25)) == (255, 255, 255)
    assert opened(photo.data).getpixel((25, 25)) == (0, 0, 0, 0)


def test_processing_is_deterministic() -> None:
    data = encoded(gradient(), "JPEG", exif=exif(original="2025:03:14 15:09:26"))
    first: ProcessedPhoto = process_photo(data)
    assert process_photo(data) == first


def test_limits_must_be_positive() -> None:
    data = encoded(gradient(), "PNG")
    for limits in ({"thumbnail_size": 0}, {"max_pixels": 0}, {"max_bytes": 0}):
        with pytest.raises(ValueError, match="must be positive"):
            process_photo(data, **limits)
