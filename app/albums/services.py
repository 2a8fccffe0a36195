"""Photo albums: a union's galleries of library images (create, edit, add photos, caption, reorder, delete)."""

from datetime import date

import sqlalchemy as sa

from app.core import audit
from app.core.vntext import slugify
from app.extensions import db
from app.media.models import Album, AlbumPhoto, MediaItem


def listing(published_only: bool = False) -> sa.Select:
    stmt = sa.select(Album).order_by(Album.taken_on.desc().nulls_last(), Album.created_at.desc(), Album.id.desc())
    return stmt.where(Album.published) if published_only else stmt


def create(*, title: str, description: str = "", taken_on: date | None = None, published: bool = False) -> Album:
    """A new album of the current tenant (commits)."""
    album = Album(title=title.strip()[:255], slug=slugify(title, 160), description=description.strip(),
                  taken_on=taken_on, published=published)
    db.session.add(album)
    db.session.flush()
    audit.record("album.create", target=f"album:{album.id}", detail=album.title)
    db.session.commit()
    return album


def update(album: Album, *, title: str, description: str, taken_on: date | None, published: bool) -> None:
    album.title, album.slug = title.strip()[:255], slugify(title, 160)
    album.description, album.taken_on, album.published = description.strip(), taken_on, published
    audit.record("album.edit", target=f"album:{album.id}", detail=album.title)
    db.session.commit()


def images_to_add(album: Album) -> sa.Select:
    """The library's images not yet in the album, newest first."""
    inside = sa.select(AlbumPhoto.media_id).where(AlbumPhoto.album_id == album.id)
    return sa.select(MediaItem).where(MediaItem.kind == "image", MediaItem.id.not_in(inside)) \
        .order_by(MediaItem.created_at.desc(), MediaItem.id.desc())


def add_photos(album: Album, media_ids: list[int]) -> int:
    """Add these library images (of this tenant only; others and repeats are skipped) at the end; how many."""
    wanted = list(dict.fromkeys(media_ids))
    if not wanted:
        return 0
    found = set(db.session.scalars(sa.select(MediaItem.id).where(MediaItem.id.in_(wanted),
                                                                 MediaItem.kind == "image")))
    present = {p.media_id for p in album.photos}
    position = max((p.position for p in album.photos), default=-1)
    added = 0
    for media_id in wanted:
        if media_id in found and media_id not in present:
            position += 1
            album.photos.append(AlbumPhoto(media_id=media_id, position=position))
            added += 1
    if added:
        audit.record("album.add_photos", target=f"album:{album.id}", detail=f"{album.title} (+{added})")
        db.session.commit()
    return added


def set_caption(photo: AlbumPhoto, caption: str) -> None:
    photo.caption = caption.strip()[:500]
    audit.record("album.caption", target=f"album:{photo.album_id}", detail=f"photo {photo.id}")
    db.session.commit()


def move(album: Album, photo: AlbumPhoto, step: int) -> bool:
    """Swap the photo with its neighbour (step -1: earlier, +1: later); False at either end."""
    photos = list(album.photos)
    for index, p in enumerate(photos):
        p.position = index  # close any gaps left by removals first
    index = photos.index(photo)
    other = index + step
    if not 0 <= other < len(photos):
        return False
    photos[index].position, photos[other].position = other, index
    audit.record("album.reorder", target=f"album:{album.id}", detail=f"photo {photo.id}")
    db.session.commit()
    return True


def remove_photo(album: Album, photo: AlbumPhoto) -> None:
    album.photos.remove(photo)
    audit.record("album.remove_photo", target=f"album:{album.id}", detail=f"photo {photo.id}")
    db.session.commit()


def delete(album: Album) -> None:
    """The album and its photo list; the images stay in the library."""
    audit.record("album.delete", target=f"album:{album.id}", detail=album.title)
    db.session.delete(album)
    db.session.commit()


def covers(albums: list[Album]) -> dict[int, MediaItem]:
    """The first photo of each album, in one statement."""
    if not albums:
        return {}
    first = sa.select(AlbumPhoto.album_id, sa.func.min(AlbumPhoto.position).label("position")) \
        .where(AlbumPhoto.album_id.in_([a.id for a in albums])).group_by(AlbumPhoto.album_id).subquery()
    rows = db.session.execute(sa.select(AlbumPhoto.album_id, MediaItem).join(
        first, sa.and_(first.c.album_id == AlbumPhoto.album_id, first.c.position == AlbumPhoto.position))
        .join(MediaItem, MediaItem.id == AlbumPhoto.media_id))
    return {album_id: item for album_id, item in rows}


def photo_counts(albums: list[Album]) -> dict[int, int]:
    if not albums:
        return {}
    rows = db.session.execute(sa.select(AlbumPhoto.album_id, sa.func.count()).where(
        AlbumPhoto.album_id.in_([a.id for a in albums])).group_by(AlbumPhoto.album_id))
    return dict(rows.all())
