"""Reported speech that carries quoted fragments, and reported speech without quote
marks: the item is the whole reported content, not just the fragment.

Every sentence here is invented for these tests.
"""

from factcheck.extract import extract, get_nlp
from factcheck.extract.attribution.chunk import is_cue


def only(text, fragment):
    result = extract(text)
    matches = [q for q in result.quotes if fragment in q.text]
    assert len(matches) == 1, [(q.kind, q.text) for q in result.quotes]
    return matches[0], result


def test_stance_verb_with_object_and_quoted_fragment_is_partial():
    quote, _ = only(
        'At the rally, Senator Hana Berg dismissed the tram plan as a "fairy tale for '
        'the suburbs" and left early.',
        "fairy tale",
    )
    assert quote.kind == "partial"
    assert quote.text.startswith("the tram plan as a")
    assert quote.speaker.name == "Hana Berg"
    assert quote.cue.text == "dismissed"


def test_object_and_infinitive_with_quoted_fragment():
    quote, _ = only('Mayor Imre Szabo urged voters to "stay home and stay dry" on Sunday.', "stay home")
    assert quote.kind == "partial"
    assert quote.text.startswith("voters to")


def test_predicate_after_a_pronoun_object_and_what_follows_the_marks():
    quote, _ = only('Tarnek called him "a coward" for skipping the debate on the ferry budget.', "a coward")
    assert quote.kind == "partial"
    # Who was called a coward is part of what was said.
    assert quote.text == 'him "a coward" for skipping the debate on the ferry budget'


def test_stance_verb_inside_a_speech_report_does_not_take_the_fragment():
    quote, result = only(
        'Omar Vidal said he would consider it a "grave insult" if the council cut the clinic budget.',
        "grave insult",
    )
    assert quote.kind == "partial"
    assert quote.text.startswith("he would consider it")
    assert quote.speaker.name == "Omar Vidal"
    assert quote.cue.text == "said"


def test_thought_verbs_keep_scare_quotes_out():
    result = extract('Residents are fearing the widely shared rumours of a "secret deal" with the port.')
    assert not [q for q in result.quotes if q.kind in ("direct", "partial")]


def test_passive_report_credits_the_agent_with_the_subject():
    quote, _ = only("The tram figures were first reported by the Coastal Wire.", "tram figures")
    assert quote.kind == "indirect"
    assert quote.text == "The tram figures"
    assert quote.speaker.mention == "the Coastal Wire"
    assert quote.cue.text == "reported"


def test_object_of_a_speech_verb_is_what_was_said():
    quote, _ = only("Councillor Mara Quist mentioned the ferry subsidy twice in her speech.", "ferry subsidy")
    assert quote.kind == "indirect"
    assert quote.speaker.name == "Mara Quist"
    assert quote.cue.text == "mentioned"


def test_gerund_after_a_preposition_shares_the_main_subject():
    quote, _ = only("In defending the budget, Tarnek listed the new clinics.", "the budget")
    assert quote.kind == "indirect"
    assert quote.speaker.mention == "Tarnek"
    assert quote.cue.text == "defending"


def test_position_held_in_an_adjective():
    quote, _ = only("Ilse Tellerman was critical of the tram plan from the start.", "tram plan")
    assert quote.kind == "indirect"
    assert quote.text.startswith("the tram plan")
    assert quote.speaker.name == "Ilse Tellerman"
    assert quote.cue.text == "critical"


def test_belief_held_in_a_participle():
    # The parser tags "convinced" a verb; it still states what Quist holds.
    quote, _ = only("But Senator Kate Quist is convinced that the ferry will be a comeback story.",
                    "comeback")
    assert quote.text == "that the ferry will be a comeback story"
    assert (quote.speaker.name, quote.cue.text) == ("Kate Quist", "convinced")
    # Knowing or regretting a fact is the writer's fact, not the subject's claim.
    for text in ("Police were aware that the suspect had a gun.",
                 "I am sorry to hear that your father died."):
        assert extract(text).quotes == [], text
    # A participle another pass has already taken as a cue is not reported twice.
    result = extract("The march drew activists who were also opposed to Senator Kate Quist.")
    assert [q.cue.text for q in result.quotes] == ["opposed"]


