from django.contrib import admin
from django.db.models import URLField

from factcheck import models

# A pasted "example.com/story" means the https page, as in the desk's own forms (and
# Django 6's default); said here so admin forms don't rely on the deprecated http default.
HTTPS_URLS = {URLField: {"assume_scheme": "https"}}


@admin.register(models.Outlet)
class OutletAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "domain", "created_at"]
    search_fields = ["name", "domain"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Feed)
class FeedAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["url", "outlet", "is_active", "last_polled_at", "consecutive_errors"]
    list_filter = ["is_active", "outlet"]
    search_fields = ["url", "title"]
    readonly_fields = ["etag", "last_modified", "last_polled_at", "last_error", "consecutive_errors"]


class ArticleVersionInline(admin.TabularInline):
    model = models.ArticleVersion
    extra = 0
    readonly_fields = ["content_hash", "superseded_at"]
    fields = ["superseded_at", "content_hash"]
    can_delete = False


@admin.register(models.Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["__str__", "outlet", "published_at", "extraction_status", "copy_of", "ingested_at"]
    list_filter = ["extraction_status", "source", "outlet"]
    search_fields = ["title", "url", "byline"]
    date_hierarchy = "ingested_at"
    raw_id_fields = ["copy_of", "ingested_by"]
    readonly_fields = ["url_hash", "content_hash", "extraction_error", "extracted_at", "ingested_at"]
    inlines = [ArticleVersionInline]


class SpeakerAliasInline(admin.TabularInline):
    model = models.SpeakerAlias
    extra = 1
    fields = ["alias"]


@admin.register(models.Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "description", "wikidata_qid"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__alias", "wikidata_qid"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpeakerAliasInline]


@admin.register(models.Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "speaker", "score", "status", "assignee", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["text", "mention", "speaker__name"]
    raw_id_fields = ["article", "speaker", "assignee"]
    readonly_fields = ["fingerprint", "version", "created_at", "updated_at"]
    filter_horizontal = ["tags"]

    def has_change_permission(self, request, obj=None):
        # A quote on a fact-check under approval or published changes through a correction
        # that a second publisher publishes, not here.
        if obj is not None and obj.settled_factchecks().exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.settled_factchecks().exists():
            return False
        return super().has_delete_permission(request, obj)


class RatingInline(admin.TabularInline):
    model = models.Rating
    extra = 1
    prepopulated_fields = {"slug": ["label"]}


@admin.register(models.RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "min_value", "max_value", "is_default"]
    inlines = [RatingInline]


@admin.register(models.AttributionVerdict)
class AttributionVerdictAdmin(admin.ModelAdmin):
    list_display = ["label", "order", "is_active"]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"slug": ["label"]}


class EvidenceInline(admin.StackedInline):
    formfield_overrides = HTTPS_URLS
    model = models.Evidence
    extra = 0
    readonly_fields = ["snapshot_sha256"]


class CorrectionInline(admin.TabularInline):
    model = models.Correction
    extra = 0
    raw_id_fields = ["created_by"]


@admin.register(models.FactCheck)
class FactCheckAdmin(admin.ModelAdmin):
    list_display = ["claim_reviewed", "status", "rating", "attribution_verdict", "published_at"]
    list_filter = ["status", "rating", "attribution_verdict"]
    search_fields = ["claim_reviewed", "explanation"]
    raw_id_fields = ["statements", "created_by", "approver"]
    filter_horizontal = ["authors", "tags"]
    # State changes go through the workflow (with its permission checks and audit events),
    # never through a status field edited by hand.
    readonly_fields = ["status", "approver", "submitted_at", "approved_at", "published_at",
                       "withdrawn_at", "version"]
    inlines = [EvidenceInline, CorrectionInline]

    def has_change_permission(self, request, obj=None):
        # Published means settled: its content changes through a correction with four eyes.
        if obj is not None and obj.status == models.FactCheck.Status.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        # Statements added to or taken from a published fact-check here are matched against
        # (or no longer) as the workflow's own steps would have them.
        before = set(form.instance.statements.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.statements.values_list("pk", flat=True))
        models.Statement.objects.filter(pk__in=before ^ after).refresh_published_flag()


@admin.register(models.ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "statement", "factcheck", "article"]
    list_filter = ["action"]
    search_fields = ["note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    # Keys are shown once, by `manage.py create_api_token`; only their hash is stored.
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "is_active"]
    list_filter = ["is_active"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["name", "user", "is_active", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # a key must be shown to its owner once: create_api_token does that


@admin.register(models.IngestBatch)
class IngestBatchAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "processed", "total", "added", "known", "refused", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["lines", "errors"]


@admin.register(models.SiteText)
class SiteTextAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "updated_at"]
