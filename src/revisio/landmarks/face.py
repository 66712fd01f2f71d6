"""Facial landmarks from a frontal photo with MediaPipe Face Mesh (468 points + 10 refined iris points).

Left and right are the **patient's own**. MediaPipe numbers the mesh from the subject's point of
view, and this was checked on matplotlib's ``grace_hopper.jpg`` (a frontal, non-mirrored portrait):
iris centre 468 lies at image x = 222.6 px and 473 at x = 306.2 px, so **468 is the patient's
right eye and 473 the patient's left**, and the same holds for every mesh region MediaPipe calls
"right" (33, 133, 61, 70-107, ...). The model decides by where things are in the image, not by
anatomy it could know: on the mirrored photo 468 is again the eye with the smaller x, so a mirrored
selfie swaps left and right. Take photos with the rear camera or turn mirroring off.

Four inferences per photo (about 20 ms on one core), because a single one is biased in two ways:

1. the photo and its mirror image; each point is averaged with its mirror partner's estimate
   (``mirror_averaged``), against the model's left/right bias. This gives the midline points
   (nasal tip, chin) and the pupils.
2. one chimeric face per side (``revisio.landmarks.chimera``); every bilateral point comes from
   the chimera of its own half, against the model coupling the two sides (a change on one side
   leaking into the other's landmarks).

Mirror partners were checked on the same photo: each point of the mirrored photo's mesh, mapped
back, lands within 0.4-5 px of its partner in the original's mesh. Index meanings follow
MediaPipe's ``FACEMESH_*`` connection sets and the TensorFlow.js face-mesh keypoint annotations
(``noseTip: [1]``). Limits: glasses (their frames are taken for brows), fringes over the brows,
a turned or tilted-back head, and a mouth that is not at rest all move the landmarks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from revisio.landmarks.chimera import Chimeras, make_chimeras
from revisio.landmarks.errors import DetectionCode, DetectionError
from revisio.landmarks.models import Model, infer
from revisio.measure import FaceLandmarks, Point

# Iris centres and the iris points at the horizontal extremes (for 468: 469 on the image's right,
# 471 on its left; 470/472 are the top and bottom, which lids often cover).
IRIS_RIGHT, IRIS_RIGHT_EDGES = 468, (469, 471)
IRIS_LEFT, IRIS_LEFT_EDGES = 473, (474, 476)
# Upper edge of each brow, lateral to medial.
BROW_RIGHT = (70, 63, 105, 66, 107)
BROW_LEFT = (300, 293, 334, 296, 336)
# Lid margins from the outer to the inner eye corner (33/133 right, 263/362 left).
UPPER_LID_RIGHT = (33, 246, 161, 160, 159, 158, 157, 173, 133)
LOWER_LID_RIGHT = (33, 7, 163, 144, 145, 153, 154, 155, 133)
UPPER_LID_LEFT = (263, 466, 388, 387, 386, 385, 384, 398, 362)
LOWER_LID_LEFT = (263, 249, 390, 373, 374, 380, 381, 382, 362)
MOUTH_CORNER_RIGHT, MOUTH_CORNER_LEFT = 61, 291
NASAL_TIP, CHIN = 1, 152
# Further mirrored points for the asymmetry index, (patient's left, patient's right): face contour
# at ear level, jaw angle, two lower-jaw points, alar base, cheekbone. The first pair is also used
# to notice a turned head.
PAIRS = ((454, 234), (397, 172), (288, 58), (365, 136), (358, 129), (280, 50))

#: Narrowest usable iris, in pixels: below this one pixel is over 1.5 mm.
MIN_IRIS_PX = 8.0
#: Imbalance of the two contour-to-nose distances above which the head is called turned.
TURN_LIMIT = 0.15


# Mirror partners, (patient's right, patient's left), of every point used: the face mesh is
# symmetric, so the point a mirrored photo puts at index ``right`` is the original's ``left``.
# For the iris edges the image-right edge of one iris is the image-left edge of the other.
_MIRROR_PAIRS = (
    (IRIS_RIGHT, IRIS_LEFT),
    (469, 476),
    (471, 474),
    *zip(BROW_RIGHT, BROW_LEFT, strict=True),
    *zip(UPPER_LID_RIGHT, UPPER_LID_LEFT, strict=True),
    *zip(LOWER_LID_RIGHT, LOWER_LID_LEFT, strict=True),
    (MOUTH_CORNER_RIGHT, MOUTH_CORNER_LEFT),
    *((right, left) for left, right in PAIRS),
)
MIRROR = {**dict(_MIRROR_PAIRS), **{left: right for right, left in _MIRROR_PAIRS}, NASAL_TIP: NASAL_TIP, CHIN: CHIN}
MESH_SIZE = 478
# The same as index arrays, for vectorised averaging; _BILATERAL leaves out the midline points.
_USED = np.array(sorted(MIRROR))
_PARTNERS = np.array([MIRROR[index] for index in _USED])
_BILATERAL = np.array([index for index in _USED if MIRROR[index] != index])
_BILATERAL_PARTNERS = np.array([MIRROR[index] for index in _BILATERAL])
_RIGHT_LABELLED = np.isin(_BILATERAL, [right for right, _ in _MIRROR_PAIRS])  # MediaPipe's "right" (468 side)

_ONE_PASS = "landmarks come from one pass only (the mirrored photo showed no face): check them by eye"
_NO_CHIMERA = (
    "a one-sided view of the face showed no face, so the two sides' landmarks are coupled: "
    "a change on one side may show on both; check them by eye"
)


@dataclass(frozen=True)
class FaceDetection:
    landmarks: FaceLandmarks
    warnings: tuple[str, ...]


def _single_face(rgb: NDArray[np.uint8]) -> Any | None:
    """MediaPipe's landmark list of the only face in ``rgb``, None if there is none; raises for several."""
    faces = infer(Model.FACE_MESH, rgb).multi_face_landmarks or []
    if len(faces) > 1:
        raise DetectionError(
            DetectionCode.SEVERAL_FACES,
            "more than one face in the photo: take it again with one face only, or crop it to the patient's face",
        )
    return faces[0].landmark if faces else None


