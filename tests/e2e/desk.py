"""A desk with work on it: the three demo articles and the queue items an extraction of them
gives, made directly (fast, and independent of the extractor, which has its own tests).

Journey 1 runs the real extractor; the other journeys need a known queue.
"""

from django.utils import timezone

from factcheck.demo import DEMO_ARTICLES
from factcheck.factchecks import actions as factchecks
from factcheck.models import Article, AttributionVerdict, Evidence, Outlet, Rating, Speaker, Statement
from factcheck.review import actions as review

SPEAKERS = {
    "okonkwo": ("Adaeze Okonkwo", Speaker.Kind.PERSON, "Mayor of Harbour City"),
    "reyes": ("Tomas Reyes", Speaker.Kind.PERSON, "Opposition leader, Harbour City council"),
    "ministry": ("Ministry of Transport", Speaker.Kind.ORGANIZATION, ""),
    "halvorsen": ("Ines Halvorsen", Speaker.Kind.PERSON, "Medical director, Northern River Health Board"),
    "mendes": ("Paulo Mendes", Speaker.Kind.PERSON, "Secretary of the nurses' union"),
    "tarnek": ("Miroslav Tarnek", Speaker.Kind.PERSON, "President of Valdoria"),
}

# (article file, text as it appears in the article, kind, speaker key, mention, cue, score, extra)
ITEMS = [
    ("harbour-city-budget.txt", "the city's tram budget had been cut by 48 per cent since 2019",
     "indirect", "okonkwo", "Adaeze Okonkwo", "told", 0.93, {"venue": "councillors"}),
    ("harbour-city-budget.txt", "We are running a 2025 network on a 2019 budget", "direct", "okonkwo",
     "Okonkwo", "said", 0.64, {}),
    ("harbour-city-budget.txt", "Every line we add is paid for by closing another one.", "direct",
     "okonkwo", "Okonkwo", "said", 0.41, {}),
    ("harbour-city-budget.txt", "national funding for city trams rose by 6 per cent over the same period",
     "indirect", "ministry", "The Ministry of Transport", "said", 0.88, {"venue": "a written statement"}),
    ("harbour-city-budget.txt", "a creative reading of the accounts", "partial", "reyes",
     "Councillor Tomas Reyes", "called", 0.31, {}),
    ("harbour-city-budget.txt", "I have read every budget since 2019", "direct", "reyes", "he", "said",
     0.57, {}),
    ("harbour-city-budget.txt", "ridership fell to 61 million trips in 2024, down from 74 million before "
     "the pandemic", "claim", None, "", "", 0.79, {}),
    ("river-clinic-waiting.txt", "the average wait had already reached four hours and ten minutes in "
     "October", "indirect", "halvorsen", "Dr. Ines Halvorsen", "said", 0.90, {}),
    ("river-clinic-waiting.txt", "We are asking people to wait longer than a working afternoon", "direct",
     "halvorsen", "she", "said", 0.46, {}),
    # Attributed to the wrong person, as an extractor might: the journey fixes it.
    ("river-clinic-waiting.txt", "Our people are exhausted", "direct", "halvorsen",
     "union secretary Paulo Mendes", "told", 0.52, {"venue": "reporters"}),
    ("river-clinic-waiting.txt", "one in five patients left the clinics without being seen last month",
     "claim", None, "", "", 0.82, {}),
    ("tarnek-valdoria-border.txt", "it would be over within a week.", "partial", "tarnek", "Tarnek",
     "predicted", 0.71, {}),
    ("tarnek-valdoria-border.txt", "We will stop every shipment the day they move against us", "direct",
     "tarnek", "the Valdorian president", "said", 0.76,
     {"via": [{"name": "Ostravan state media", "text": "a translation published by Ostravan state media",
               "start": 0, "end": 0}]}),
    ("tarnek-valdoria-border.txt", "Nobody in Valdoria wants this", "direct", "tarnek", "he", "said",
     0.55, {"venue": "the late-night radio programme \"Open Line With Sava Petrov\""}),
    ("tarnek-valdoria-border.txt", "Ostrava has already moved 40 armoured vehicles and two air-defence "
     "batteries into Valdoria since January", "claim", None, "", "", 0.86, {}),
]


def build_desk() -> dict:
    """Articles, speakers and new queue items; returns them by name for the tests."""
    articles = {}
    for demo in DEMO_ARTICLES:
        outlet, _ = Outlet.objects.get_or_create(name=demo.outlet, defaults={"domain": demo.outlet_domain})
        article, _ = Article.objects.ingest(text=demo.text, url=demo.url, title=demo.title,
                                            byline=demo.byline, outlet=outlet,
                                            published_at=demo.published_at, source=Article.Source.DEMO)
        Article.objects.filter(pk=article.pk).update(extraction_status=Article.Extraction.DONE,
                                                     extracted_at=timezone.now())
        articles[demo.filename] = article
    speakers = {key: Speaker.objects.create(name=name, kind=kind, description=description)
                for key, (name, kind, description) in SPEAKERS.items()}
    statements = {}
    for filename, text, kind, speaker, mention, cue, score, extra in ITEMS:
        article = articles[filename]
        start = article.text.index(text)
        for hop in extra.get("via", []):  # as the extractor records them: offsets in the article
            hop["start"] = article.text.index(hop["text"])
            hop["end"] = hop["start"] + len(hop["text"])
        statements[text] = Statement.objects.create(
            article=article, kind=kind, text=text, start=start, end=start + len(text),
            speaker=speakers.get(speaker), mention=mention, cue=cue, score=score, **extra)
    return {"articles": articles, "speakers": speakers, "statements": statements}


def published_factcheck(statement, *, editor, publisher, rating="mostly-false", verdict="accurate",
                        claim="", explanation=""):
    """A fact-check of `statement` taken through the real workflow up to its public page."""
    factcheck = submitted_factcheck(statement, editor=editor, rating=rating, verdict=verdict,
                                    claim=claim, explanation=explanation)
    factchecks.approve(factcheck=factcheck, by=publisher)
    factchecks.publish(factcheck=factcheck, by=publisher)
    factcheck.refresh_from_db()
    return factcheck


def submitted_factcheck(statement, *, editor, rating="mostly-false", verdict="accurate", claim="",
                        explanation=""):
    """A fact-check of `statement`, written by `editor` and waiting for a publisher."""
    review.assign(statement=statement, by=editor)
    factcheck = factchecks.start_factcheck(statement=statement, by=editor)
    factchecks.save_factcheck(
        factcheck=factcheck, by=editor, version=factcheck.version,
        claim_reviewed=claim or f"{statement.speaker or 'Someone'} said: {statement.text}"[:120],
        headline="", internal_notes="",
        explanation=explanation or "The council's published budgets show a fall of 34 per cent.",
        attribution_verdict=AttributionVerdict.objects.get(slug=verdict),
        rating=Rating.objects.get(scale__is_default=True, slug=rating))
    Evidence.objects.create(factcheck=factcheck, url="https://harbour-city.example/budget/2025",
                            title="City budget 2025", publisher="Harbour City council",
                            kind=Evidence.Kind.PRIMARY, added_by=editor)
    factchecks.submit_factcheck(factcheck=factcheck, by=editor)
    factcheck.refresh_from_db()
    return factcheck
