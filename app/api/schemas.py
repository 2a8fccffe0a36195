"""The API's documents, as marshmallow schemas (the OpenAPI description is generated from them)."""

from datetime import date

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

from app.core.timeutil import as_utc


class UtcDateTime(fields.DateTime):
    """ISO 8601 with its offset (UTC), whatever the database gave back."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else as_utc(value).isoformat()


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Strict(Schema):
    class Meta:
        unknown = RAISE  # a field the API does not know is refused (422), never silently dropped

    @pre_load(pass_collection=True)
    def _no_nul(self, data, **kwargs):
        """No database stores a NUL character (PostgreSQL refuses it): a 422, not a 500."""
        if hasattr(data, "getlist"):  # query string or form: every value sent
            values = [v for key in data for v in data.getlist(key)] + list(data)
        else:
            values = data
        if _has_nul(values):
            raise ValidationError("A text may not contain the NUL character.")
        return data


class ProblemSchema(Strict):
    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"description": "In Vietnamese or English, by Accept-Language."})
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(),
                         metadata={"description": "The fields refused, each with why."})


class PageArgs(Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class Listed(Strict):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class CategorySchema(Strict):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name_vi = fields.String(required=True)
    name_en = fields.String(allow_none=True, required=True)
    url = fields.String(required=True)


class TagSchema(Strict):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    url = fields.String(required=True)


class VersionSchema(Strict):
    id = fields.Integer(required=True)
    locale = fields.String(required=True)
    url = fields.String(required=True)


class ArticleSummarySchema(Strict):
    id = fields.Integer(required=True)
    locale = fields.String(required=True)
    title = fields.String(required=True)
    slug = fields.String(required=True)
    summary = fields.String(required=True)
    category = fields.Nested(CategorySchema, required=True)
    tags = fields.List(fields.Nested(TagSchema), required=True)
    published_at = UtcDateTime(required=True)
    cover_url = fields.String(allow_none=True, required=True)
    translation_of_id = fields.Integer(allow_none=True, required=True)
    url = fields.String(required=True)


class ArticleSchema(ArticleSummarySchema):
    body_html = fields.String(required=True)
    source_line = fields.String(allow_none=True, required=True)
    versions = fields.List(fields.Nested(VersionSchema), required=True,
                           metadata={"description": "The other language versions of the article."})


class ArticleListSchema(Listed):
    items = fields.List(fields.Nested(ArticleSummarySchema), required=True)


class ArticleArgs(PageArgs):
    category = fields.String(validate=validate.Length(min=1, max=120), metadata={"description": "A category's slug."})
    tag = fields.String(validate=validate.Length(min=1, max=120), metadata={"description": "A tag's slug."})
    since = fields.Date(validate=validate.Range(min=date(1945, 1, 1), max=date(2100, 12, 31)),
                        metadata={"description": "Published on or after this day (Viet Nam time)."})
    until = fields.Date(validate=validate.Range(min=date(1945, 1, 1), max=date(2100, 12, 31)),
                        metadata={"description": "Published on or before this day (Viet Nam time)."})
    q = fields.String(validate=validate.Length(min=1, max=200),
                      metadata={"description": "Words to find in the title, summary, text and tags; accents optional."})
    locale = fields.String(load_default="vi", validate=validate.OneOf(["vi", "en"]))


class PageSchema(Strict):
    id = fields.Integer(required=True)
    parent_id = fields.Integer(allow_none=True, required=True)
    slug = fields.String(required=True)
    title = fields.String(required=True)
    locale = fields.String(required=True)
    updated_at = UtcDateTime(required=True)
    url = fields.String(required=True)


class PageDetailSchema(PageSchema):
    body_html = fields.String(required=True)


class DocumentSchema(Strict):
    id = fields.Integer(required=True)
    number = fields.String(required=True, metadata={"description": "Số / ký hiệu, e.g. 124-KH/TU."})
    doc_type = fields.String(required=True)
    issuer = fields.String(required=True)
    issued_on = fields.Date(allow_none=True, required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    file_url = fields.String(allow_none=True, required=True)
    size = fields.Integer(allow_none=True, required=True)
    url = fields.String(required=True)


class DocumentListSchema(Listed):
    items = fields.List(fields.Nested(DocumentSchema), required=True)


class DocumentArgs(PageArgs):
    number = fields.String(validate=validate.Length(min=1, max=64), metadata={"description": "Part of the number."})
    issuer = fields.String(validate=validate.Length(min=1, max=255), metadata={"description": "Part of the issuer."})
    year = fields.Integer(validate=validate.Range(min=1945, max=2100))


class MemberSchema(Strict):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name_vi = fields.String(required=True)
    name_en = fields.String(allow_none=True, required=True)
    kind = fields.String(required=True)
    country_code = fields.String(allow_none=True, required=True)
    congress_number = fields.Integer(allow_none=True, required=True)
    term_start = fields.Integer(allow_none=True, required=True)
    term_end = fields.Integer(allow_none=True, required=True)
    leader_name = fields.String(allow_none=True, required=True)
    leader_title = fields.String(allow_none=True, required=True)
    chapters_count = fields.Integer(allow_none=True, required=True)
    member_count = fields.Integer(allow_none=True, required=True)
    url = fields.String(required=True)


class UnionSchema(Strict):
    slug = fields.String(required=True)
    name_vi = fields.String(required=True)
    name_en = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    site = fields.String(allow_none=True, required=True)
    api = fields.String(required=True)


# --- staff ----------------------------------------------------------------------------------------------

class TokenInfoSchema(Strict):
    name = fields.String(required=True)
    union = fields.String(required=True)
    user = fields.String(required=True)
    scopes = fields.List(fields.String(), required=True)
    expires_at = UtcDateTime(required=True)


class DraftSchema(Strict):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    locale = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    body_html = fields.String(required=True)
    category = fields.String(required=True, metadata={"description": "The category's slug."})
    tags = fields.List(fields.String(), required=True)
    source_line = fields.String(allow_none=True, required=True)
    review_comment = fields.String(allow_none=True, required=True)
    updated_at = UtcDateTime(required=True)


class DraftListSchema(Listed):
    items = fields.List(fields.Nested(DraftSchema), required=True)


class DraftArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(["draft", "in_review", "published", "archived"]))


class DraftInSchema(Strict):
    """What a draft is written with; publication is not among it (the editorial workflow decides)."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    summary = fields.String(load_default="", validate=validate.Length(max=2000))
    body_html = fields.String(load_default="", validate=validate.Length(max=500_000),
                              metadata={"description": "HTML; cleaned by the same sanitiser as the console's."})
    category = fields.String(required=True, validate=validate.Length(min=1, max=120),
                             metadata={"description": "The slug of one of the union's categories.",
                                       "example": "tin-hoat-dong"})
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=80)), load_default=list,
                       validate=validate.Length(max=20))
    source_line = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=255))
    locale = fields.String(load_default="vi", validate=validate.OneOf(["vi", "en"]))


