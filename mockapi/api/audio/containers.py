"""Audio containers written by hand: WAV, raw PCM and FLAC (lossless) carry the samples; MP3,
Ogg Opus and ADTS AAC carry valid silent frames of the same duration. Every real decoder accepts them.

Samples arrive as pieces: an int is that many silent samples, bytes are 16-bit little-endian PCM.
Each encoder yields chunks of at most about ``CHUNK`` bytes, so the body streams.
"""

from __future__ import annotations

import math
import struct
from array import array
from functools import lru_cache
from typing import Iterable, Iterator

SAMPLE_RATE = 24_000  # what the real API's `pcm` is: 24 kHz, 16-bit little-endian, mono
CHUNK = 16 * 1024

MEDIA_TYPES = {"mp3": "audio/mpeg", "opus": "audio/ogg", "aac": "audio/aac", "flac": "audio/flac",
               "wav": "audio/wav", "pcm": "audio/pcm"}


def encode(fmt: str, pieces: Iterable[int | bytes], samples: int) -> Iterator[bytes]:
    """``samples`` mono 16-bit samples, given as pieces, in the container ``fmt``."""
    if fmt == "pcm":
        return _rechunk(_pcm(pieces))
    if fmt == "wav":
        return _rechunk(_wav(_pcm(pieces), samples))
    if fmt == "flac":
        return _rechunk(_flac(pieces, samples))
    silent = {"mp3": _mp3, "aac": _adts, "opus": _ogg_opus}[fmt]
    return _rechunk(silent(samples))


def _pcm(pieces: Iterable[int | bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield bytes(2 * piece) if isinstance(piece, int) else piece


def _rechunk(parts: Iterable[bytes]) -> Iterator[bytes]:
    buffer = bytearray()
    for part in parts:
        buffer += part
        while len(buffer) >= CHUNK:
            yield bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    if buffer:
        yield bytes(buffer)


def _wav(pcm: Iterable[bytes], samples: int) -> Iterator[bytes]:
    size = samples * 2
    yield b"RIFF" + struct.pack("<I", 36 + size) + b"WAVE"
    yield b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, SAMPLE_RATE, SAMPLE_RATE * 2, 2, 16)
    yield b"data" + struct.pack("<I", size)
    yield from pcm


# -- MP3: MPEG-2 Layer III, 24 kHz mono, 32 kbit/s; zero side info decodes as silence ----------
_MP3_FRAME = bytes([0xFF, 0xF3, 0x44, 0xC0]) + bytes(92)  # 72 * 32000 / 24000 = 96 bytes a frame
_MP3_SAMPLES = 576


def _mp3(samples: int) -> Iterator[bytes]:
    frames = math.ceil(samples / _MP3_SAMPLES)
    per_chunk = CHUNK // len(_MP3_FRAME)
    for start in range(0, frames, per_chunk):
        yield _MP3_FRAME * min(per_chunk, frames - start)


# -- AAC: ADTS frames of AAC-LC, 24 kHz mono; each holds one silent single-channel element --------
_AAC_SILENCE = bytes([0x01, 0x40, 0x20, 0x07])  # SCE with max_sfb 0, then END
_AAC_SAMPLES = 1024


def _adts_header(payload: int) -> bytes:
    length = 7 + payload
    bits = (0xFFF << 44) | (0 << 43) | (0 << 41) | (1 << 40) | (1 << 38) | (6 << 34) | (0 << 33) | (1 << 30)
    bits |= (length << 13) | (0x7FF << 2) | 0
    return bits.to_bytes(7, "big")


_AAC_FRAME = _adts_header(len(_AAC_SILENCE)) + _AAC_SILENCE


def _adts(samples: int) -> Iterator[bytes]:
    frames = math.ceil(samples / _AAC_SAMPLES)
    per_chunk = CHUNK // len(_AAC_FRAME)
    for start in range(0, frames, per_chunk):
        yield _AAC_FRAME * min(per_chunk, frames - start)


# -- Opus in Ogg: 20 ms CELT silence packets; the last granule position trims to the duration -----
_OPUS_SILENCE = bytes([0xF8, 0xFF, 0xFE])
_OPUS_PACKET = 960  # samples at 48 kHz
_PRE_SKIP = 312
_SERIAL = 0x6D6F636B  # "mock"
_PACKETS_PER_PAGE = 50


def _ogg_crc_table() -> list[int]:
    table = []
    for i in range(256):
        r = i << 24
        for _ in range(8):
            r = ((r << 1) ^ 0x04C11DB7) if r & 0x80000000 else (r << 1)
        table.append(r & 0xFFFFFFFF)
    return table


_OGG_CRC = _ogg_crc_table()


def _ogg_page(packets: list[bytes], granule: int, sequence: int, flags: int) -> bytes:
    lacing = bytearray()
    for packet in packets:
        lacing += b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255])
    header = b"OggS" + struct.pack("<BBqIIIB", 0, flags, granule, _SERIAL, sequence, 0, len(lacing)) + bytes(lacing)
    page = bytearray(header + b"".join(packets))
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_CRC[((crc >> 24) ^ byte) & 0xFF]
    page[22:26] = struct.pack("<I", crc)
    return bytes(page)


