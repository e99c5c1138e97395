"""Make the video library's sample videos from their content files.

    .venv/bin/python scripts/make_sample_videos.py [content/videos/NAME.md ...]

Needs ffmpeg and espeak-ng (Debian: apt-get install ffmpeg espeak-ng fonts-dejavu-core).
The results are committed, so neither the site nor its tests need these tools.

For every content file marked `is_sample: true` (or the files named), the transcript
(the file's body) is the script: each `### Heading` starts a slide that shows the
heading, and the narration reads the heading and then the paragraphs under it. The
captions are cut from the same sentences with the narration's own timings. So the
transcript, the captions and what is said always match. The script writes the files
named by `video_file` (MP4: H.264 and AAC, which every browser plays), `captions`
(WebVTT) and `thumbnail` (the first slide, PNG), and sets `duration` in the file.
"""

import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import wave
from pathlib import Path

import frontmatter
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "videos"

WIDTH, HEIGHT = 640, 360
BACKGROUND = "#f2f6f7"
INK = "#1b1f23"
BRAND = "#0b5563"
MUTED = "#4a5560"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FOOTER = "Sample video made by our website team"

VOICE = ["-v", "en-us", "-s", "165"]  # espeak-ng: American English, a calm pace
LEAD_IN, BETWEEN_SENTENCES, BETWEEN_SLIDES, TAIL = 0.4, 0.3, 0.7, 0.8  # seconds
CAPTION_LINE = 40  # characters per caption line, at most two lines per cue

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def slides_from(transcript):
    """[(heading, [sentence, ...])] from a transcript made of ### sections."""
    slides = []
    for block in re.split(r"^### ", transcript.strip(), flags=re.MULTILINE):
        if not block.strip():
            continue
        heading, _, text = block.partition("\n")
        sentences = [heading.strip() + "."]
        sentences += [s for s in SENTENCE_END.split(" ".join(text.split())) if s]
        slides.append((heading.strip(), sentences))
    if not slides:
        raise SystemExit("The transcript needs at least one '### Heading' section.")
    return slides


def draw_slide(path, heading, title_slide, top=None):
    """A slide: the heading on a plain background. `top` places the text higher (the
    thumbnail's middle is under the page's Play button)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 14], fill=BRAND)
    size = 40 if title_slide else 36
    font = ImageFont.truetype(FONT_BOLD, size)
    lines = textwrap.wrap(heading, width=24 if title_slide else 26)
    line_height = int(size * 1.3)
    if top is None:
        top = (HEIGHT - line_height * len(lines)) // 2 - 10
    for number, line in enumerate(lines):
        left = (WIDTH - draw.textlength(line, font=font)) // 2
        draw.text((left, top + number * line_height), line, font=font, fill=INK)
    small = ImageFont.truetype(FONT, 17)
    left = (WIDTH - draw.textlength(FOOTER, font=small)) // 2
    draw.text((left, 26), FOOTER, font=small, fill=MUTED)  # captions use the bottom
    image.save(path, optimize=True)


def speak(text, path):
    # Fixed tools and arguments; the text comes from the repository's content files.
    subprocess.run(["espeak-ng", *VOICE, "-w", str(path), text], check=True)  # noqa: S603, S607
    with wave.open(str(path)) as audio:
        return audio.getparams(), audio.readframes(audio.getnframes())


def timestamp(seconds):
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02}:{minutes:02}:{rest // 1000:02}.{rest % 1000:03}"


def cues_for(sentence, start, end):
    """A sentence's caption cues: at most two lines each, time shared by length."""
    lines = textwrap.wrap(sentence, CAPTION_LINE)
    chunks = [lines[i : i + 2] for i in range(0, len(lines), 2)]
    total = sum(len(" ".join(chunk)) for chunk in chunks)
    cues, at = [], start
    for chunk in chunks:
        length = (end - start) * len(" ".join(chunk)) / total
        cues.append((at, at + length, "\n".join(chunk)))
        at += length
    return cues


