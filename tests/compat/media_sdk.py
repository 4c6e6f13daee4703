"""Embeddings, audio and images through whichever openai SDK this interpreter has, against OPENAI_BASE_URL.

Prints one line per check and exits non-zero on the first failure. Needs only the SDK (PNG rows
are inflated with zlib; audio goes to ffprobe when it is installed).
"""

import base64
import json
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import openai

client = openai.OpenAI(max_retries=0)


def check(name, ok):
    print(("ok   " if ok else "FAIL ") + name, flush=True)
    if not ok:
        sys.exit(1)


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def png_size(data):
    """Width and height of a PNG, after inflating every row (a broken stream fails)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, color = struct.unpack(">IIBB", data[16:26])
    at, idat = 8, b""
    while at < len(data):
        length = struct.unpack(">I", data[at:at + 4])[0]
        kind = data[at + 4:at + 8]
        if kind == b"IDAT":
            idat += data[at + 8:at + 8 + length]
        at += 12 + length
    channels = {2: 3, 6: 4}[color]
    assert len(zlib.decompress(idat)) == height * (1 + width * channels * depth // 8)
    return width, height


def probe(data, suffix):
    if shutil.which("ffprobe") is None:
        return "skipped"
    with tempfile.NamedTemporaryFile(suffix=suffix) as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "json", f.name],
                             capture_output=True, text=True)
    return json.loads(out.stdout or "{}").get("streams", [{}])[0].get("codec_name")


docs = ["Machine learning is a subset of AI", "Deep learning uses neural networks", "Python is a programming language"]
vectors = [d.embedding for d in client.embeddings.create(model="text-embedding-3-small", input=docs).data]
query = client.embeddings.create(model="text-embedding-3-small", input="What is machine learning?").data[0].embedding
scores = [cosine(query, v) for v in vectors]
check("embeddings semantic search", scores.index(max(scores)) == 0 and len(query) == 1536)
raw = client.embeddings.create(model="text-embedding-3-small", input="hi", encoding_format="base64").data[0].embedding
floats = client.embeddings.create(model="text-embedding-3-small", input="hi", encoding_format="float").data[0].embedding
decoded = raw if isinstance(raw, list) else list(struct.unpack("<1536f", base64.b64decode(raw)))
check("embeddings base64 equals float", decoded == floats)
short = client.embeddings.create(model="text-embedding-3-large", input="x", dimensions=256).data[0].embedding
check("embeddings dimensions", len(short) == 256)

for fmt, codec in [("mp3", "mp3"), ("opus", "opus"), ("aac", "aac"), ("flac", "flac"), ("wav", "pcm_s16le")]:
    with client.audio.speech.with_streaming_response.create(model="tts-1", voice="alloy", input="Hello there, world.",
                                                            response_format=fmt) as response:
        data = b"".join(response.iter_bytes())
    check(f"speech {fmt} decodes", probe(data, "." + fmt) in (codec, "skipped") and len(data) > 0)
wav = client.audio.speech.create(model="tts-1", voice="alloy", input="Hello there, world. " * 3, response_format="wav").content
text = client.audio.transcriptions.create(model="whisper-1", file=("a.wav", wav), response_format="text")
verbose = client.audio.transcriptions.create(model="whisper-1", file=("a.wav", wav), response_format="verbose_json",
                                             timestamp_granularities=["word"])
check("transcription text and verbose agree", text.strip() == verbose.text and bool(verbose.words))
srt = client.audio.transcriptions.create(model="whisper-1", file=("a.wav", wav), response_format="srt")
check("transcription srt", srt.startswith("1\n00:00:00,000 --> "))
try:
    client.audio.transcriptions.create(model="whisper-1", file=("a.wav", wav), timestamp_granularities=["word"])
    check("granularities need verbose_json", False)
except openai.BadRequestError as e:
    check("granularities need verbose_json", e.body["param"] == "timestamp_granularities")

image = client.images.generate(model="dall-e-3", prompt="A sunset", size="1792x1024").data[0]
check("image url resolves", png_size(client._client.get(image.url).content) == (1792, 1024) and bool(image.revised_prompt))
b64 = client.images.generate(model="dall-e-2", prompt="A sunset", size="256x256", response_format="b64_json").data[0]
check("image b64_json", png_size(base64.b64decode(b64.b64_json)) == (256, 256))
square = base64.b64decode(b64.b64_json)
variation = client.images.create_variation(image=("in.png", square), n=2, size="512x512", response_format="b64_json")
check("image variation", [png_size(base64.b64decode(d.b64_json)) for d in variation.data] == [(512, 512)] * 2)
edit = client.images.edit(model="gpt-image-1.5", image=("in.png", square), prompt="Add a moon")
check("image edit", png_size(base64.b64decode(edit.data[0].b64_json)) == (256, 256))
try:
    client.images.generate(model="dall-e-3", prompt="x", n=2)
    check("dall-e-3 n=2 is 400", False)
except openai.BadRequestError as e:
    check("dall-e-3 n=2 is 400", e.body["message"] == "You must provide n=1 for this model.")
print("openai", openai.__version__, "media ok")
