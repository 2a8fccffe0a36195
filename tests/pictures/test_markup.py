"""Library covers as responsive pictures on the home page, the lists and the article (and its og:image)."""

import re

from tests.pictures.conftest import HOST_A, set_cover


def page(client, path: str) -> str:
    response = client.get(path, base_url=f"http://{HOST_A}", follow_redirects=True)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def pictures_in(html: str) -> list[str]:
    return re.findall(r"<picture.*?</picture>", html, re.S)


def check_picture(markup: str, item_id: int) -> None:
    assert f'<source type="image/webp" srcset="/media/{item_id}/w320-le-ky-niem.webp 320w, ' in markup
    assert f"/media/{item_id}/le-ky-niem.webp 1600w" in markup
    assert f"/media/{item_id}/w640-le-ky-niem.jpg 640w" in markup and f"/media/{item_id}/le-ky-niem.jpg 1600w" in markup
    assert f'src="/media/{item_id}/w640-le-ky-niem.jpg"' in markup
    assert 'width="1600" height="900"' in markup and 'decoding="async"' in markup and "sizes=" in markup
    assert 'alt="Quang cảnh lễ kỷ niệm"' in markup


def test_home_list_and_article_show_the_cover_as_a_picture(client, story, wide_photo, tenant_a):
    lead = story(tenant_a, "Lễ kỷ niệm 75 năm", featured=True, summary="Tóm tắt bài chính.")
    other = story(tenant_a, "Tin thứ hai", featured=True)
    set_cover(tenant_a, lead, f"/media/{wide_photo.id}/le-ky-niem.jpg", "Quang cảnh lễ kỷ niệm")
    set_cover(tenant_a, other, f"/media/{wide_photo.id}/le-ky-niem.jpg", "Quang cảnh lễ kỷ niệm")

    home = page(client, "/")
    assert 'class="featured"' in home and 'class="featured-lead"' in home and 'class="featured-cards"' in home
    found = pictures_in(home)
    assert len(found) >= 3  # the lead, the second card, the latest-news teasers
    for markup in found:
        check_picture(markup, wide_photo.id)
    assert 'loading="eager"' in found[0]  # the lead story is seen at once
    assert all('loading="lazy"' in markup for markup in found[1:])
    assert f'<meta property="og:image" content="http://{HOST_A}/media/{wide_photo.id}/w1280-le-ky-niem.jpg">' in home

    listing = page(client, "/tin-tuc/")
    found = pictures_in(listing)
    assert len(found) == 2 and all('loading="lazy"' in m for m in found)
    check_picture(found[0], wide_photo.id)

    article = page(client, f"/tin/{lead}/")
    cover = re.search(r'<figure class="cover">.*?</figure>', article, re.S).group(0)
    check_picture(cover, wide_photo.id)
    assert f'<meta property="og:image" content="http://{HOST_A}/media/{wide_photo.id}/w1280-le-ky-niem.jpg">' \
        in article


def test_an_external_cover_stays_a_plain_image(client, story, tenant_a):
    story_id = story(tenant_a, "Tin có ảnh ngoài")
    set_cover(tenant_a, story_id, "https://anh.example.vn/hop-mat.jpg", "Buổi họp mặt")
    listing = page(client, "/tin-tuc/")
    assert "<picture" not in listing
    assert re.search(r'<img class="teaser-cover" src="https://anh.example.vn/hop-mat.jpg" alt="Buổi họp mặt" '
                     r'loading="lazy"', listing)
    article = page(client, f"/tin/{story_id}/")
    assert '<meta property="og:image" content="https://anh.example.vn/hop-mat.jpg">' in article


def test_another_unions_media_address_is_not_resolved(client, story, make_media, tenant_a, tenant_b):
    theirs = make_media(tenant_b, "cua-b.jpg")
    story_id = story(tenant_a, "Tin trỏ sang ảnh của B")
    set_cover(tenant_a, story_id, f"/media/{theirs.id}/cua-b.jpg", "Ảnh")
    listing = page(client, "/tin-tuc/")
    assert "<picture" not in listing and "w320-cua-b" not in listing


def test_text_only_stories_keep_the_band(client, story, tenant_a):
    story(tenant_a, "Tin không ảnh", featured=True)
    story(tenant_a, "Tin không ảnh thứ hai", featured=True)
    home = page(client, "/")
    assert 'class="featured-lead no-photo"' in home and 'class="featured-card no-photo"' in home
    assert "<picture" not in home and "og:image" not in home


def test_the_library_is_read_once_per_page(client, story, wide_photo, tenant_a, app):
    import sqlalchemy as sa

    from app.extensions import db

    for n in range(6):
        story_id = story(tenant_a, f"Tin số {n}", featured=n < 3)
        set_cover(tenant_a, story_id, f"/media/{wide_photo.id}/le-ky-niem.jpg", "Quang cảnh lễ kỷ niệm")
    statements = []

    def count(conn, cursor, statement, *args):
        if "media_item" in statement:
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        html = page(client, "/")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(pictures_in(html)) >= 6
    assert len(statements) <= 1
