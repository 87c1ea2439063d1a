from django import forms
from django.conf import settings


class PasteForm(forms.Form):
    title = forms.CharField(max_length=500, required=False,
                            help_text="Leave empty to use the first line of the text.")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 18}), strip=False,
                           help_text="The article as published, headline first if there is no title.")
    url = forms.CharField(label="URL", max_length=2000, required=False,
                          help_text="Where it was published (recorded, not fetched).")
    outlet = forms.CharField(max_length=200, required=False)
    published_at = forms.DateTimeField(label="Published", required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("The text is empty.")
        return text


class UrlForm(forms.Form):
    url = forms.CharField(label="URL", max_length=2000,
                          widget=forms.URLInput(attrs={"placeholder": "https://", "autofocus": True}))


class BulkForm(forms.Form):
    file = forms.FileField(label="JSONL file", help_text='One JSON object per line: {"url": "https://..."} '
                           'to fetch, or {"text": "...", "title": "...", "url": "...", "outlet": "...", '
                           '"published_at": "2026-02-10T08:30:00Z"}.',
                           widget=forms.ClearableFileInput(attrs={"accept": ".jsonl,.ndjson,.json"}))


class UploadForm(forms.Form):
    file = forms.FileField(help_text="An .html, .htm or .txt file, at most "
                                     f"{settings.FACTCHECK_FETCH_MAX_BYTES / 1e6:g} MB.",
                           widget=forms.ClearableFileInput(attrs={"accept": ".html,.htm,.txt"}))
