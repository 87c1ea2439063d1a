"""The fact-check editor's forms, and the publishers' decisions."""

from django import forms
from django.core.validators import URLValidator

from factcheck.models import (
    AttributionVerdict,
    Correction,
    Evidence,
    FactCheck,
    Rating,
    RightOfReply,
)
from factcheck.review.forms import SpeakerField


class FactCheckForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = FactCheck
        fields = ["claim_reviewed", "headline", "attribution_verdict", "rating", "explanation",
                  "internal_notes"]
        widgets = {
            "claim_reviewed": forms.TextInput(attrs={"maxlength": 500, "data-counter": "75"}),
            "explanation": forms.Textarea(attrs={"rows": 12}),
            "internal_notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, has_speaker: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_speaker:
            # "Did they say it?" needs a who: without a speaker the question has no subject.
            del self.fields["attribution_verdict"]
        else:
            self.fields["attribution_verdict"].queryset = AttributionVerdict.objects.filter(is_active=True)
        self.fields["rating"].queryset = Rating.objects.select_related("scale").filter(
            scale__is_default=True)
        self.fields["claim_reviewed"].label = "Claim reviewed"


class EvidenceForm(forms.ModelForm):
    # Readers follow these links from the public page: the web only (no ftp:, file:, ...).
    url = forms.URLField(max_length=2000, assume_scheme="https", label="URL",
                         validators=[URLValidator(schemes=["http", "https"])])

    class Meta:
        model = Evidence
        fields = ["url", "title", "publisher", "kind", "quote"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3})}


class RightOfReplyForm(forms.ModelForm):
    class Meta:
        model = RightOfReply
        fields = ["contact", "method", "contacted_at", "response", "responded_at"]
        widgets = {
            "contacted_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "responded_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "response": forms.Textarea(attrs={"rows": 3}),
        }


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class CorrectionForm(forms.Form):
    """A proposed correction to a published fact-check; empty fields keep what is published."""

    kind = forms.ChoiceField(choices=Correction.Kind.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           label="Public note")
    rating = forms.ModelChoiceField(Rating.objects.filter(scale__is_default=True), required=False,
                                    help_text="Leave empty to keep the current rating.")
    attribution_verdict = forms.ModelChoiceField(AttributionVerdict.objects.filter(is_active=True),
                                                 required=False, label="Attribution verdict",
                                                 help_text="Leave empty to keep the current verdict.")
    speaker = SpeakerField(required=False, label="Speaker",
                           help_text="Who really said it; leave empty to keep the speaker.")
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False,
                                  help_text="Leave empty to keep the current explanation.")

    CHANGES = ("rating", "attribution_verdict", "speaker", "explanation")
