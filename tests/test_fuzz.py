"""A deterministic fuzz of everything a visitor can send: every public URL, each of
its query parameters, path segments, the headers the site reads, every form field,
and malformed multipart bodies, with long, NUL, invalid UTF-8, surrogate, huge-number
and markup values. Nothing may answer 500.

Deterministic rather than random, so a failure names the exact request and happens
again on every run; a few thousand requests, a few seconds.
"""

from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.test import Client

from contact.forms import ConsultationForm
from feedback.forms import page_key
from feedback.models import Answer, FeedbackPage
from feedback.views import TOKEN_SALT
from tests.contact_support import valid_data
from tests.factories import ConditionFactory, VideoFactory

pytestmark = pytest.mark.django_db

# Values as they arrive on the wire: percent-encoded bytes for URLs and form bodies.
RAW_VALUES = {
    "long": "a" * 10_000,
    "nul": "%00",
    "nul-inside": "abc%00def",
    "invalid-utf8": "%FF%FE%FD",
    "overlong-utf8": "%C0%AF",
    "surrogate": "%ED%A0%80",  # U+D800 encoded as if it were a character
    "huge-number": "9" * 5000,
    "negative": "-1",
    "float": "1e309",
    "markup": quote("<script>alert(1)</script>"),
    "traversal": quote("../../../../etc/passwd"),
    "control": "%01%1B%7F",
    "rtl": quote("\u202egnp.exe"),
    "empty": "",
}
# The same, as header values (WSGI gives them as latin-1 strings).
HEADER_VALUES = {
    "long": "a" * 8000,
    "nul": "a\x00b",
    "invalid-utf8": "\xff\xfe\xfd",
    "huge-number": "9" * 5000,
    "negative": "-1",
    "markup": "<script>alert(1)</script>",
    "control": "\x01\x1b\x7f",
    "empty": "",
    "spaces": "   ,  ,, ;; ",
    "huge-range": "bytes=" + "9" * 5000 + "-" + "9" * 5000,
    "many-ranges": "bytes=" + ",".join(f"{n}-{n}" for n in range(2000)),
}
HEADERS = [
    "HTTP_RANGE",
    "HTTP_COOKIE",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_REFERER",
    "HTTP_ORIGIN",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_HOST",
    "CONTENT_TYPE",
]
QUERY_PARAMETERS = ["q", "page", "region", "topic", "condition", "utm_source"]


@pytest.fixture
def site(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    settings.CONSULTATION_RATE_LIMIT = 100_000
    settings.FEEDBACK_RATE_LIMIT = 100_000
    condition = ConditionFactory(slug="sciatica")
    video = VideoFactory(slug="walking")
    feedback_page = FeedbackPage.objects.create(
        content_type=ContentType.objects.get_for_model(condition), object_id=condition.pk
    )
    answer = Answer.objects.create(page=feedback_page, helpful=False)
    media = settings.MEDIA_ROOT / "videos"
    media.mkdir(parents=True, exist_ok=True)
    (media / "walk.mp4").write_bytes(bytes(range(256)))
    return {
        "urls": [
            "/",
            "/conditions/",
            condition.get_absolute_url(),
            "/videos/",
            video.get_absolute_url(),
            "/contact/",
            "/contact/thanks/",
            "/privacy/",
            "/search/",
            "/feedback/",
            f"/feedback/{signing.dumps(answer.pk, salt=TOKEN_SALT)}/",
            "/sitemap.xml",
            "/robots.txt",
            "/healthz",
            "/media/videos/walk.mp4",
            "/admin/login/",
        ],
        "page": page_key(condition),
    }


class Fuzzer:
    def __init__(self):
        self.client = Client(raise_request_exception=False)
        self.failures = []
        self.count = 0

    def request(self, label, method, path, **extra):
        self.count += 1
        response = self.client.generic(method, path, **extra)
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {label}")
        return response

    def check(self):
        assert self.failures == [], f"{len(self.failures)} of {self.count}:\n" + "\n".join(
            self.failures[:50]
        )


def test_query_parameters(site):
    fuzz = Fuzzer()
    for url in site["urls"]:
        for name in QUERY_PARAMETERS:
            for kind, value in RAW_VALUES.items():
                fuzz.request(
                    f"GET {url}?{name}=<{kind}>", "GET", url, QUERY_STRING=f"{name}={value}"
                )
        for kind, value in RAW_VALUES.items():  # the name itself, and a bare value
            fuzz.request(f"GET {url}?<{kind}>=1", "GET", url, QUERY_STRING=f"{value}=1")
            fuzz.request(f"GET {url}?<{kind}>", "GET", url, QUERY_STRING=value)
    fuzz.check()


@pytest.mark.parametrize(
    "template",
    [
        "/conditions/{}/",
        "/videos/{}/",
        "/feedback/{}/",
        "/media/{}",
        "/media/videos/{}.mp4",
        "/{}",
    ],
)
def test_path_segments(site, template):
    fuzz = Fuzzer()
    for kind, value in RAW_VALUES.items():
        # The test client decodes PATH_INFO as a server would: give it the bytes.
        fuzz.request(f"GET {template} <{kind}>", "GET", template.format(value))
    fuzz.check()


def test_headers(site):
    fuzz = Fuzzer()
    for url in site["urls"]:
        for header in HEADERS:
            for kind, value in HEADER_VALUES.items():
                for method in ("GET", "POST") if header == "CONTENT_TYPE" else ("GET",):
                    fuzz.request(
                        f"{method} {url} {header}=<{kind}>", method, url, **{header: value}
                    )
    fuzz.check()


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "messages"])
def test_the_sites_own_cookies(site, cookie):
    fuzz = Fuzzer()
    for url in site["urls"]:
        for kind, value in HEADER_VALUES.items():
            # Long enough to pass for a key, with the hostile part inside.
            header = {"HTTP_COOKIE": f"{cookie}=abcdefgh{value}12345678"}
            for method in ("GET", "POST"):
                fuzz.request(f"{method} {url} {cookie}=<{kind}>", method, url, **header)
    fuzz.check()


