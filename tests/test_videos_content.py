"""Video content files (content/videos/*.md) and the sample videos that ship with them."""

import re
import shutil
import struct
from io import StringIO
from pathlib import Path

import frontmatter
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils.dateparse import parse_duration
from PIL import Image

from conditions.models import Condition
from spinesite.markdown import plain_text, render_markdown
from videos.models import Topic, Video
from videos.uploads import check_captions, check_video

CONTENT = settings.BASE_DIR / "content"
SAMPLES = sorted(
    path for path in (CONTENT / "videos").glob("*.md") if frontmatter.load(path).get("is_sample")
)
MEDIA = CONTENT / "videos" / "media"

CONDITION = """---
title: Sciatica
summary: Pain that runs from the lower back down one leg.
region: lower-back
status: published
---
## What is it?

Pain along the sciatic nerve.
"""

VIDEO = """---
title: Sitting well
description: "Habits that put **less strain** on your back."
duration: "0:40"
topics:
  - Everyday back care
  - Posture
conditions: [sciatica]
status: published
is_sample: true
video_file: media/clip.mp4
captions: media/clip.vtt
thumbnail: media/clip.png
---
### Sitting well

Sit back in your chair.
"""


def load(folder, *args):
    out = StringIO()
    call_command("load_content", str(folder), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def content(tmp_path):
    """A content folder with one condition and one self-hosted video."""
    root = tmp_path / "content"
    (root / "conditions").mkdir(parents=True)
    (root / "conditions" / "sciatica.md").write_text(CONDITION)
    media = root / "videos" / "media"
    media.mkdir(parents=True)
    shutil.copy(MEDIA / "sitting-and-standing.mp4", media / "clip.mp4")
    shutil.copy(MEDIA / "sitting-and-standing.vtt", media / "clip.vtt")
    shutil.copy(MEDIA / "sitting-and-standing.png", media / "clip.png")
    (root / "videos" / "sitting-well.md").write_text(VIDEO)
    return root


# Loading
# ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loads_videos_with_files_topics_and_conditions(content):
    output = load(content)
    assert "videos: 1 created, 0 updated, 0 unchanged, 0 skipped" in output
    video = Video.objects.get(slug="sitting-well")
    assert video.is_published and video.is_sample
    assert video.provider == "file"
    assert "<strong>less strain</strong>" in video.description_html
    assert video.transcript_text == "Sitting well Sit back in your chair."
    assert [c.slug for c in video.conditions.all()] == ["sciatica"]
    assert sorted(t.slug for t in video.topics.all()) == ["everyday-back-care", "posture"]
    # The files are copied into media storage, under new names.
    for stored, source in [
        (video.video_file, "clip.mp4"),
        (video.captions, "clip.vtt"),
    ]:
        assert default_storage.exists(stored.name)
        with stored.open("rb") as handle:
            assert handle.read() == (content / "videos" / "media" / source).read_bytes()
    assert default_storage.exists(video.thumbnail.name)
    assert (video.thumbnail_width, video.thumbnail_height) == (640, 360)


@pytest.mark.django_db
def test_unchanged_files_are_skipped_and_changes_are_loaded(content):
    load(content)
    names = Video.objects.values_list("video_file", "captions", "thumbnail").get()
    assert "videos: 0 created, 0 updated, 1 unchanged" in load(content)
    assert Video.objects.values_list("video_file", "captions", "thumbnail").get() == names

    # A change to a referenced file counts as a change to the page.
    vtt = content / "videos" / "media" / "clip.vtt"
    vtt.write_text(vtt.read_text().replace("strain", "STRAIN"))
    assert "videos: 0 created, 1 updated, 0 unchanged" in load(content)
    with Video.objects.get().captions.open("r") as handle:
        assert "STRAIN" in handle.read()


@pytest.mark.django_db
def test_files_missing_from_storage_are_put_back(content):
    load(content)
    default_storage.delete(Video.objects.get().video_file.name)
    assert "videos: 0 created, 1 updated, 0 unchanged" in load(content)
    assert default_storage.exists(Video.objects.get().video_file.name)


@pytest.mark.django_db
def test_admin_edits_are_kept_unless_forced(content, staff_client):
    load(content)
    Video.objects.update(content_hash="")  # what saving in admin does (see test_videos)
    (content / "videos" / "sitting-well.md").write_text(VIDEO.replace("Sitting well\n", "Sit!\n"))
    output = load(content)
    assert "videos: 0 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "skipped sitting-well: edited in admin" in output
    assert "1 updated" in load(content, "--force")


@pytest.mark.django_db
def test_existing_topics_are_reused(content):
    Topic.objects.create(name="posture", slug="posture-tips")  # same name, other slug
    load(content)
    assert Topic.objects.filter(name__iexact="posture").count() == 1


@pytest.mark.django_db
def test_hosted_videos_need_no_files(content):
    text = re.sub(r"(video_file|captions): .*\n", "", VIDEO).replace(
        "status:", "source_url: https://youtu.be/testvid0001\nstatus:"
    )
    (content / "videos" / "sitting-well.md").write_text(text)
    load(content)
    video = Video.objects.get()
    assert (video.provider, video.video_id) == ("youtube", "testvid0001")
    assert not video.video_file


BAD_FILES = {
    "bad-url": (("status:", "source_url: https://example.com/v\nstatus:"), "'source_url'"),
    "evil-url": (("status:", "source_url: 'javascript:alert(1)'\nstatus:"), "not a link to one"),
    "missing-file": (("media/clip.mp4", "media/nope.mp4"), "'video_file' names 'media/nope.mp4', which does not exist"),
    "outside": (("media/clip.vtt", "../../conditions/sciatica.md"), "which is outside"),
    "absolute": (("media/clip.png", "/etc/passwd"), "which is outside"),
    "path-not-text": (("media/clip.png", "[a, b]"), "must be a file path"),
    "captions-not-vtt": (("media/clip.vtt", "media/clip.png"), "WebVTT file (.vtt)"),
    "video-not-video": (("media/clip.mp4", "media/clip.vtt"), "MP4 (.mp4) or WebM"),
    "thumbnail-not-image": (("media/clip.png", "media/clip.vtt"), "not a JPEG, PNG or WebP"),
    "no-captions": (("captions: media/clip.vtt\n", ""), "needs captions"),
    "no-source": (("video_file: media/clip.mp4\n", ""), "Paste a YouTube or Vimeo link"),
    "two-sources": (("status:", "source_url: https://youtu.be/testvid0001\nstatus:"), "not both"),
    "no-thumbnail": (("thumbnail: media/clip.png\n", ""), "'thumbnail'"),
    "bad-duration": (('"0:40"', "a while"), "'duration'"),
    "unknown-condition": (("[sciatica]", "[sciatica, no-such-page]"), "'conditions' names 'no-such-page'"),
    "topics-not-list": (("topics:\n  - Everyday back care\n  - Posture", "topics: Posture"), "'topics' must be a list"),
    "topic-without-letters": (("  - Posture", "  - '!!!'"), "'topics' must be a list"),
    "unknown-field": (("status:", "youtube_id: abc\nstatus:"), "unknown field 'youtube_id'"),
    "bad-status": (("status: published", "status: maybe"), "'status'"),
    "empty-transcript": (("### Sitting well\n\nSit back in your chair.\n", ""), "body after the front matter is empty"),
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_video_files_are_named_and_nothing_changes(content, case):
    (old, new), problem = BAD_FILES[case]
    load(content)
    before = list(Video.objects.values_list("slug", "title", "video_file", "transcript_html"))
    (content / "videos" / "sitting-well.md").write_text(VIDEO.replace("Sitting well", "Changed"))
    assert old in VIDEO, old
    (content / "videos" / "zz-bad.md").write_text(VIDEO.replace(old, new))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_content", str(content), stdout=StringIO(), stderr=err)
    assert "zz-bad.md" in err.getvalue() and problem in err.getvalue(), err.getvalue()
    assert (
        list(Video.objects.values_list("slug", "title", "video_file", "transcript_html")) == before
    )


@pytest.mark.django_db
def test_videos_may_link_conditions_loaded_in_the_same_run(content):
    assert not Condition.objects.exists()
    load(content)
    assert Video.objects.get().conditions.get().slug == "sciatica"


# The shipped sample library
# ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sample_library_loads_and_links_the_conditions():
    load(CONTENT)
    samples = Video.objects.filter(is_sample=True)
    assert samples.count() >= 2
    for video in samples:
        assert video.is_published and video.provider == "file"
        assert video.captions and video.transcript_text
        assert video.conditions.exists() and video.topics.exists()
        assert not video.reviewer_name, "sample videos must not claim a reviewer"
    # Every video in the shipped library is self-made: no YouTube or Vimeo ID is invented.
    assert not Video.objects.exclude(provider="file").exists()


def caption_text(vtt):
    """The words of a WebVTT file's cues, in order."""
    cues = vtt.split("\n\n")[1:]
    return " ".join(" ".join(cue.splitlines()[2:]) for cue in cues if cue.strip())


def mp4_duration(data):
    """Seconds, from the MP4's movie header box (mvhd, version 0)."""
    at = data.index(b"mvhd")
    timescale, duration = struct.unpack(">II", data[at + 16 : at + 24])
    return duration / timescale


@pytest.mark.parametrize("path", SAMPLES, ids=[path.stem for path in SAMPLES])
def test_sample_video_files_match_their_transcript(path):
    post = frontmatter.load(path)
    folder = path.parent
    video = (folder / post["video_file"]).read_bytes()
    vtt = (folder / post["captions"]).read_text(encoding="utf-8")

    # Small enough to keep in the repository, and real, checked files.
    assert len(video) < 1024 * 1024
    check_video(SimpleUploadedFile(Path(post["video_file"]).name, video))
    check_captions(SimpleUploadedFile("c.vtt", vtt.encode()))
    with Image.open(folder / post["thumbnail"]) as thumbnail:
        assert thumbnail.size == (640, 360)

    # The captions say exactly what the transcript says (each heading is read aloud).
    transcript = re.sub(r"^### (.*)$", r"\1.", post.content, flags=re.MULTILINE)
    assert caption_text(vtt) == plain_text(render_markdown(transcript))

    # The front matter's duration is the file's, and the captions fit inside it.
    seconds = mp4_duration(video)
    assert abs(parse_duration(str(post["duration"])).total_seconds() - seconds) <= 1
    last_end = re.findall(r"--> (\d\d):(\d\d):(\d\d\.\d{3})", vtt)[-1]
    assert int(last_end[0]) * 3600 + int(last_end[1]) * 60 + float(last_end[2]) <= seconds
    assert 15 <= seconds <= 60