def _ogg_opus(samples: int) -> Iterator[bytes]:
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, _PRE_SKIP, SAMPLE_RATE, 0, 0)
    vendor = b"mockapi"
    tags = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)
    yield _ogg_page([head], 0, 0, 0x02)
    yield _ogg_page([tags], 0, 1, 0x00)
    total48 = samples * 2  # 24 kHz input, Opus counts at 48 kHz
    packets = max(1, math.ceil((total48 + _PRE_SKIP) / _OPUS_PACKET))
    sequence, done = 2, 0
    while done < packets:
        count = min(_PACKETS_PER_PAGE, packets - done)
        done += count
        last = done == packets
        granule = _PRE_SKIP + total48 if last else done * _OPUS_PACKET
        yield _ogg_page([_OPUS_SILENCE] * count, granule, sequence, 0x04 if last else 0x00)
        sequence += 1


# -- FLAC: variable-size frames, one per piece; CONSTANT subframes for silence, VERBATIM for sound ---
_MAX_BLOCK = 65535
_MIN_BLOCK = 16


def _crc_table(poly: int, width: int) -> list[int]:
    top, mask, table = 1 << (width - 1), (1 << width) - 1, []
    for i in range(256):
        r = i << (width - 8)
        for _ in range(8):
            r = ((r << 1) ^ poly) & mask if r & top else (r << 1) & mask
        table.append(r)
    return table


_CRC8, _CRC16 = _crc_table(0x07, 8), _crc_table(0x8005, 16)


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc = _CRC8[crc ^ byte]
    return crc


def _crc16(data: bytes, crc: int = 0) -> int:
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC16[(crc >> 8) ^ byte]
    return crc


@lru_cache(maxsize=64)
def _zeros(length: int) -> tuple[int, ...]:
    """CRC-16 is linear: the state after ``length`` zero bytes, as images of the 16 unit states."""
    if length == 1:
        return tuple(_crc16(b"\0", 1 << bit) for bit in range(16))
    half, odd = _zeros(length // 2), length % 2
    twice = tuple(_apply(half, _apply(half, 1 << bit)) for bit in range(16))
    return tuple(_apply(_zeros(1), v) for v in twice) if odd else twice


def _apply(images: tuple[int, ...], state: int) -> int:
    out, bit = 0, 0
    while state:
        if state & 1:
            out ^= images[bit]
        state >>= 1
        bit += 1
    return out


@lru_cache(maxsize=256)
def _verbatim(piece: bytes) -> tuple[bytes, int]:
    """A VERBATIM subframe of a PCM piece, and its CRC-16 from a zero state (reused for equal pieces)."""
    samples = array("h", piece)
    if samples.itemsize == 2 and struct.pack("=h", 1) == struct.pack("<h", 1):
        samples.byteswap()  # FLAC stores samples big-endian
    body = b"\x02" + samples.tobytes()
    return body, _crc16(body)


def _utf8_number(n: int) -> bytes:
    """FLAC's sample-number coding: UTF-8's scheme extended to 36 bits."""
    if n < 0x80:
        return bytes([n])
    length = 2
    while n >= 1 << (5 * length + 1):
        length += 1
    out = []
    for _ in range(length - 1):
        out.append(0x80 | (n & 0x3F))
        n >>= 6
    first = ((0xFF << (8 - length)) & 0xFF) | n
    return bytes([first, *reversed(out)])


def _flac_frame(first_sample: int, block: int, body: bytes, body_crc: int) -> bytes:
    header = bytes([0xFF, 0xF9, 0b0111_0111, 0b0000_1000]) + _utf8_number(first_sample) + struct.pack(">H", block - 1)
    header += bytes([_crc8(header)])
    crc = _apply(_zeros(len(body)), _crc16(header)) ^ body_crc  # the header's CRC carried through the body
    return header + body + struct.pack(">H", crc)


def _silent_blocks(count: int) -> Iterator[int]:
    parts = math.ceil(count / _MAX_BLOCK)
    for i in range(parts):
        yield count * (i + 1) // parts - count * i // parts


def _flac(pieces: Iterable[int | bytes], samples: int) -> Iterator[bytes]:
    info = struct.pack(">HH", _MIN_BLOCK, _MAX_BLOCK) + bytes(6)
    info += ((SAMPLE_RATE << 44) | (0 << 41) | (15 << 36) | samples).to_bytes(8, "big") + bytes(16)
    yield b"fLaC" + bytes([0x80]) + len(info).to_bytes(3, "big") + info
    position = 0
    for piece in pieces:
        if isinstance(piece, int):
            for block in _silent_blocks(piece):
                yield _flac_frame(position, block, b"\x00\x00\x00", 0)  # CONSTANT subframe of zeros
                position += block
            continue
        body, crc = _verbatim(piece)
        yield _flac_frame(position, len(piece) // 2, body, crc)
        position += len(piece) // 2
