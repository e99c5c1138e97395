"""Reading the sitemap as a crawler does: the index, then every file it lists."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_files(client):
    """The content of every file /sitemap.xml (a sitemap index) lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)  # noqa: S314 - our own sitemap
    assert index.tag.endswith("sitemapindex")
    files = []
    for location in index.findall("sm:sitemap/sm:loc", SITEMAP_NS):
        url = urlsplit(location.text)
        part = client.get(url.path + (f"?{url.query}" if url.query else ""))
        assert part.status_code == 200, location.text
        files.append(part.content)
    return files


def sitemap_urls(client):
    """{location: last-modified date} of every URL in the sitemap."""
    return {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext(
            "sm:lastmod", namespaces=SITEMAP_NS
        )
        for content in sitemap_files(client)
        for url in ET.fromstring(content).findall("sm:url", SITEMAP_NS)  # noqa: S314
    }


def sitemap_text(client):
    return "\n".join(content.decode() for content in sitemap_files(client))