class DraftPatchSchema(DraftInSchema):
    """Only the fields sent change."""

    title = fields.String(validate=validate.Length(min=1, max=300))
    category = fields.String(validate=validate.Length(min=1, max=120))
    summary = fields.String(validate=validate.Length(max=2000))
    body_html = fields.String(validate=validate.Length(max=500_000))
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=80)), validate=validate.Length(max=20))
    locale = fields.String(validate=validate.OneOf(["vi", "en"]))
    source_line = fields.String(allow_none=True, validate=validate.Length(max=255))


# --- partners, aid, visits, the portal ---------------------------------------------------------------

class MoneySchema(Strict):
    amount = fields.Integer(required=True, metadata={"description": "Minor units of the currency (VND: đồng; USD: "
                                                                    "cents)."})
    currency = fields.String(required=True, metadata={"example": "VND"})


class AgreementSchema(Strict):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    signed_on = fields.Date(allow_none=True, required=True)
    period_start = fields.Integer(allow_none=True, required=True)
    period_end = fields.Integer(allow_none=True, required=True)
    summary = fields.String(required=True)
    url = fields.String(required=True)


class PartnerSchema(Strict):
    id = fields.Integer(required=True)
    name_vi = fields.String(required=True)
    name_en = fields.String(allow_none=True, required=True)
    country_code = fields.String(required=True)
    level = fields.String(required=True)
    description = fields.String(required=True)
    agreements = fields.List(fields.Nested(AgreementSchema), required=True)
    url = fields.String(required=True)


class AidTotalsSchema(Strict):
    committed = fields.List(fields.Nested(MoneySchema), required=True, metadata={"description": "In VND and USD."})
    disbursed = fields.List(fields.Nested(MoneySchema), required=True)


class AidProjectSchema(Strict):
    id = fields.Integer(required=True)
    title_vi = fields.String(required=True)
    title_en = fields.String(required=True)
    sector_code = fields.String(required=True, metadata={"description": "OECD DAC purpose code."})
    status = fields.String(required=True)
    district = fields.String(required=True)
    commune = fields.String(required=True)
    start_date = fields.Date(allow_none=True, required=True)
    end_date = fields.Date(allow_none=True, required=True)
    beneficiaries = fields.Integer(allow_none=True, required=True)
    totals = fields.Nested(AidTotalsSchema, required=True)
    url = fields.String(required=True)


class AidListSchema(Listed):
    items = fields.List(fields.Nested(AidProjectSchema), required=True)
    totals = fields.Nested(AidTotalsSchema, required=True, metadata={"description": "Of every public project."})


class VisitsSchema(Strict):
    online = fields.Integer(required=True)
    today = fields.Integer(required=True)
    yesterday = fields.Integer(required=True)
    this_week = fields.Integer(required=True)
    last_week = fields.Integer(required=True)
    this_month = fields.Integer(required=True)
    last_month = fields.Integer(required=True)
    total = fields.Integer(required=True)


class LimitArgs(Strict):
    limit = fields.Integer(load_default=8, validate=validate.Range(min=1, max=50))


class PortalNewsSchema(Strict):
    article_id = fields.Integer(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    published_at = UtcDateTime(required=True)
    union = fields.String(required=True)
    url = fields.String(allow_none=True, required=True)