def _pixels(landmarks: Any, width: int, height: int) -> NDArray[np.float64]:
    """A ``(478, 2)`` array of image pixels holding the points used (NaN elsewhere: reading all 478
    protobuf points would cost a tenth of an inference)."""
    mesh = np.full((MESH_SIZE, 2), np.nan)
    mesh[_USED] = [(landmarks[index].x * width, landmarks[index].y * height) for index in _USED]
    return mesh


def mirror(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """``rgb`` flipped left to right (cv2.flip: 30 times faster than copying a numpy ``[:, ::-1]`` view)."""
    import cv2

    return np.asarray(cv2.flip(rgb, 1), dtype=np.uint8)


def _no_face() -> DetectionError:
    return DetectionError(
        DetectionCode.NO_FACE,
        "no face found: take the photo from the front, face straight on and filling most of the frame, "
        "eyes open and not covered, in even light",
    )


def mirror_averaged(rgb: NDArray[np.uint8]) -> tuple[NDArray[np.float64], bool]:
    """The used mesh points (image pixels, NaN for unused indices) averaged over the photo and its
    mirror image, and True; or the photo's own points and False when the mirror image shows no
    face. Raises ``DetectionError`` ``no-face`` or ``several-faces``.

    Face Mesh is not mirror-equivariant: on ``grace_hopper.jpg`` the mirrored photo's landmarks,
    mapped back, differ by up to 4 px and its iris width by 5 %, which on a single pass reads as up
    to 3.3 mm of left/right difference that is the model's, not the face's. Averaging each point
    with its partner's estimate on the mirror image cancels that bias.
    """
    height, width = rgb.shape[:2]
    found = _single_face(rgb)
    if found is None:
        raise _no_face()
    mesh = _pixels(found, width, height)
    mirrored_found = _single_face(mirror(rgb))
    if mirrored_found is None:
        return mesh, False
    mirrored = _pixels(mirrored_found, width, height)
    mirrored[:, 0] = width - mirrored[:, 0]  # back into the photo's columns (x measured from the left edge)
    averaged = mesh.copy()
    averaged[_USED] = (mesh[_USED] + mirrored[_PARTNERS]) / 2
    return averaged, True


def _side_from_chimera(
    chimera: NDArray[np.uint8], chimeras: Chimeras, mesh: NDArray[np.float64], on_image_left: bool
) -> bool:
    """Overwrite, in ``mesh``, the bilateral points of one half of the photo with their estimates
    from that half's chimera; False (and ``mesh`` untouched) when the chimera shows no face."""
    faces = infer(Model.FACE_MESH, chimera).multi_face_landmarks or []
    if len(faces) != 1:
        return False
    points = _pixels(faces[0].landmark, chimera.shape[1], chimera.shape[0])
    seam = chimeras.half
    # This half's points, by label: MediaPipe puts its "right" points on the side of iris 468, which
    # is safer than comparing each point with the midline in a tilted photo (the alar base is only
    # ~12 px from it). For each, the chimera's two estimates: on the photo's own half and on its
    # mirrored copy, reflected back across the seam. The chimera is level, so there the halves are
    # told apart by position.
    right_on_image_left = bool(mesh[IRIS_RIGHT, 0] < mesh[IRIS_LEFT, 0])
    mine = (right_on_image_left == on_image_left) == _RIGHT_LABELLED
    indices, partners = _BILATERAL[mine], _BILATERAL_PARTNERS[mine]
    first, second = points[indices], points[partners]
    first_is_own = ((first[:, 0] < seam) == on_image_left)[:, None]
    own, copy = np.where(first_is_own, first, second), np.where(first_is_own, second, first)
    copy[:, 0] = 2 * seam - copy[:, 0]
    mesh[indices] = chimeras.back((own + copy) / 2)
    return True


@dataclass(frozen=True)
class Mesh:
    """The used mesh points in image pixels (``(478, 2)``, NaN for unused indices), the iris
    diameter in pixels, and warnings about passes that found no face and were left out."""

    points: NDArray[np.float64]
    iris_px: float
    warnings: tuple[str, ...]


def iris_width(points: NDArray[np.float64]) -> float:
    """Mean horizontal diameter of the two irises (pixels), from their outermost refined points."""
    left = np.linalg.norm(points[IRIS_LEFT_EDGES[0]] - points[IRIS_LEFT_EDGES[1]])
    right = np.linalg.norm(points[IRIS_RIGHT_EDGES[0]] - points[IRIS_RIGHT_EDGES[1]])
    return float(left + right) / 2


def mesh_points(rgb: NDArray[np.uint8]) -> Mesh:
    """The mesh from the four passes described in the module docstring.

    The iris diameter is the mean of the mirror-averaged and the chimera estimates: over eleven
    scaled and shifted copies of ``grace_hopper.jpg`` it varied by 0.8 % (coefficient of
    variation), against 1.0 % and 1.1 % for either alone. Raises ``DetectionError`` ``no-face``
    or ``several-faces``.
    """
    averaged, both = mirror_averaged(rgb)
    if not both:
        return Mesh(averaged, iris_width(averaged), (_ONE_PASS,))
    mesh = averaged.copy()
    pupil_left = (float(mesh[IRIS_LEFT, 0]), float(mesh[IRIS_LEFT, 1]))
    pupil_right = (float(mesh[IRIS_RIGHT, 0]), float(mesh[IRIS_RIGHT, 1]))
    used = mesh[~np.isnan(mesh[:, 0])]
    chimeras = make_chimeras(rgb, pupil_left, pupil_right, used)
    left_ok = _side_from_chimera(chimeras.image_left, chimeras, mesh, on_image_left=True)
    right_ok = _side_from_chimera(chimeras.image_right, chimeras, mesh, on_image_left=False)
    if not (left_ok and right_ok):
        # Never mix a chimera side with a coupled one: both sides must come from the same method.
        return Mesh(averaged, iris_width(averaged), (_NO_CHIMERA,))
    return Mesh(mesh, (iris_width(averaged) + iris_width(mesh)) / 2, ())


def find_face(rgb: NDArray[np.uint8]) -> FaceDetection:
    """Named landmarks (image pixels, patient's left and right) and any warnings about the pose.

    Raises ``DetectionError``: ``no-face``, ``several-faces``, or ``too-small`` when the iris is
    under ``MIN_IRIS_PX`` (8 px) wide.
    """
    mesh = mesh_points(rgb)
    points = mesh.points

    def point(index: int) -> Point:
        return (float(points[index, 0]), float(points[index, 1]))

    def line(indices: tuple[int, ...]) -> list[Point]:
        return [point(i) for i in indices]

    if mesh.iris_px < MIN_IRIS_PX:
        raise DetectionError(
            DetectionCode.TOO_SMALL,
            f"the eyes are too small in the photo (iris {mesh.iris_px:.1f} px wide, at least {MIN_IRIS_PX:.0f} "
            "needed): take the photo closer, with the face filling most of the frame",
        )
    landmarks = FaceLandmarks(
        pupil_left=point(IRIS_LEFT),
        pupil_right=point(IRIS_RIGHT),
        iris_diameter_px=mesh.iris_px,
        brow_left=line(BROW_LEFT),
        brow_right=line(BROW_RIGHT),
        upper_lid_left=line(UPPER_LID_LEFT),
        upper_lid_right=line(UPPER_LID_RIGHT),
        lower_lid_left=line(LOWER_LID_LEFT),
        lower_lid_right=line(LOWER_LID_RIGHT),
        mouth_corner_left=point(MOUTH_CORNER_LEFT),
        mouth_corner_right=point(MOUTH_CORNER_RIGHT),
        nasal_tip=point(NASAL_TIP),
        chin=point(CHIN),
        pairs=tuple((point(left), point(right)) for left, right in PAIRS),
    )
    return FaceDetection(landmarks, (*mesh.warnings, *_pose_warnings(points)))


def detect_face(rgb: NDArray[np.uint8]) -> FaceLandmarks:
    """Named facial landmarks of the only face in ``rgb`` (see ``find_face``)."""
    return find_face(rgb).landmarks


def _pose_warnings(mesh: NDArray[np.float64]) -> tuple[str, ...]:
    """A turned head shortens one side of the face in the photo and biases every left/right metric."""
    contour_left, contour_right = mesh[PAIRS[0][0]], mesh[PAIRS[0][1]]
    tip = mesh[NASAL_TIP]
    to_left, to_right = float(np.linalg.norm(contour_left - tip)), float(np.linalg.norm(contour_right - tip))
    imbalance = abs(to_left - to_right) / (to_left + to_right)
    if imbalance > TURN_LIMIT:
        return (
            f"the head looks turned to one side ({imbalance:.0%} imbalance): left/right metrics are biased; "
            "take the photo straight from the front",
        )
    return ()
