from spinesite.markdown import render_markdown, render_page

CALLOUT_PAGE = """## When to get help

!!! emergency "Call 911 or go to the ER now if you have"
    - Loss of bladder control

!!! urgent "Call the clinic today if"
    - Pain is getting worse

!!! routine "Book a visit if"
    - Pain lasts more than a few weeks
"""


def test_callouts_are_distinct_for_sighted_and_screen_reader_users():
    html = render_markdown(CALLOUT_PAGE)
    for kind, label in [
        ("emergency", "Emergency:"),
        ("urgent", "Urgent:"),
        ("routine", "Non-urgent:"),
    ]:
        assert f'<div class="callout callout-{kind}">' in html
        assert f'<span class="visually-hidden">{label} </span>' in html
    assert "Call 911 or go to the ER now if you have</p>" in html


def test_render_page_gives_contents_list_and_plain_text():
    page = render_page(
        "Intro\n\n## What is it & why?\n\nText **bold**.\n\n### Detail\n\n## Next\n"
    )
    assert page.toc == [
        {"id": "what-is-it-why", "name": "What is it & why?"},
        {"id": "next", "name": "Next"},
    ]
    assert '<h2 id="what-is-it-why">' in page.html
    assert page.text == "Intro What is it & why? Text bold. Detail Next"


def test_tables_and_lists_survive():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n1. one\n2. two\n")
    assert "<table>" in html and "<td>1</td>" in html
    assert "<ol>" in html and "<li>two</li>" in html


def test_images_only_from_this_site_and_lazy():
    html = render_markdown("![x](/media/uploads/a.png) ![y](https://tracker.example/p.gif)")
    assert 'src="/media/uploads/a.png"' in html
    assert "tracker.example" not in html
    assert 'loading="lazy"' in html


def test_an_image_renders_to_the_same_bytes_every_time():
    # nh3 adds loading and decoding in a hash map's order, which changes between calls.
    renders = {render_markdown("![x](/media/uploads/a.png)") for _ in range(40)}
    assert len(renders) == 1, renders
    assert 'loading="lazy" decoding="async">' in renders.pop()
    words = 'Write decoding="async" loading="lazy" in `decoding="async" loading="lazy"`.'
    assert 'decoding="async" loading="lazy" in' in render_markdown(words)  # left as written


def test_preview_function_is_the_page_pipeline(settings):
    assert settings.MARKDOWNX_MARKDOWNIFY_FUNCTION == "spinesite.markdown.render_markdown"


def test_callout_labels_are_in_the_language_the_page_is_rendered_in():
    # A Spanish page saved from an English request or command still says "Emergencia:".
    spanish = render_page(CALLOUT_PAGE, language="es").html
    for label in ["Emergencia:", "Urgente:", "No urgente:"]:
        assert f'<span class="visually-hidden">{label} </span>' in spanish
    assert "Emergency:" not in spanish and "Non-urgent:" not in spanish
    assert '<span class="visually-hidden">Emergency: </span>' in render_page(CALLOUT_PAGE).html
