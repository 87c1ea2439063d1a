"""Where an item's text starts and ends: the conventions a reader (and the PolNeAR
annotation the extractor is measured on) expects.

Every sentence here is invented for these tests.
"""

from factcheck.extract import extract


def items(text):
    return [(q.kind, q.text) for q in extract(text).quotes]


def test_reported_clause_keeps_its_complementiser():
    assert items("The harbour master said that the ferry would run on Sundays.") == [
        ("indirect", "that the ferry would run on Sundays")]
    # without "that" the clause starts at its subject
    assert items("The harbour master said the ferry would run on Sundays.") == [
        ("indirect", "the ferry would run on Sundays")]


def test_partial_quote_keeps_its_complementiser():
    [(kind, text)] = items('Councillor Vera Lind argued that the tram plan was "a fairy tale '
                           'for the suburbs" and should be dropped.')
    assert kind == "partial"
    assert text.startswith('that the tram plan was "a fairy tale')


def test_whole_quotation_after_that_is_still_direct():
    [quote] = extract('Mayor Imre Szabo said that "the bridge will open in June."').quotes
    # The item starts at the reporter's "that", as the reported clause is marked; its
    # length is given so that the desk shows the quotation alone.
    assert (quote.kind, quote.text) == ("direct", 'that "the bridge will open in June.')
    assert quote.text[quote.complementiser:] == "the bridge will open in June."
    # a quotation that opens without "that" has none
    [quote] = extract('Mayor Imre Szabo said, "the bridge will open in June."').quotes
    assert (quote.text, quote.complementiser) == ("the bridge will open in June.", 0)


def test_quote_cut_by_its_attribution_keeps_the_marks_at_the_cut():
    text = ('\u201cThe depot is full,\u201d the harbour master, Ines Moreau, said on Friday. '
            '\u201cWe have nowhere left to put the containers.\u201d')
    [quote] = extract(text).quotes
    assert quote.kind == "direct"
    assert quote.text == ('The depot is full,\u201d \u201cWe have nowhere left to put the '
                          'containers.')
    assert quote.speaker.name == "Ines Moreau"
    # a quotation that is not cut keeps its marks out
    [single] = extract('\u201cThe depot is full,\u201d Ines Moreau said.').quotes
    assert single.text == "The depot is full,"


def test_when_and_where_it_was_said_is_not_what_was_said():
    [(kind, text)] = items("Mayor Imre Szabo endorsed the harbour tunnel plan on Thursday.")
    assert (kind, text) == ("indirect", "the harbour tunnel plan")
    [(kind, text)] = items("Councillor Vera Lind praised the new ferry timetable in an interview.")
    assert (kind, text) == ("indirect", "the new ferry timetable")
    # a prepositional phrase that is part of the object stays
    [(kind, text)] = items("Mayor Imre Szabo endorsed the plan for a tunnel under the harbour.")
    assert text == "the plan for a tunnel under the harbour"


def test_whom_the_words_are_about_comes_with_them():
    [(kind, text)] = items("Councillor Vera Lind accused him of hiding the ferry accounts.")
    assert (kind, text) == ("indirect", "him of hiding the ferry accounts")
    [(kind, text)] = items("Mayor Imre Szabo described himself as a cautious reformer.")
    assert (kind, text) == ("indirect", "himself as a cautious reformer")


def test_a_new_sentence_with_its_own_infinitive_does_not_credit_the_quotation_before_it():
    # The closing mark ends the sentence; "Pupils would continue to sit exams" is the
    # writer's next statement, not an attribution of "referee." to the pupils.
    text = ('Backers of the schools bill say it would keep the ministry in place as a '
            '\u201creferee.\u201d Pupils would continue to sit exams every spring.')
    found = extract(text).quotes
    assert all(q.speaker is None or q.speaker.mention != "Pupils" for q in found)
    [item] = [q for q in found if "referee" in q.text]
    assert item.kind == "partial"
    assert item.speaker.mention.startswith("Backers")
    # "went on to say" is the speaking itself: the quotation stays credited
    [quote] = extract('\u201cThe ferry will run.\u201d Mayor Imre Szabo went on to say so '
                      'twice.').quotes
    assert quote.speaker.name == "Imre Szabo"


def test_a_quotation_inside_a_running_sentence_belongs_to_that_sentence():
    # The quoted words are the object of "called"; ", telling reporters ..." is the
    # sentence's next clause, not the quotation's reporting clause.
    found = extract('The harbour board called the new timetable \u201ca triumph,\u201d telling '
                    'reporters that the ferries would run late into the night.').quotes
    assert [(q.kind, q.text, q.speaker.mention) for q in found] == [
        ("partial", "the new timetable \u201ca triumph,\u201d", "The harbour board"),
        ("indirect", "that the ferries would run late into the night", "The harbour board")]


def test_a_speaker_quoted_in_part_is_credited_with_the_quotation_that_follows():
    text = ('The depot \u201cis simply full,\u201d Ines Moreau said on Friday. '
            '\u201cWe have nowhere left to put the containers.\u201d')
    [quote] = extract(text).quotes
    # Her quotation goes on after the attribution: its next part.
    assert (quote.kind, quote.speaker.name) == ("partial", "Ines Moreau")
    assert [text[s:e] for s, e in quote.parts] == [
        "The depot \u201cis simply full,\u201d",
        "We have nowhere left to put the containers."]


def test_quoted_words_in_a_relative_clause_of_a_report_belong_to_the_report():
    # "declared" sits in a relative clause inside what he stated: the quoted words are
    # part of his report, not a separate statement by "the group".
    found = extract('He laid out his plan, stating that the council should formally break '
                    'with the group that has declared a \u201cfree zone\u201d in parts of the '
                    'old town.').quotes
    [holder] = [q for q in found if "free zone" in q.text]
    assert holder.kind == "partial"
    assert holder.speaker.mention == "He"
    assert holder.text.startswith("that the council should formally break")


