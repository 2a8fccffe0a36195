"""Content HTML keeps its structure and loses anything that could run or restyle the page."""

import re

import pytest

from app.core.sanitize import clean_html, embed_url


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


# --- embeds: allow-listed players only -------------------------------------------------------------------------


@pytest.mark.parametrize("address, player", [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ?showinfo=0", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
])
def test_video_addresses_become_privacy_enhanced_players(address, player):
    assert embed_url(address) == player


@pytest.mark.parametrize("address", [
    "https://evil.example/embed/dQw4w9WgXcQ", "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "javascript:alert(1)", "https://www.youtube.com/watch?v=<script>", "https://vimeo.com/channels/x",
    "data:text/html,<p>x</p>", "", "https://www.youtube.com/playlist?list=PL1",
])
def test_anything_else_is_no_player(address):
    assert embed_url(address) is None


def test_sanitizer_keeps_allowlisted_embeds_and_drops_every_other_frame():
    html = ('<p>Trước</p>'
            '<iframe class="ql-video" frameborder="0" allowfullscreen="true" onload="steal()" '
            'src="https://www.youtube.com/embed/dQw4w9WgXcQ?autoplay=1"></iframe>'
            '<iframe src="https://vimeo.com/76979871" width="640" height="360" title="Giao lưu"></iframe>'
            '<iframe src="https://evil.example/x">fallback text</iframe>'
            '<iframe srcdoc="<script>alert(1)</script>"></iframe>'
            '<iframe src="javascript:alert(1)"></iframe>'
            '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" width="100%"></iframe><p>Sau</p>')
    cleaned = clean_html(html)
    frames = re.findall(r"<iframe[^>]*>", cleaned)
    assert len(frames) == 3, cleaned
    srcs = [re.search(r'src="([^"]+)"', f).group(1) for f in frames]
    assert srcs == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
                    "https://player.vimeo.com/video/76979871?dnt=1",
                    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]
    for frame in frames:
        assert 'sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"' in frame
        assert 'loading="lazy"' in frame and "title=" in frame
        assert "onload" not in frame and "class=" not in frame and "srcdoc" not in frame
    assert 'title="Giao lưu"' in frames[1] and 'width="640"' in frames[1]
    assert 'width="100%"' not in cleaned  # only plain pixel sizes
    for gone in ("evil.example", "fallback text", "alert(1)", "javascript:"):
        assert gone not in cleaned
    assert cleaned.startswith("<p>Trước</p>") and cleaned.endswith("<p>Sau</p>")


def test_the_csp_lets_only_the_allowlisted_players_frame(client):
    from app.core.sanitize import EMBED_HOSTS

    csp = client.get("/healthz").headers["Content-Security-Policy"]
    frame_src = next(part for part in csp.split(";") if part.strip().startswith("frame-src")).split()[1:]
    assert sorted(frame_src) == sorted(EMBED_HOSTS)
    assert "frame-ancestors 'none'" in csp


def test_paste_from_word_is_cleaned():
    word = ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style>'
            '<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->'
            '</head><body lang="VI"><p class="MsoNormal" style="mso-margin-top-alt:auto;line-height:150%">'
            '<b><span lang="VI" style="font-family:&quot;Times New Roman&quot;">Hội nghị hữu nghị</span></b>'
            '<o:p></o:p></p><p class="MsoListParagraph" style="mso-list:l0 level1 lfo1"><![if !supportLists]>'
            '<span style="mso-list:Ignore">1.</span><![endif]>Đoàn công tác</p>'
            '<table class="MsoTableGrid" border="1" style="border-collapse:collapse"><tr><td width="300" '
            'valign="top" style="mso-border-alt:solid windowtext .5pt">Ô</td></tr></table></body></html>')
    cleaned = clean_html(word)
    for gone in ("mso", "Mso", "style=", "class=", "<o:p", "<xml", "WordDocument", "Normal</", "font-family",
                 "valign", "border=", "<html", "<head", "<body", "supportLists", "<![if"):
        assert gone not in cleaned, gone
    assert "<strong>" in cleaned or "<b>" in cleaned
    assert "Hội nghị hữu nghị" in cleaned and "Đoàn công tác" in cleaned and "<td>Ô</td>" in cleaned
