"""The alignment accuracy set (#32): (quote, source, expected class, expected passage) cases.

Every source text here is invented for this set (people, places and figures included). Cases
come two ways:

- generated: each sentence of a source is altered the way quotes drift (cut into a fragment,
  case and punctuation changed, split by "he said", words dropped with or without an ellipsis,
  one word translated differently, clauses swapped), with the class and passage that alteration
  must give; plus quotes of one source looked for in another (not found);
- hand-written: paraphrases, near misses on the same subject, and harder cuts.

PART "tune" was written first and the engine's thresholds were tuned on it; PART "held_out"
(HELD_OUT_SOURCES and HELD_OUT_HAND) was written after the tuning and never tuned on, so its
figure says how the engine does on text it has not seen.

    .venv/bin/python training/alignment/evaluate.py     # accuracy by class, both parts
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from factcheck.statements.alignment import read_source

SOURCES = {
    "council": (
        "Good evening, everyone, and thank you for coming out on a wet Thursday. "
        "I want to start with the bridge, because that is what most of you wrote to me about. "
        "The repairs to the Carrow Street bridge will begin in March and will take about eleven weeks. "
        "During that time the number 14 bus will run along Mill Lane instead, and we will add two "
        "extra services in the morning. "
        "We will not pay for a new bridge, not this year and not next year, because the survey "
        "found the old one is sound. "
        "I know some of you were promised a new bridge by the last administration, and I am sorry "
        "that promise was made. "
        "The council has other priorities, um, like the schools on the east side and the harbour wall. "
        "The harbour wall was damaged in the January storm and it is now the most urgent job we have. "
        "We have set aside two point four million pounds for it, and the work goes out to tender next month. "
        "On housing, we have approved three hundred and twelve new homes on the old depot site. "
        "A third of them will be let at social rents, and none of them will be sold to overseas investors. "
        "Our budget for roads goes up by four percent, and every penny of it is spent in the districts "
        "that asked for it. "
        "Nobody in this chamber voted for a toll on the bridge, and nobody will while I am leader. "
        "Some people have said that the library in Westgate will close. "
        "That is simply not true, and I would ask people to stop repeating it. "
        "The library will move into the community centre, where it will open for longer hours. "
        "We are also hiring four more street wardens, who will start work in the summer. "
        "I am happy to take your questions now, and I will stay as long as it takes."
    ),
    "health": (
        "Thank you, and good morning. "
        "The ministry has published this morning the figures for waiting times in the last quarter. "
        "The median wait for a hip operation fell from thirty one weeks to twenty six weeks. "
        "That is the first fall in four years, and it is down to the staff who worked weekends to make "
        "it happen. "
        "We said we would open six new diagnostic centres, and five of them are now open. "
        "The sixth, in Dunmore, opens in September, three months later than we planned. "
        "I will not pretend that the delay in Dunmore is acceptable. "
        "The contractor went into administration in the spring, and we had to find another one. "
        "Let me turn to the question of nurses' pay. "
        "We have offered a rise of five and a half percent, backdated to April. "
        "The unions have told us that is not enough, and I respect their right to say so. "
        "But the money has to come from somewhere, and I will not take it from patient care. "
        "There will be no new charges for prescriptions while this government is in office. "
        "I have asked the chief medical officer to review the advice on winter vaccines. "
        "She will report by the end of October, and we will publish her report in full. "
        "Ambulance response times are still too long in rural areas, especially in the north west. "
        "We are putting forty new ambulances on the road before Christmas. "
        "I want every patient to be seen by the right person at the right time, and we are not there yet. "
        "I will now take questions from the press."
    ),
    "interview": (
        "Well, thanks for having me on the programme. "
        "Look, the energy price cap was never meant to be permanent, and everyone in the industry knew that. "
        "What we are asking for is a clear plan for the next five years. "
        "Households on prepayment meters pay more than anyone else, and that has to change. "
        "We have frozen our standing charges until the end of the year. "
        "I think, uh, I think the regulator has been too slow on this, frankly. "
        "Our customers do not want another review, they want their bills to come down. "
        "We invested nine hundred million in wind power last year, more than any other supplier. "
        "Two of our offshore farms will be connected to the grid by the spring. "
        "No, we are not going to raise prices in October, I can tell you that today. "
        "The profits we made this year will go back into the network, not to shareholders. "
        "I was a customer adviser myself for six years before I ran this company. "
        "I know what it is like to take a call from someone who cannot heat their home. "
        "If the government wants to help, it should cut the tax on household energy bills. "
        "We would pass every penny of that cut on to our customers, and we would do it the same day. "
        "Smart meters are not a magic answer, but they do help people see what they spend. "
        "I am not going to comment on rumours about a merger. "
        "What I will say is that we are a strong company with a strong balance sheet. "
        "Thank you, it was good to talk to you."
    ),
    "release": (
        "Harbourside Water today announced a new plan to cut leaks across its network by a third by 2030. "
        "The company lost an average of ninety one million litres a day to leaks last year. "
        "Chief executive Maria Okafor said the plan would replace four hundred kilometres of old pipes. "
        "The work will be paid for from the company's own profits and will not add to customer bills. "
        "Harbourside will also install acoustic sensors that can hear a leak before it reaches the surface. "
        "The first sensors are being fitted in the city centre this autumn. "
        "Customers who report a leak through the new app will be told within two hours when it will be "
        "fixed. "
        "The company has been fined twice in the past three years for sewage spills into the river Aln. "
        "It said that a new storage tank at Fenwick will stop most of those spills when it is finished. "
        "The tank is due to be completed in the summer of next year, at a cost of sixty million pounds. "
        "Harbourside serves one point two million customers in the north east. "
        "The regulator welcomed the plan but said it would watch closely to see that the targets were met. "
        "A hosepipe ban that has been in place since July will be lifted on Monday. "
        "The company thanked its customers for saving water during the driest summer in thirty years."
    ),
}

# Written after the engine was tuned on the sets above: never tuned on.
HELD_OUT_SOURCES: dict[str, str] = {
    "hearing": (
        "CHAIR: Order, order. We now come to the evidence session on rail fares. "
        "Ms Varga, thank you for joining us, and would you like to say a few words first? "
        "MS VARGA: Thank you, Chair. "
        "Fares on regional lines have risen faster than wages for nine years in a row. "
        "Passengers in the valleys pay twice as much a mile as passengers in the capital, and they get "
        "older trains. "
        "We proposed a single fare cap of eight pounds a day, and the treasury turned it down in May. "
        "CHAIR: Why did the treasury turn it down? "
        "MS VARGA: They told us it would cost a hundred and forty million pounds a year, which we dispute. "
        "Our own figure is closer to ninety million, because more people would travel. "
        "MR DOYLE: Can I come in there? "
        "The operators have not been consulted on any cap, and I think that is a serious mistake. "
        "If the fare cap goes ahead without new rolling stock, the trains will simply be full. "
        "MS VARGA: Nobody is saying the cap can work on its own. "
        "We have asked for forty new carriages on the valley lines by the end of next year. "
        "CHAIR: And have the carriages been ordered? "
        "MS VARGA: Not yet, no, and I regret that. "
        "The order was delayed by the dispute over the depot at Pontmawr, which is now settled. "
        "I expect the order to be placed before the end of this financial year. "
        "CHAIR: Thank you, we will write to you with our further questions."
    ),
    "presser": (
        "1\n00:00:02,000 --> 00:00:06,500\nGood afternoon. I am Detective Superintendent\nAlan Reyes.\n\n"
        "2\n00:00:06,600 --> 00:00:12,000\nAt about ten past four yesterday a lorry left the road\n"
        "on the A612 near Saltby and struck two parked cars.\n\n"
        "3\n00:00:12,100 --> 00:00:17,400\nThe driver of the lorry, a man aged fifty four,\n"
        "was taken to hospital with serious injuries.\n\n"
        "4\n00:00:17,500 --> 00:00:22,900\nNobody else was hurt, and I want to thank the people\n"
        "who stopped to help before the ambulance arrived.\n\n"
        "5\n00:00:23,000 --> 00:00:29,800\nWe are not treating the crash as suspicious,\n"
        "but we are still trying to work out why the lorry left the road.\n\n"
        "6\n00:00:29,900 --> 00:00:35,200\nThe road was closed for seven hours while the lorry\n"
        "was recovered and the surface was repaired.\n\n"
        "7\n00:00:35,300 --> 00:00:41,000\nWe would like to hear from anyone with dashcam footage\n"
        "of the A612 between four and half past four.\n\n"
        "8\n00:00:41,100 --> 00:00:47,500\nI have seen reports online that the driver was on his phone.\n"
        "There is no evidence of that at this stage.\n\n"
        "9\n00:00:47,600 --> 00:00:53,000\nPlease do not share rumours about the driver or his family,\n"
        "who are being supported by specialist officers.\n\n"
        "10\n00:00:53,100 --> 00:00:58,000\nWe will give a further update on Friday morning.\n"
        "I will not be taking questions today.\n"
    ),
    "podcast": (
        "Yeah, so, um, thanks for having me, it's been a mad week. "
        "The board met on Tuesday and we agreed to sell the training ground at Ferris Park. "
        "We did not want to do it, believe me, but the club was losing money every single month. "
        "The money from the sale goes straight into the academy and the women's team. "
        "I've heard people say we're moving out of the town, and that is rubbish, complete rubbish. "
        "We'll train at the university pitches for two seasons while the new ground is built. "
        "The new ground will have four full-size pitches and a proper gym, which we never had. "
        "Season ticket prices are frozen for the third year running, and under-sixteens get in free. "
        "Look, I know the fans are angry about the manager, and they have every right to be. "
        "But sacking him in October would cost us more than we would save, it's as simple as that. "
        "He has until the end of the season, and then we will sit down and look at where we are. "
        "We are talking to two new investors, both local, and I hope we can say more in the spring. "
        "No, I am not going to name them, you know I can't do that. "
        "What I will promise is that no investor will ever own more than half of this club. "
        "Thanks, and, er, come on you Reds."
    ),
}

# One word another outlet's translation might put instead (source word -> quote word).
SYNONYMS = {
    "begin": "start", "take": "last", "extra": "additional", "found": "showed", "promised": "pledged",
    "damaged": "harmed", "urgent": "pressing", "approved": "agreed", "homes": "houses",
    "sold": "given", "goes": "rises", "spent": "used", "simply": "just",
    "longer": "more", "hiring": "recruiting", "happy": "glad", "published": "released",
    "fell": "dropped", "staff": "workers", "worked": "served", "open": "opened", "later": "slower",
    "pretend": "claim", "acceptable": "tolerable", "find": "seek", "offered": "proposed",
    "rise": "raise", "enough": "sufficient", "respect": "honour", "charges": "fees",
    "asked": "requested", "review": "examine", "report": "respond", "long": "slow",
    "especially": "particularly", "putting": "placing", "want": "wish", "meant": "intended",
    "clear": "firm", "pay": "spend", "change": "end", "frozen": "fixed", "slow": "sluggish",
    "bills": "costs", "invested": "put", "connected": "linked", "raise": "increase",
    "profits": "earnings", "cut": "reduce", "help": "assist", "strong": "solid", "announced": "unveiled",
    "lost": "wasted", "replace": "renew", "install": "fit", "hear": "detect", "fitted": "installed",
    "told": "informed", "fined": "penalised", "stop": "prevent", "completed": "finished",
    "serves": "supplies", "welcomed": "praised", "lifted": "ended", "thanked": "praised",
    "saving": "conserving", "driest": "hottest", "plan": "scheme", "company": "firm",
    "leaks": "losses", "work": "job", "rumours": "gossip", "adviser": "advisor",
}

SPEAKERS = ["he said", "she said", "the mayor said", "she told reporters", "he added",
            "Okafor said", "the minister told MPs", "he insisted"]


@dataclass(frozen=True)
class Case:
    id: str
    part: str  # "tune" or "held_out"
    source: str  # a key of SOURCES or HELD_OUT_SOURCES
    quote: str
    expected: str  # verbatim / trimmed / reworded / not_found
    passage: str  # the source text the quote should be found at ("" when not found)
    how: str  # what was done to the source to make the quote


_SENTENCE = re.compile(r"[^.!?]+[.!?]")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text)]


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _slice(sentence: str, words: list[re.Match], i: int, j: int) -> str:
    """The sentence's text from word i to word j - 1."""
    return sentence[words[i].start(): words[j - 1].end()]


