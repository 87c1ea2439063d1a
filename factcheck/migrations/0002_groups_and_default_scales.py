"""Roles as groups, and the default rating scale and attribution verdicts.

Both are editable afterwards in the admin; this only makes a fresh install usable.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "view_article", "add_article", "view_outlet", "view_feed",
    "view_statement", "change_statement", "review_statement",
    "view_speaker", "add_speaker", "change_speaker", "view_speakeralias", "add_speakeralias",
    "view_tag", "add_tag",
    "view_factcheck", "add_factcheck", "change_factcheck", "submit_factcheck",
    "view_evidence", "add_evidence", "change_evidence", "delete_evidence",
    "view_rating", "view_ratingscale", "view_attributionverdict",
    "view_correction", "view_reviewevent",
]
PUBLISHER_PERMISSIONS = EDITOR_PERMISSIONS + [
    "approve_factcheck", "publish_factcheck", "add_correction",
]

DEFAULT_RATINGS = [
    # (label, value, description)
    ("True", 5, "The statement is accurate and nothing significant is missing."),
    ("Mostly true", 4, "Accurate but needs clarification or additional information."),
    ("Half true", 3, "Partially accurate but leaves out important details or takes things out of context."),
    ("Mostly false", 2, "Contains an element of truth but ignores facts that would give a different impression."),
    ("False", 1, "The statement is not accurate."),
    ("Unproven", None, "The evidence available does not allow a rating either way."),
]

DEFAULT_VERDICTS = [
    ("Accurate", "accurate", "The person said this, in this form and context."),
    ("Paraphrased", "paraphrased", "The meaning is right, the wording is not theirs."),
    ("Altered", "altered", "The words were changed in a way that changes the meaning."),
    ("Out of context", "out-of-context", "The words are theirs but the context changes their meaning."),
    ("Misattributed", "misattributed", "Someone else said this."),
    ("Fabricated", "fabricated", "Nobody said this."),
    ("Unverifiable", "unverifiable", "We could not establish whether they said it."),
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run; create them now so the
    # groups can be given theirs in this same migration.
    app_config = apps.get_app_config("factcheck")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Editor", EDITOR_PERMISSIONS), ("Publisher", PUBLISHER_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="factcheck", codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.add(*perms)


def create_scales(apps, schema_editor):
    RatingScale = apps.get_model("factcheck", "RatingScale")
    Rating = apps.get_model("factcheck", "Rating")
    AttributionVerdict = apps.get_model("factcheck", "AttributionVerdict")
    scale, _ = RatingScale.objects.get_or_create(
        slug="truth-o-meter", defaults={"name": "Five-point truth scale", "min_value": 1,
                                        "max_value": 5, "is_default": True})
    for order, (label, value, description) in enumerate(DEFAULT_RATINGS):
        Rating.objects.get_or_create(
            scale=scale, slug=label.lower().replace(" ", "-"),
            defaults={"label": label, "value": value, "description": description, "order": order})
    for order, (label, slug, description) in enumerate(DEFAULT_VERDICTS):
        AttributionVerdict.objects.get_or_create(
            slug=slug, defaults={"label": label, "description": description, "order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(create_scales, migrations.RunPython.noop),
    ]
