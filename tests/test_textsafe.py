"""Text from the data is shown as text; only http(s) URLs become links."""

from routestatus.textsafe import md_escape, safe_url


def test_markdown_and_html_are_escaped():
    hostile = "[click](javascript:alert(1)) <script>alert(1)</script> **bold** ![img](http://x/y.png)"
    out = md_escape(hostile)
    for token in ("[", "]", "(", ")", "<", ">", "*", "!"):
        assert all(out[i - 1] == "\\" for i, ch in enumerate(out) if ch == token)


def test_only_http_urls_are_links():
    assert safe_url("https://asbarez.com/x/") == "https://asbarez.com/x/"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,hi") is None
    assert safe_url(None) is None