def test_according_to_read_as_the_root_of_its_sentence():
    quote, _ = only(
        "According to the radio host Pavel Daskin, the move reeks of \u201cfear\u201d and desperation.",
        "reeks",
    )
    assert quote.kind == "partial"
    assert quote.text == "the move reeks of \u201cfear\u201d and desperation"
    assert quote.speaker.mention == "the radio host Pavel Daskin"
    assert quote.cue.text == "According to"


def test_quotation_right_after_the_reported_clause_belongs_to_it():
    quote, _ = only(
        "The governor said the council was to blame for focusing on \u201cwho said what, and when.\u201d",
        "the council was to blame",
    )
    assert quote.kind == "partial"
    assert quote.text.endswith("\u201cwho said what, and when.\u201d")
    assert quote.cue.text == "said"


def test_owned_stance_noun_with_an_infinitive():
    quote, _ = only("Mayor Imre Szabo's decision to close the harbour at night angered the fishermen.",
                    "close the harbour")
    assert quote.kind == "indirect"
    assert quote.text.startswith("to close the harbour at night")
    assert quote.speaker.mention == "Mayor Imre Szabo's"
    assert quote.cue.text == "decision"


def test_stance_noun_after_a_light_verb_belongs_to_the_subject():
    quote, _ = only("Tarnek made a strong condemnation of the new ferry tariffs on Monday.", "tariffs")
    assert quote.kind == "indirect"
    assert quote.text.startswith("the new ferry tariffs")
    assert quote.speaker.name == "Tarnek"
    assert quote.cue.text == "condemnation"


def test_person_named_by_the_position_they_hold():
    quote, _ = only("Senator Hana Berg is a staunch opponent of the coastal tram plan.", "tram plan")
    assert quote.text == "the coastal tram plan"
    assert quote.speaker.name == "Hana Berg"
    assert quote.cue.text == "opponent"


def test_stance_noun_without_an_owner_or_with_a_listener_is_no_report():
    result = extract("The ferry plan drew little support. Kovac gave statements to the harbour police.")
    assert not any(q.text in ("the harbour police",) or "ferry" in q.text for q in result.quotes), \
        [(q.kind, q.text) for q in result.quotes]


def test_call_on_someone_to_act_keeps_the_infinitive():
    quote, _ = only("Palmieri called on Tarnek to stop attacking the mayor and apologize.", "apologize")
    assert quote.text == "Tarnek to stop attacking the mayor and apologize"
    assert quote.cue.text == "called"
    assert quote.speaker.name == "Palmieri"


def test_intention_verb_with_an_infinitive():
    quote, _ = only("The Harbour Policy Institute plans to release its ferry audit next week.", "audit")
    assert quote.text == "to release its ferry audit next week"
    assert quote.cue.text == "plans"


def test_phrasal_stance_verb():
    quote, _ = only("Kovac railed against the special provisions that pock the ferry code.", "provisions")
    assert quote.text == "the special provisions that pock the ferry code"
    assert quote.cue.text == "railed"
    assert quote.speaker.name == "Kovac"


def test_phrasal_verb_without_its_particle_is_no_cue():
    doc = get_nlp()("Kovac railed the cattle into the yard. Kovac railed against the fees.")
    assert [is_cue(t) for t in doc if t.lemma_ == "rail"] == [False, True]


def test_quote_marks_in_the_headline_are_reported_speech():
    text = ("Mayor Szabo calls ferry plan a \u2018costly fantasy\u2019 at harbour meeting.\n\n"
            "VALDORIA \u2014 Mayor Imre Szabo on Tuesday called the ferry plan "
            "\u201ca costly fantasy\u201d and said he would vote against it.\n")
    result = extract(text)
    head = [q for q in result.quotes if q.start < text.index("\n")]
    assert head and all(q.kind == "indirect" for q in head), [(q.kind, q.text) for q in head]
    body = [q for q in result.quotes if "a costly fantasy\u201d" in q.text]
    assert body and body[0].kind == "partial"


