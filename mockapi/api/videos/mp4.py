"""A minimal MP4 (ISO BMFF) muxer: one Motion-JPEG video track, constant frame rate, no audio.

Just the boxes a player needs (``ftyp``, ``mdat``, then ``moov`` with one ``trak``); ffmpeg maps
the ``jpeg`` sample entry to its MJPEG decoder. Box layouts follow ISO/IEC 14496-12 (§4.3 ftyp,
§8.2.2 mvhd, §8.3.2 tkhd, §8.4.2 mdhd, §8.4.3 hdlr, §8.5.2 VisualSampleEntry, §8.6.1.2 stts,
§8.7.3 stsz, §8.7.4 stsc, §8.7.5 stco).
"""

from __future__ import annotations

import struct
from typing import Sequence

_MATRIX = struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)  # identity
_LANGUAGE_UND = 0x55C4  # "und" packed as three 5-bit letters


def _box(kind: bytes, *payload: bytes) -> bytes:
    body = b"".join(payload)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full_box(kind: bytes, version: int, flags: int, *payload: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *payload)


def _sample_entry(width: int, height: int) -> bytes:
    compressor = b"Photo - JPEG"
    return _box(
        b"jpeg",
        b"\x00" * 6, struct.pack(">H", 1),  # reserved, data_reference_index
        b"\x00" * 16,  # pre_defined and reserved
        struct.pack(">HHIIIH", width, height, 0x00480000, 0x00480000, 0, 1),  # 72 dpi, one frame per sample
        bytes([len(compressor)]) + compressor.ljust(31, b"\x00"),
        struct.pack(">Hh", 0x0018, -1),  # depth 24, pre_defined
    )


def _sample_table(width: int, height: int, frame_ticks: int, sizes: Sequence[int], offsets: Sequence[int]) -> bytes:
    count = len(sizes)
    return _box(
        b"stbl",
        _full_box(b"stsd", 0, 0, struct.pack(">I", 1), _sample_entry(width, height)),
        _full_box(b"stts", 0, 0, struct.pack(">III", 1, count, frame_ticks)),
        _full_box(b"stss", 0, 0, struct.pack(">I", count), b"".join(struct.pack(">I", i + 1) for i in range(count))),
        _full_box(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, 1, 1)),  # one sample per chunk
        _full_box(b"stsz", 0, 0, struct.pack(">II", 0, count), b"".join(struct.pack(">I", s) for s in sizes)),
        _full_box(b"stco", 0, 0, struct.pack(">I", count), b"".join(struct.pack(">I", o) for o in offsets)),
    )


def mux_mjpeg(frames: Sequence[bytes], width: int, height: int, fps: int) -> bytes:
    """An MP4 file playing ``frames`` (each a complete JPEG) at ``fps`` frames per second."""
    if not frames or fps <= 0:
        raise ValueError("an MP4 needs at least one frame and a positive frame rate")
    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 512), b"isom", b"iso2", b"mp41")
    mdat = _box(b"mdat", *frames)
    offsets, position = [], len(ftyp) + 8
    for frame in frames:
        offsets.append(position)
        position += len(frame)
    timescale, frame_ticks = fps * 1000, 1000  # media time: one tick per millisecond of a frame at 1 fps
    media_duration = frame_ticks * len(frames)
    movie_timescale = 1000
    movie_duration = len(frames) * 1000 // fps
    mvhd = _full_box(b"mvhd", 0, 0, struct.pack(">IIII", 0, 0, movie_timescale, movie_duration),
                     struct.pack(">IH", 0x00010000, 0x0100), b"\x00" * 10, _MATRIX, b"\x00" * 24, struct.pack(">I", 2))
    tkhd = _full_box(b"tkhd", 0, 0x3, struct.pack(">IIIII", 0, 0, 1, 0, movie_duration), b"\x00" * 8,
                     struct.pack(">hhhH", 0, 0, 0, 0), _MATRIX, struct.pack(">II", width << 16, height << 16))
    mdhd = _full_box(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, timescale, media_duration, _LANGUAGE_UND, 0))
    hdlr = _full_box(b"hdlr", 0, 0, struct.pack(">I", 0), b"vide", b"\x00" * 12, b"VideoHandler\x00")
    dinf = _box(b"dinf", _full_box(b"dref", 0, 0, struct.pack(">I", 1), _full_box(b"url ", 0, 1)))
    minf = _box(b"minf", _full_box(b"vmhd", 0, 1, b"\x00" * 8), dinf,
                _sample_table(width, height, frame_ticks, [len(f) for f in frames], offsets))
    trak = _box(b"trak", tkhd, _box(b"mdia", mdhd, hdlr, minf))
    return ftyp + mdat + _box(b"moov", mvhd, trak)
