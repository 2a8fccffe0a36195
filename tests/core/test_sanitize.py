"""Content HTML keeps its structure and loses anything that could run or restyle the page."""

from app.core.sanitize import clean_html


def test_keeps_structure_and_alt_text():
    html = ('<h2>Chức năng</h2><ol start="2"><li><strong>Một</strong></li></ol>'
            '<p><img src="/static/a.png" alt="Ảnh hội nghị"></p><table><tr><th scope="col">A</th></tr></table>')
    cleaned = clean_html(html)
    assert "<h2>Chức năng</h2>" in cleaned and '<ol start="2">' in cleaned
    assert 'alt="Ảnh hội nghị"' in cleaned and 'scope="col"' in cleaned


def test_removes_scripts_handlers_styles_and_dangerous_links():
    html = ('<p style="color:red" onclick="steal()">Xin chào</p><script>alert(1)</script><iframe src="//x"></iframe>'
            '<a href="javascript:alert(1)">a</a><a href="data:text/html,x">b</a><form><input></form>'
            '<img src="x" onerror="alert(1)"><!-- ghi chú -->')
    cleaned = clean_html(html)
    for bad in ("style=", "onclick", "<script", "alert(1)", "<iframe", "javascript:", "data:", "<form", "<input",
                "onerror", "ghi chú"):
        assert bad not in cleaned, bad
    assert "Xin chào" in cleaned


def test_links_get_rel_and_empty_input_is_empty():
    assert 'rel="noopener noreferrer"' in clean_html('<a href="https://vufo.org.vn">VUFO</a>')
    assert clean_html(None) == "" and clean_html("") == ""