def _generated(part: str, sources: dict[str, str]) -> list[Case]:
    cases = []
    for key, text in sources.items():
        text = read_source(text).text  # a subtitle file's cue text
        rng = random.Random(f"{part}:{key}")
        for n, sentence in enumerate(sentences(text)):
            words = _words(sentence)
            if len(words) < 7:
                continue
            whole = _slice(sentence, words, 0, len(words))
            cid = f"{part}:{key}:{n}"
            kind = ["verbatim", "fragment", "split", "ellipsis", "dropped", "synonym", "reorder"][n % 7]
            if kind == "verbatim":
                quote = rng.choice([
                    lambda s: s.upper(), lambda s: s.lower(), lambda s: f"\u201c{s}\u201d",
                    lambda s: s.replace(", ", " - ").replace(" ", "  "), lambda s: s.rstrip(".") + "!",
                ])(sentence)
                cases.append(Case(cid, part, key, quote, "verbatim", whole, "case, punctuation, spacing"))
            elif kind == "fragment":
                i = rng.randrange(0, len(words) // 3)
                j = rng.randrange(max(i + 5, len(words) * 2 // 3), len(words) + 1)
                frag = _slice(sentence, words, i, j)
                cases.append(Case(cid, part, key, f'"{frag}"', "verbatim", frag, "fragment"))
            elif kind == "split":
                at = rng.randrange(3, len(words) - 2)
                head, tail = _slice(sentence, words, 0, at), sentence[words[at].start():]
                quote = f'"{head}," {rng.choice(SPEAKERS)}, "{tail}"'
                cases.append(Case(cid, part, key, quote, "verbatim", whole, "split by attribution"))
            elif kind in ("ellipsis", "dropped"):
                i = rng.randrange(2, len(words) - 4)
                j = min(len(words) - 2, i + rng.randrange(2, 5))
                mark = rng.choice(["...", "\u2026", " . . . "]) if kind == "ellipsis" else ""
                quote = sentence[: words[i].start()].rstrip(" ,") + f" {mark} " + sentence[words[j].start():]
                quote = " ".join(quote.split())
                cases.append(Case(cid, part, key, quote, "trimmed", whole, f"{j - i} words dropped"
                                  + (" at an ellipsis" if mark else "")))
            elif kind == "synonym":
                swappable = [k for k, w in enumerate(words) if w.group().lower() in SYNONYMS]
                if not swappable:
                    continue
                k = rng.choice(swappable)
                swapped = SYNONYMS[words[k].group().lower()]
                quote = sentence[: words[k].start()] + swapped + sentence[words[k].end():]
                cases.append(Case(cid, part, key, quote, "reworded", whole, "one word translated otherwise"))
            else:
                commas = [m.start() for m in re.finditer(r", ", sentence)]
                good = [c for c in commas
                        if len(_words(sentence[:c])) >= 4 and len(_words(sentence[c:])) >= 4]
                if not good:
                    continue
                c = rng.choice(good)
                first, second = sentence[:c], sentence[c + 2:].rstrip(".!?")
                quote = second[0].upper() + second[1:] + ", " + first[0].lower() + first[1:]
                cases.append(Case(cid, part, key, quote, "reworded", whole, "clauses swapped"))
    # Quotes of one source looked for in another: not found.
    keys = list(sources)
    for k, key in enumerate(keys):
        other = keys[(k + 1) % len(keys)]
        for n, sentence in enumerate(sentences(read_source(sources[other]).text)[1::3]):
            cases.append(Case(f"{part}:{key}:absent{n}", part, key, sentence, "not_found", "",
                              f"a sentence of {other}"))
    return cases


def _hand(part: str, rows: list[tuple[str, str, str, str, str]]) -> list[Case]:
    return [Case(f"{part}:hand{n}", part, source, quote, expected, passage, how)
            for n, (source, quote, expected, passage, how) in enumerate(rows)]


HAND = [
    # Paraphrases: same meaning, other words.
    ("council", "Nobody in the chamber has voted for any toll on the bridge and no one will while I lead",
     "reworded", "Nobody in this chamber voted for a toll on the bridge, and nobody will while I am leader",
     "paraphrase"),
    ("council", "The bridge repairs start in March and will take around eleven weeks",
     "reworded",
     "The repairs to the Carrow Street bridge will begin in March and will take about eleven weeks",
     "paraphrase"),
    ("council", "It is simply untrue that the Westgate library will close",
     "not_found", "", "paraphrase whose words are mostly another sentence's: not this passage"),
    ("health", "The median wait for hip operations has fallen from 31 weeks to 26",
     "reworded", "The median wait for a hip operation fell from thirty one weeks to twenty six weeks",
     "paraphrase with figures as digits"),
    ("health", "There will be no new prescription charges while we are in office",
     "reworded", "There will be no new charges for prescriptions while this government is in office",
     "paraphrase"),
    ("interview", "We are not raising prices in October, I can tell you that",
     "reworded", "No, we are not going to raise prices in October, I can tell you that today",
     "paraphrase"),
    ("interview", "Our customers don't want another review, they want lower bills",
     "reworded", "Our customers do not want another review, they want their bills to come down",
     "paraphrase"),
    ("release", "the plan would replace 400 kilometres of old pipes",
     "verbatim", "the plan would replace four hundred kilometres of old pipes",
     "figures as digits: the same words written otherwise"),
    # Near misses on the same subject: not in the source.
    # The class describes the form, not the meaning: a quote that turns the sentence around with
    # a few words changed is reworded, and its diff (the "not" dropped) is the evidence an editor
    # needs for "Misquoted". The verdict stays the editor's.
    ("council", "We will build a new bridge next year", "reworded",
     "We will not pay for a new bridge, not this year and not next year", "the opposite, same words"),
    ("council", "The library in Westgate will close in the summer", "reworded",
     "the library in Westgate will close", "what the speaker denies, with words added"),
    ("health", "Nurses will get a rise of ten percent this year", "not_found", "", "invented figure"),
    ("interview", "We are going to merge with another supplier next year", "not_found", "",
     "the rumour he will not comment on"),
    ("release", "Customer bills will rise to pay for the new pipes", "not_found", "", "the opposite"),
    # Harder cuts.
    ("council", "Some people have said that the library ... will close",
     "trimmed", "Some people have said that the library in Westgate will close", "ellipsis mid-sentence"),
    ("council", "\u201cThe harbour wall was damaged in the January storm,\u201d the leader said. "
     "\u201cIt is now the most urgent job we have.\u201d", "trimmed",
     "The harbour wall was damaged in the January storm and it is now the most urgent job we have",
     "split, and 'and' left out: 'and it' made 'It'"),
    ("council", "We will not pay for a new bridge because the survey found the old one is sound",
     "trimmed", "We will not pay for a new bridge, not this year and not next year, because the survey "
     "found the old one is sound", "a clause dropped without an ellipsis"),
    ("council", "The council has other priorities like the schools on the east side and the harbour wall",
     "verbatim", "The council has other priorities, um, like the schools on the east side and the harbour "
     "wall", "a filler left out"),
    ("interview", "I think the regulator has been too slow on this, frankly", "verbatim",
     "I think the regulator has been too slow on this, frankly",
     "after a stutter and a filler: the second 'I think' starts it"),
    ("health", "I will not pretend the delay in Dunmore is acceptable", "trimmed",
     "I will not pretend that the delay in Dunmore is acceptable", "'that' dropped"),
    ("health", "\u2026the money has to come from somewhere, and I will not take it from patient care",
     "verbatim", "the money has to come from somewhere, and I will not take it from patient care",
     "leading ellipsis"),
    ("release", "Harbourside Water ... announced a new plan to cut leaks", "trimmed",
     "Harbourside Water today announced a new plan to cut leaks", "ellipsis over one word"),
]

HELD_OUT_HAND: list[tuple[str, str, str, str, str]] = [
    ("hearing", "Fares on regional lines have gone up faster than pay for nine years running", "reworded",
     "Fares on regional lines have risen faster than wages for nine years in a row", "paraphrase"),
    ("hearing", "\u201cThe operators have not been consulted,\u201d Mr Doyle told the committee, "
     "\u201cand I think that is a serious mistake.\u201d", "trimmed",
     "The operators have not been consulted on any cap, and I think that is a serious mistake",
     "split, with 'on any cap' left out unmarked"),
    ("hearing", "The treasury rejected an eight pound daily fare cap in May", "reworded",
     "We proposed a single fare cap of eight pounds a day, and the treasury turned it down in May",
     "paraphrase of the second clause"),
    ("hearing", "The carriages have been ordered and will arrive next year", "not_found", "",
     "what the witness says has not happened"),
    ("hearing", "Rail fares in the capital will be frozen from January", "not_found", "",
     "same subject, never said"),
    ("hearing", "Nobody is saying the cap can work on its own", "verbatim",
     "Nobody is saying the cap can work on its own", "after a speaker label"),
    ("hearing", "It would cost 140 million pounds a year", "reworded",
     "it would cost a hundred and forty million pounds a year",
     "figures: '140' read as 'one hundred and forty', the source says 'a hundred and forty'"),
    ("presser", "a lorry left the road on the A612 near Saltby and struck two parked cars", "verbatim",
     "a lorry left the road on the A612 near Saltby and struck two parked cars",
     "runs over two lines of a cue"),
    ("presser", "who stopped to help before the ambulance arrived. We are not treating the crash as "
     "suspicious", "verbatim",
     "who stopped to help before the ambulance arrived.\nWe are not treating the crash as suspicious",
     "runs over two cues"),
    ("presser", "We are not treating the crash as suspicious, but we are still trying to work out why the "
     "lorry left the road", "verbatim",
     "We are not treating the crash as suspicious, but we are still trying to work out why the lorry left "
     "the road", "a whole cue"),
    # Labelled not_found when written; the first held-out run showed the label wrong (the four
    # words are in the source, word for word) and it was corrected: see docs/alignment.md.
    ("presser", "\u201cThere is no evidence\u201d that the driver was on his phone, police said",
     "verbatim", "There is no evidence",
     "a partial quote with its context in the outlet's words"),
    ("presser", "The driver, 54, was taken to hospital with serious injuries", "trimmed",
     "The driver of the lorry, a man aged fifty four, was taken to hospital with serious injuries",
     "words left out, the age in figures"),
    ("presser", "The driver was drunk, police said", "not_found", "", "never said"),
    ("presser", "Nobody else was hurt ... I want to thank the people who stopped to help", "trimmed",
     "Nobody else was hurt, and I want to thank the people who stopped to help", "ellipsis over 'and'"),
    ("podcast", "We didn't want to do it, but the club was losing money every month", "reworded",
     "We did not want to do it, believe me, but the club was losing money every single month",
     "contraction, and words left out"),
    ("podcast", "We are moving out of the town", "reworded",
     "we're moving out of the town", "what he denies, contraction spelt out"),
    ("podcast", "The club will be sold to a foreign investor next year", "not_found", "", "never said"),
    ("podcast", "no investor will ever own more than half of this club", "verbatim",
     "no investor will ever own more than half of this club", "fragment"),
    ("podcast", "Sacking him in October would cost us more than we'd save", "reworded",
     "sacking him in October would cost us more than we would save", "contraction"),
    ("podcast", "The money from the sale goes into the academy", "trimmed",
     "The money from the sale goes straight into the academy", "one word left out"),
    ("podcast", "Season ticket prices are frozen and under-sixteens get in free", "trimmed",
     "Season ticket prices are frozen for the third year running, and under-sixteens get in free",
     "a clause left out"),
]


def cases(part: str | None = None) -> list[Case]:
    """The whole set, or one part of it ("tune" or "held_out")."""
    everything = (_generated("tune", SOURCES) + _hand("tune", HAND)
                  + _generated("held_out", HELD_OUT_SOURCES) + _hand("held_out", HELD_OUT_HAND))
    return [c for c in everything if part is None or c.part == part]


def source_text(key: str) -> str:
    return SOURCES.get(key) or HELD_OUT_SOURCES[key]