def test_a_first_line_that_is_a_paragraph_is_no_headline():
    text = ("Mayor Szabo called the ferry plan a \u201ccostly fantasy.\u201d Tarnek disagreed. "
            "He said it was fine.\n\nMore later.\n")
    quote, _ = only(text, "costly fantasy")
    assert quote.kind != "indirect"


def test_a_lede_quotation_standing_alone_is_no_headline():
    """A pasted story that starts with a one-sentence lede quote keeps it direct."""
    for open_, close in (('"', '"'), ("\u201c", "\u201d")):
        text = (f"{open_}We will not back down on the tram plan,{close} Mayor Imre Szabo said on "
                "Tuesday.\n\nThe council meets again next week.\n")
        quote, _ = only(text, "back down")
        assert quote.kind == "direct"
        assert quote.speaker.name == "Imre Szabo"


def test_speech_verb_content_the_parser_made_adverbial_or_a_gerund():
    quote, _ = only("Tarnek said after the meeting he would not accept the offer.", "accept")
    assert quote.text.endswith("he would not accept the offer")
    quote, _ = only("Tarnek has admitted using the ferry fund.", "ferry fund")
    assert quote.text == "using the ferry fund"
    result = extract("Tarnek said so when he was mayor of Valdoria.")
    assert not any("when he was mayor" in q.text for q in result.quotes)


def test_report_after_a_colon_is_the_clause_after_the_cue():
    quote, _ = only("The audit stirred a row on Friday: officials said they're convinced the "
                    "ministry mishandled the tender.", "mishandled")
    assert quote.text == "they're convinced the ministry mishandled the tender"
    assert quote.speaker.mention == "officials"


def test_sentence_final_report_and_parenthetical_without_quote_marks():
    quote, _ = only("Fares unclear on whether pensioners are covered, experts say.", "pensioners")
    assert quote.text == "Fares unclear on whether pensioners are covered"
    assert quote.speaker.mention == "experts"
    quote, _ = only("That is why, he argued, the council should wait.", "council")
    assert quote.cue.text == "argued"
    assert "That is why" in quote.text and quote.text.endswith("the council should wait")


def test_verbs_the_lemmatiser_misreads_are_still_cues():
    quote, _ = only("Mayor Szabo hoped the utilities would count his credits toward the goals.",
                    "utilities")
    assert quote.cue.text == "hoped"
    assert quote.text == "the utilities would count his credits toward the goals"


def test_agentless_passive_report_has_no_speaker():
    quote, _ = only("Mayor Kovac was accused of hiding the harbour figures.", "harbour figures")
    assert quote.kind == "indirect"
    assert quote.text == "Mayor Kovac hiding the harbour figures"
    assert quote.speaker is None
    assert quote.cue.text == "accused"
    quote, _ = only("Turnout is expected to fall sharply in Valdoria.", "Turnout")
    assert quote.text == "Turnout to fall sharply in Valdoria"
    quote, _ = only("The ferry deal was barely mentioned in the debate.", "ferry deal")
    assert quote.text == "The ferry deal"


def test_passive_of_a_non_reporting_verb_is_no_report():
    result = extract("The harbour bridge was built in 1990 and was painted green.")
    assert not result.quotes, [(q.kind, q.text) for q in result.quotes]


def test_quotation_after_an_adding_clause_belongs_to_that_clause():
    text = ('"We do not see a link to sabotage," the mayor said, adding that it would take '
            '"more hours" before details emerge.')
    first, result = only(text, "link to sabotage")
    assert first.kind == "direct" and "more hours" not in first.text
    second, _ = only(text, "more hours")
    assert second.kind == "partial"
    assert second.text == 'that it would take "more hours" before details emerge'
    # an aside without a report of its own still joins the two quotations
    one, _ = only('"Every ferry counts," Kovac said, referring to the harbour fees, '
                  '"and every fare."', "Every ferry")
    assert "every fare" in one.text


def test_audience_and_venue_are_not_what_was_said():
    result = extract("Mayor Szabo spoke to reporters on Friday. Tarnek was speaking at a rally in Novi.")
    assert not any("reporters" in q.text or "rally" in q.text for q in result.quotes), \
        [(q.kind, q.text) for q in result.quotes]
    quote, _ = only("Mayor Szabo spoke about the ferry fares at length.", "ferry fares")
    assert quote.cue.text == "spoke"