def form_body(data):
    return "&".join(f"{quote(str(k))}={quote(str(v))}" for k, v in data.items())


def post_raw(fuzz, label, url, body, content_type="application/x-www-form-urlencoded"):
    return fuzz.request(label, "POST", url, data=body.encode("latin-1"), content_type=content_type)


def test_form_fields(site):
    fuzz = Fuzzer()
    forms = {
        "/contact/": valid_data(),
        "/feedback/": {"page": site["page"], "helpful": "no"},
        site["urls"][10]: {"comment": "Clear, thank you."},
        "/admin/login/": {"username": "someone", "password": "secret"},
        "/search/": {"q": "back pain"},
    }
    fields = {url: list(data) for url, data in forms.items()}
    fields["/contact/"] = sorted(set(fields["/contact/"]) | set(ConsultationForm.base_fields))
    for url, data in forms.items():
        for field in fields[url]:
            for kind, value in RAW_VALUES.items():
                body = form_body({k: v for k, v in data.items() if k != field})
                body += f"&{quote(field)}={value}"
                post_raw(fuzz, f"POST {url} {field}=<{kind}>", url, body)
            # The field twice, and missing altogether.
            post_raw(fuzz, f"POST {url} {field} twice", url, form_body(data) + f"&{field}=x")
            without = {k: v for k, v in data.items() if k != field}
            post_raw(fuzz, f"POST {url} without {field}", url, form_body(without))
    fuzz.check()


MULTIPART = {
    "no-boundary": ("multipart/form-data", "--x\r\n\r\n"),
    "wrong-boundary": (
        "multipart/form-data; boundary=abc",
        "--xyz\r\nnot the boundary\r\n--xyz--",
    ),
    "unterminated": (
        "multipart/form-data; boundary=b",
        '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nAna',
    ),
    "no-disposition": ("multipart/form-data; boundary=b", "--b\r\n\r\nvalue\r\n--b--\r\n"),
    "file-part": (
        "multipart/form-data; boundary=b",
        '--b\r\nContent-Disposition: form-data; name="f"; filename="../../x.html"\r\n'
        "Content-Type: text/html\r\n\r\n<script>1</script>\r\n--b--\r\n",
    ),
    "huge-part-header": (
        "multipart/form-data; boundary=b",
        '--b\r\nContent-Disposition: form-data; name="' + "n" * 20_000 + '"\r\n\r\nv\r\n--b--\r\n',
    ),
    "nul-in-name": (
        "multipart/form-data; boundary=b",
        '--b\r\nContent-Disposition: form-data; name="a\x00b"\r\n\r\nv\r\n--b--\r\n',
    ),
    "invalid-utf8": (
        "multipart/form-data; boundary=b",
        '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\n\xff\xfe\r\n--b--\r\n',
    ),
    "long-boundary": ("multipart/form-data; boundary=" + "b" * 5000, "--" + "b" * 5000 + "--"),
    "bad-charset": ("application/x-www-form-urlencoded; charset=no-such-charset", "name=x"),
}


def test_malformed_multipart(site):
    fuzz = Fuzzer()
    for url in ["/contact/", "/feedback/", "/search/", "/admin/login/", "/", "/markdownx/upload/"]:
        for kind, (content_type, body) in MULTIPART.items():
            post_raw(fuzz, f"POST {url} multipart <{kind}>", url, body, content_type)
    fuzz.check()
