"""The fact-check editor's forms, and the publishers' decisions."""

from django import forms

from factcheck.models import AttributionVerdict, Correction, Evidence, FactCheck, Rating, RightOfReply


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attribution_verdict"].queryset = AttributionVerdict.objects.filter(is_active=True)
        self.fields["rating"].queryset = Rating.objects.select_related("scale").filter(
            scale__is_default=True)
        self.fields["claim_reviewed"].label = "Claim reviewed"


class EvidenceForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https", label="URL")

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
    kind = forms.ChoiceField(choices=Correction.Kind.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           label="Public note")
    rating = forms.ModelChoiceField(Rating.objects.filter(scale__is_default=True), required=False,
                                    help_text="Leave empty to keep the current rating.")
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False,
                                  help_text="Leave empty to keep the current explanation.")