def test_a_document_someone_issues_speaks_for_them():
    [item] = extract('On Friday the harbour union sent out a press release saying the strike '
                     '\u201cwill go on until the spring.\u201d').quotes
    assert item.speaker.mention == "the harbour union"
    [item] = extract('The Valdorian Herald ran a piece that noted the ferry plan \u201cwould help '
                     'the rich more than the poor.\u201d').quotes
    assert item.speaker.mention == "The Valdorian Herald"
    # a document nobody is said to have issued speaks for itself
    [item] = extract('A press release saying the strike \u201cwill go on until the spring\u201d '
                     'was posted on the gates.').quotes
    assert item.speaker.mention == "A press release"


def test_a_quotation_paragraph_after_reported_speech_continues_that_speaker():
    found = extract('Councillor Vera Lind said on Monday that the tram plan would ruin the old '
                    'town.\n\n\u201cNobody in the suburbs asked for this. It will cost a '
                    'fortune.\u201d').quotes
    assert [(q.kind, q.speaker.name) for q in found] == [("indirect", "Vera Lind"),
                                                        ("direct", "Vera Lind")]


def test_a_speaker_after_the_verb_that_follows_a_quotation_is_the_speaker():
    # The parser reads "the email" as the object of "read"; it is who speaks.
    [item] = extract('\u201cOur ferry plan has already changed the debate on fares,\u201d read '
                     'the email, which went to 40,000 supporters.').quotes
    assert (item.kind, item.speaker.mention) == ("direct", "the email")


def test_a_report_inside_another_is_not_cut_into_a_fragment_at_the_others_quote():
    found = extract('Eleven harbour groups asked the mayor to repudiate the support of a '
                    'retired admiral who suggested over the summer that the city should '
                    '\u201cwall off\u201d the old docks.').quotes
    assert [(q.kind, q.speaker.mention) for q in found] == [("partial", "Eleven harbour groups")]
    assert "that the city should" not in [q.text for q in found]


def test_quoted_words_after_a_comma_finish_the_reported_sentence():
    # The reporter's sentence goes on into the speaker's own words: one report, and
    # the quoted reason is not lost.
    [quote] = extract('Marta Lind said it would be better to close the bridge than the road, '
                      '"because the road carries the buses."').quotes
    assert quote.kind == "partial"
    assert quote.text.startswith("it would be better to close the bridge")
    assert quote.text.endswith('"because the road carries the buses."')
    assert quote.speaker.name == "Marta Lind"
    # a quotation with an attribution of its own stays apart
    kinds = items('Marta Lind said the bridge should close, "and soon," her deputy added.')
    assert ("indirect", "the bridge should close") in kinds


def test_a_source_set_inside_its_clause_reports_the_clause_around_it():
    # "according to X" in mid-clause: the clause is X's, in two parts around the source.
    text = ("Only one ferry sank last year in Norway, according to the coast guard, "
            "and nobody was hurt.")
    [quote] = extract(text).quotes
    assert quote.kind == "indirect"
    assert quote.speaker.mention == "the coast guard"
    assert [text[s:e] for s, e in quote.parts] == [
        "Only one ferry sank last year in Norway", "and nobody was hurt"]


def test_an_aside_after_the_first_word_reports_the_whole_sentence():
    text = "Overall, she said, the harbour towns are turning against the ferry plan."
    [quote] = extract(text).quotes
    assert [text[s:e] for s, e in quote.parts] == [
        "Overall", "the harbour towns are turning against the ferry plan"]
    assert quote.speaker.mention == "she"


def test_a_quotation_later_in_the_paragraph_continues_the_speakers_quotation():
    # Nobody else is credited in between: the later words are more of the same quotation,
    # one item in two parts, as PolNeAR and a reader take them.
    text = ('Marta Lind told reporters: "The ferry will run all winter." The vote had been '
            'close. "We have two spare engines and a crew that knows every sandbank."')
    [quote] = extract(text).quotes
    assert quote.kind == "direct"
    assert quote.speaker.name == "Marta Lind"
    assert [text[s:e].strip('"') for s, e in quote.parts] == [
        "The ferry will run all winter.",
        "We have two spare engines and a crew that knows every sandbank."]


def test_a_quotation_paragraph_continues_a_speaker_quoted_in_part():
    text = ('The port needs leaders "who know the sea," Marta Lind said.\n\n'
            '"That is why the ferry must stay in public hands for good."')
    [quote] = extract(text).quotes
    assert (quote.kind, quote.speaker.name) == ("partial", "Marta Lind")
    assert text[quote.parts[-1][0]:quote.parts[-1][1]].strip('"') == (
        "That is why the ferry must stay in public hands for good.")


def test_a_second_that_clause_is_more_of_the_same_report():
    [quote] = extract("Mr. Ekberg said that their father ''could be unyielding,'' and that "
                      "Lars had struggled with his criticism.").quotes
    assert quote.kind == "partial"
    assert quote.text.endswith("and that Lars had struggled with his criticism")


def test_a_name_in_quote_marks_is_reported_with_what_it_names():
    [quote] = extract('Berg went after Lind on Tuesday, calling her "a total stiff."').quotes
    assert (quote.kind, quote.text) == ("partial", 'her "a total stiff."')
    [quote] = extract('The fee rose under a model which Lind called "a disgrace."').quotes
    # the relative pronoun is the thing named, a part of its own; the desk shows the name
    assert (quote.kind, quote.text) == ("partial", 'which "a disgrace."')
    assert quote.text[quote.complementiser:] == '"a disgrace."'
