"""YouTube and Vimeo links: parse what an editor pastes, keep only the video's ID.

The site never stores or prints a pasted URL as a link target. It keeps the provider
and the ID, both checked against strict patterns, and builds every URL it needs from
them. So a hostile or odd link can at worst be refused, never passed on to a viewer's
browser.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.exceptions import ValidationError

YOUTUBE = "youtube"
VIMEO = "vimeo"

YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
YOUTU_BE_HOSTS = {"youtu.be", "www.youtu.be"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com"}
VIMEO_PLAYER_HOSTS = {"player.vimeo.com"}
# A video inside a Vimeo group, album or showcase: /<kind>/<name>/<word>/<ID>.
VIMEO_COLLECTIONS = {("groups", "videos"), ("album", "video"), ("showcase", "video")}
# YouTube's path forms that carry the ID as the next segment.
YOUTUBE_PATH_PREFIXES = {"embed", "shorts", "live", "v", "e"}

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID = re.compile(r"[0-9]{1,12}")
# The "unlisted" hash Vimeo adds to private share links (vimeo.com/123/abcdef1234).
VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")
MAX_URL_LENGTH = 500

EXAMPLES = "https://www.youtube.com/watch?v=… or https://vimeo.com/…"


@dataclass(frozen=True)
class HostedVideo:
    """A video on YouTube or Vimeo, known only by its checked ID."""

    provider: str
    video_id: str
    vimeo_hash: str = ""

    @property
    def watch_url(self):
        """The video's own page on the host: the play link when JavaScript is off."""
        if self.provider == YOUTUBE:
            return f"https://www.youtube.com/watch?v={self.video_id}"
        if self.vimeo_hash:
            return f"https://vimeo.com/{self.video_id}/{self.vimeo_hash}"
        return f"https://vimeo.com/{self.video_id}"

    @property
    def embed_url(self):
        """The privacy-minded player: youtube-nocookie.com, or Vimeo with do-not-track."""
        if self.provider == YOUTUBE:
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}"
        params = {"dnt": 1}
        if self.vimeo_hash:
            params["h"] = self.vimeo_hash
        return f"https://player.vimeo.com/video/{self.video_id}?{urlencode(params)}"

    @property
    def player_url(self):
        """The embed URL the page loads after the viewer presses Play.

        It starts playback (the viewer just asked for it) and turns captions on where
        the host allows that.
        """
        if self.provider == YOUTUBE:
            return f"{self.embed_url}?{urlencode({'autoplay': 1, 'rel': 0, 'cc_load_policy': 1})}"
        return f"{self.embed_url}&{urlencode({'autoplay': 1, 'texttrack': 'en'})}"


def _refuse(message=None):
    return ValidationError(
        message
        or f"This is not a link to one YouTube or Vimeo video. Paste a link like {EXAMPLES}",
        code="invalid_video_url",
    )


def _segments(path):
    return [part for part in path.split("/") if part]


def _youtube(parts, path, query):
    segments = _segments(path)
    if parts.hostname in YOUTU_BE_HOSTS:
        candidate = segments[0] if len(segments) == 1 else None
    elif segments == ["watch"]:
        values = query.get("v", [])
        candidate = values[0] if len(values) == 1 else None
    elif len(segments) == 2 and segments[0] in YOUTUBE_PATH_PREFIXES:
        candidate = segments[1]
    elif "list" in query or segments[:1] == ["playlist"]:
        raise _refuse("This is a link to a YouTube playlist. Paste a link to one video instead.")
    else:
        raise _refuse(
            "This YouTube link does not point to one video (it may be a channel or a "
            "search). Open the video and copy the link from your browser's address bar "
            "or the Share button."
        )
    if candidate is None or not YOUTUBE_ID.fullmatch(candidate):
        raise _refuse(
            "This YouTube link does not contain a valid video ID (11 letters, digits, "
            "- or _). Copy the link again from the video's Share button."
        )
    return HostedVideo(YOUTUBE, candidate)


def _vimeo(parts, path, query):
    segments = _segments(path)
    video_id = video_hash = None
    if parts.hostname in VIMEO_PLAYER_HOSTS:
        if len(segments) == 2 and segments[0] == "video":
            video_id = segments[1]
    elif len(segments) in (1, 2) and VIMEO_ID.fullmatch(segments[0]):
        video_id = segments[0]
        video_hash = segments[1] if len(segments) == 2 else None
    elif len(segments) == 3 and segments[0] == "channels":
        video_id = segments[2]
    elif len(segments) == 4 and (segments[0], segments[2]) in VIMEO_COLLECTIONS:
        video_id = segments[3]
    if video_id is None or not VIMEO_ID.fullmatch(video_id):
        raise _refuse(
            "This Vimeo link does not point to one video. Paste the video's own link, "
            "such as https://vimeo.com/ followed by its number."
        )
    if video_hash is None:
        hashes = query.get("h", [])
        video_hash = hashes[0] if len(hashes) == 1 else ""
    if video_hash and not VIMEO_HASH.fullmatch(video_hash):
        raise _refuse("This Vimeo link has a private-link code that does not look right.")
    return HostedVideo(VIMEO, video_id, video_hash)


def parse_video_url(url):
    """Return the HostedVideo a YouTube or Vimeo link points to.

    Accepts the watch, share (youtu.be), Shorts, live and embed forms of YouTube links
    and the page, player and private forms of Vimeo links, with or without https://.
    Raises ValidationError with a message an editor can act on for anything else.
    """
    url = (url or "").strip()
    if not url:
        raise _refuse("Paste a link to a YouTube or Vimeo video.")
    if len(url) > MAX_URL_LENGTH:
        raise _refuse(f"This link is too long (over {MAX_URL_LENGTH} characters).")
    if any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in url):
        raise _refuse("This link contains spaces or other characters a web address cannot have.")
    if "://" not in url:
        url = f"https://{url}"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse() from None
    if parts.scheme not in ("http", "https"):
        raise _refuse("Only web links (https://) to YouTube or Vimeo can be used.")
    if parts.username is not None or parts.password is not None or port not in (None, 80, 443):
        raise _refuse()
    query = parse_qs(parts.query)
    if parts.hostname in YOUTUBE_HOSTS | YOUTU_BE_HOSTS:
        return _youtube(parts, parts.path, query)
    if parts.hostname in VIMEO_HOSTS | VIMEO_PLAYER_HOSTS:
        return _vimeo(parts, parts.path, query)
    raise _refuse(f"Only YouTube and Vimeo links can be used. Paste a link like {EXAMPLES}")