def make(content_path, work):
    post = frontmatter.load(content_path)
    slides = slides_from(post.content)
    folder = content_path.parent
    outputs = {key: folder / post[key] for key in ("video_file", "captions", "thumbnail")}

    params, frames, cues, slide_times = None, bytearray(), [], []

    def silence(seconds):
        frames.extend(b"\0" * int(seconds * params.framerate) * params.sampwidth)

    def now():
        return len(frames) / params.sampwidth / params.framerate

    for number, (_, sentences) in enumerate(slides):
        for index, sentence in enumerate(sentences):
            sentence_params, audio = speak(sentence, work / f"s{number}-{index}.wav")
            if params is None:
                params = sentence_params
                silence(LEAD_IN)
            if index == 0:  # a slide shows from the moment its heading is read
                slide_times.append(0.0 if number == 0 else now())
            start = now()
            frames.extend(audio)
            cues += cues_for(sentence, start, now())
            silence(BETWEEN_SENTENCES)
        silence(BETWEEN_SLIDES - BETWEEN_SENTENCES)
    silence(TAIL)
    length = now()

    with wave.open(str(work / "narration.wav"), "wb") as narration:
        narration.setparams(params)
        narration.writeframes(bytes(frames))

    playlist = []
    for number, (heading, _) in enumerate(slides):
        image = work / f"slide{number}.png"
        draw_slide(image, heading, title_slide=number == 0)
        end = slide_times[number + 1] if number + 1 < len(slides) else length
        playlist += [f"file '{image}'", f"duration {end - slide_times[number]:.3f}"]
    playlist.append(f"file '{work / f'slide{len(slides) - 1}.png'}'")  # ffmpeg wants it
    (work / "slides.txt").write_text("\n".join(playlist) + "\n")

    # Still slides compress to almost nothing at a low frame rate; mono speech needs
    # little bitrate. -bitexact and no metadata keep the file the same on every run.
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "ffmpeg", "-y", "-loglevel", "error",
            "-f", "concat", "-safe", "0", "-i", str(work / "slides.txt"),
            "-i", str(work / "narration.wav"),
            "-vf", "fps=10,format=yuv420p", "-c:v", "libx264", "-preset", "veryslow",
            "-tune", "stillimage", "-crf", "28", "-g", "100",
            "-c:a", "aac", "-b:a", "40k", "-ac", "1",
            "-t", f"{length:.3f}", "-movflags", "+faststart",
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
            "-flags:a", "+bitexact",
            str(outputs["video_file"]),
        ],
        check=True,
    )  # fmt: skip
    draw_slide(outputs["thumbnail"], slides[0][0], title_slide=True, top=56)

    captions = ["WEBVTT", ""]
    for number, (start, end, text) in enumerate(cues, start=1):
        captions += [str(number), f"{timestamp(start)} --> {timestamp(end)}", text, ""]
    outputs["captions"].write_text("\n".join(captions), encoding="utf-8")

    seconds = round(length)
    text = content_path.read_text(encoding="utf-8")
    text = re.sub(
        r"^duration: .*$",
        f'duration: "{seconds // 60}:{seconds % 60:02}"',
        text,
        count=1,
        flags=re.MULTILINE,
    )
    content_path.write_text(text, encoding="utf-8")
    size = outputs["video_file"].stat().st_size
    print(f"{content_path.name}: {length:.1f} s, {size / 1024:.0f} KB, {len(cues)} captions")


def main(paths):
    for tool in ("ffmpeg", "espeak-ng"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install ffmpeg espeak-ng")
    paths = [Path(p).resolve() for p in paths] or [
        path for path in sorted(CONTENT.glob("*.md")) if frontmatter.load(path).get("is_sample")
    ]
    for path in paths:
        with tempfile.TemporaryDirectory() as work:
            make(path, Path(work))


if __name__ == "__main__":
    main(sys.argv[1:])