def test_what_a_court_found_is_reported_but_not_a_way_someone_found():
    quote, _ = only("The harbour court found the new fee unlawful.", "fee")
    assert quote.cue.text == "found"
    result = extract("Tarnek found a way around the ferry rules.")
    assert not any("a way" in q.text for q in result.quotes), [q.text for q in result.quotes]


def test_told_someone_to_act_and_reported_at_the_time_that():
    quote, _ = only("Kovac told his advisers to find a cheaper ferry contract.", "cheaper")
    assert quote.text == "his advisers to find a cheaper ferry contract"
    assert quote.cue.text == "told"
    quote, _ = only("The Valdoria Times reported at the time that the editor had resigned over the "
                    "harbour story.", "resigned")
    assert quote.text == "that the editor had resigned over the harbour story"


def test_raising_money_is_not_raising_a_concern():
    result = extract("The Szabo campaign raised $4 million in March from small donors.")
    assert not [q for q in result.quotes if "million" in q.text], \
        [(q.kind, q.text) for q in result.quotes]
    result = extract("The council voted to raise the harbour fees next year.")
    assert not [q for q in result.quotes if "fees" in q.text and q.cue and q.cue.text == "raise"]
    quote, _ = only("Councillor Vera Lind raised concerns about the cost of the ferry.", "cost")
    assert quote.cue.text == "raised"
    assert quote.text == "concerns about the cost of the ferry"


def test_any_verb_with_a_that_clause_reports_what_its_subject_said():
    # "groused" is in no list of reporting verbs; the that-clause says it reports.
    quote, _ = only('On Monday, Marta Lind groused to a crowd in Malmo that the paper "does '
                    'not treat me fairly."', "treat me fairly")
    assert quote.kind == "partial"
    assert quote.text.startswith("that the paper")
    assert quote.speaker.name == "Marta Lind"
    assert quote.cue.text == "groused"
    [plain] = extract("The harbour board fretted that the new quay would silt up.").quotes
    assert (plain.kind, plain.text, plain.speaker.mention) == (
        "indirect", "that the new quay would silt up", "The harbour board")


def test_a_that_clause_after_it_or_be_is_not_anyones_speech():
    assert extract("It appears that the new quay will silt up.").quotes == []
    assert extract("The problem is that the new quay will silt up.").quotes == []


def test_a_relative_clause_ending_the_report_is_the_writers_aside():
    [quote] = extract('Lind thanked the coast guard for its help in the storm, which flooded '
                      'half the harbour.').quotes
    assert quote.text == "the coast guard for its help in the storm"


def test_a_relative_clause_with_quoted_words_stays_in_the_report():
    [quote] = extract('Lind said she hoped for a large turnout, which "will help the ferry '
                      'fund."').quotes
    assert quote.kind == "partial"
    assert quote.text == 'she hoped for a large turnout, which "will help the ferry fund."'


def test_the_reason_given_straight_after_the_reported_clause_is_the_speakers():
    [quote] = extract('Her lawyer wrote in a court filing that such a request was "futile," '
                      'because if there were more records in the case, the police now hold '
                      'them.').quotes
    assert quote.text == ('that such a request was "futile," because if there were more '
                          'records in the case, the police now hold them')


def test_two_names_called_something_are_the_object_not_the_complement():
    text = ('Dahl called both Lind and Republican front-runner Jonas Ekberg \u201ccrazy\u201d and '
            'said the party is bound to lose to Ekberg if no rival is found.')
    quotes = extract(text).quotes
    assert any(q.kind == "partial" and q.text.endswith('Jonas Ekberg \u201ccrazy\u201d')
               and q.speaker.name == "Dahl" for q in quotes)


def test_a_clause_before_a_colon_is_not_what_the_verb_after_it_reports():
    text = ('Even people who backed the plan sounded unsure: the harbour master Ana Lind '
            'called it "the least bad option we have."')
    quotes = extract(text).quotes
    assert not any(q.text.startswith("Even people") for q in quotes)
    assert any("the least bad option we have" in q.text and q.speaker.name == "Ana Lind"
               for q in quotes)
