from django import forms
from django.urls import reverse_lazy

from factcheck.models import PrimarySource, Speaker, Statement


class QueueFilterForm(forms.Form):
    """The queue's filters, all in the query string so a view can be shared as a link."""

    SORTS = [("priority", "Priority"), ("recent", "Newest first"), ("appearances", "Most printed")]
    STATUSES = [("open", "Open"), *Statement.Status.choices, ("all", "All")]
    ASSIGNEES = [("", "Anyone"), ("mine", "Mine"), ("unassigned", "Unassigned")]
    PRIORITIES = [("", "Any priority"), *[(str(v), label) for v, label in Statement.Priority.choices]]

    q = forms.CharField(required=False, max_length=200, label="Search")
    status = forms.ChoiceField(choices=STATUSES, required=False, initial="open")
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Statement.Kind.choices], required=False)
    # Names as the desk knows them, suggested as one types (the input asks for its own options).
    speaker = forms.CharField(required=False, max_length=200, label="Speaker", widget=forms.TextInput(attrs={
        "list": "queue-speaker-options", "autocomplete": "off",
        "data-hx-get": reverse_lazy("speaker_options"), "data-hx-trigger": "input changed delay:250ms",
        "data-hx-target": "#queue-speaker-options", "data-hx-swap": "innerHTML"}))
    outlet = forms.CharField(required=False, max_length=200, label="Outlet", widget=forms.TextInput(attrs={
        "list": "queue-outlet-options", "autocomplete": "off",
        "data-hx-get": reverse_lazy("outlet_options"), "data-hx-trigger": "input changed delay:250ms",
        "data-hx-target": "#queue-outlet-options", "data-hx-swap": "innerHTML"}))
    article = forms.CharField(required=False, max_length=200, label="Article (title or number)")
    tag = forms.CharField(required=False, max_length=100)
    assignee = forms.ChoiceField(choices=ASSIGNEES, required=False)
    priority = forms.TypedChoiceField(choices=PRIORITIES, required=False, coerce=int, empty_value=None)
    min_score = forms.FloatField(required=False, min_value=0, max_value=1, label="Score from")
    max_score = forms.FloatField(required=False, min_value=0, max_value=1, label="to")
    since = forms.DateField(required=False, label="Found since",
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="until",
                            widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(choices=SORTS, required=False, initial="priority")

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone on the desk by username, beside "mine" and "unassigned" (one query, the page's).
        self.fields["assignee"].choices = [*self.ASSIGNEES, *[(u, u) for u in colleagues]]


class DismissForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why is this not worth checking?")


class BulkForm(forms.Form):
    """The queue's actions on the selected items. Each checkbox carries "id:version", the
    version of the row as the page showed it, so a change made since then is caught."""

    CHOOSE = "Choose what to do with the selected items."
    action = forms.ChoiceField(choices=[(a, a) for a in ("assign", "tag", "dismiss", "restore", "priority")],
                               error_messages={"required": CHOOSE, "invalid_choice": CHOOSE})
    assign_to = forms.CharField(required=False, max_length=150)
    tag = forms.CharField(required=False, max_length=100)
    reason = forms.CharField(required=False, max_length=300)
    priority = forms.TypedChoiceField(choices=[("", "")] + [(str(v), label) for v, label in
                                                            Statement.Priority.choices],
                                      coerce=int, empty_value=None, required=False)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.picked = data.getlist("statements") if hasattr(data, "getlist") else []

    def clean(self):
        data = super().clean()
        items = {}
        for value in self.picked[:1000]:
            pk, _, version = str(value).partition(":")
            if not pk.isdigit() or len(pk) > 10 or (version and (not version.isdigit() or len(version) > 10)):
                raise forms.ValidationError("The selection was not understood: reload the queue.")
            items[int(pk)] = int(version) if version else None
        data["items"] = list(items.items())
        data["tags"] = [" ".join(data.get("tag", "").split())] if (data.get("tag") or "").strip() else []
        return data


class InternalNoteForm(forms.Form):
    body = forms.CharField(max_length=5000, label="Note", strip=True,
                           widget=forms.Textarea(attrs={"rows": 3,
                                                        "placeholder": "@name to tell a colleague"}))


class SavedViewForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name this view")
    for_desk = forms.BooleanField(required=False, label="For the whole desk")
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StatementEditForm(VersionedForm):
    kind = forms.ChoiceField(choices=Statement.Kind.choices)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)

    def __init__(self, *args, article_length: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.article_length = article_length

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and not (start < end <= self.article_length):
            raise forms.ValidationError(
                f"The span must run forwards and end within the article ({self.article_length} characters).")
        return data


class SpeakerField(forms.ModelChoiceField):
    """A speaker typed by name (or alias), as the desk knows them; a slug still works, for
    links. The box shows the name, never the slug."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(queryset=Speaker.objects.all(), to_field_name="slug", **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str) and value:  # a slug from a link (?keep=ada-vance), or typed text
            value = Speaker.objects.filter(slug=value).first() or value
        return value.name if isinstance(value, Speaker) else super().prepare_value(value)

    def to_python(self, value):
        value = " ".join(str(value or "").split())
        if not value:
            return None
        by_slug = Speaker.objects.filter(slug=value).first()
        if by_slug is not None:
            return by_slug
        named = list(Speaker.objects.matching(value)[:2])
        if len(named) > 1:
            raise forms.ValidationError(
                f"More than one speaker is called “{value}”: choose one from the list.", code="ambiguous")
        if not named:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return named[0]


class SpeakerChoiceForm(VersionedForm):
    speaker = SpeakerField(required=False, label="Speaker")
    add_mention_as_alias = forms.BooleanField(required=False,
                                              label="Remember the mention as an alias")

    def __init__(self, *args, **kwargs):
        # Its hidden version field shares the statement page with the span form's id_version.
        kwargs.setdefault("auto_id", "id_speaker_choice_%s")
        super().__init__(*args, **kwargs)


class NewSpeakerForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Speaker.Kind.choices)
    description = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        # Its own ids: it shares the statement page with the span form's "kind", and two
        # id_kind fields left the second one without a label.
        kwargs.setdefault("auto_id", "id_new_speaker_%s")
        super().__init__(*args, **kwargs)


class MergeSpeakersForm(forms.Form):
    # Typed names with autocomplete, not <select>s: a desk's thousands of speakers made each
    # list thousands of options (half a second a page with 2,000 speakers).
    keep = SpeakerField()
    merge = SpeakerField()

    def clean(self):
        data = super().clean()
        if data.get("keep") and data.get("keep") == data.get("merge"):
            raise forms.ValidationError("Choose two different speakers.")
        return data


class TagsForm(forms.Form):
    tags = forms.CharField(required=False, max_length=1000,
                           help_text="Comma-separated, e.g. Ukraine, military",
                           widget=forms.TextInput(attrs={"list": "tag-options", "autocomplete": "off"}))

    def clean_tags(self):
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()][:20]


class PrimarySourceForm(forms.Form):
    """A primary source, given one way: a URL to fetch, a file, or pasted text."""

    title = forms.CharField(max_length=300, required=False,
                            help_text='What it is, e.g. "Press conference transcript, 4 March".')
    url = forms.URLField(max_length=2000, required=False, assume_scheme="https",
                         label="Fetch from a URL")
    file = forms.FileField(required=False, label="Or upload a .txt, .srt or .vtt file")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False,
                           strip=False, label="Or paste the transcript or release")

    def clean(self):
        data = super().clean()
        given = [name for name in ("url", "file", "text") if data.get(name) and (
            name != "text" or data["text"].strip())]
        if len(given) != 1:
            raise forms.ValidationError("Give the source one way: a URL, a file or pasted text.")
        return data


class AlignmentDecisionForm(VersionedForm):
    decision = forms.ChoiceField(choices=PrimarySource.Match.choices, widget=forms.RadioSelect,
                                 label="How does the quote match this source?")


class SelectionForm(forms.Form):
    """A new item from a span of the article an editor selected (offsets set by the page)."""

    start = forms.IntegerField(min_value=0, max_value=10**9, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, max_value=10**9, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=Statement.Kind.choices, initial=Statement.Kind.DIRECT)
    speaker = SpeakerField(required=False, label="Speaker")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_selection_%s")
        super().__init__(*args, **kwargs)
