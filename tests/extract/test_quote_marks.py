"""The quote-mark scanner on its own: no parser, so these run in milliseconds.

Every text here is invented for the tests.
"""

from factcheck.extract.quotes import find_quoted_spans


def quoted(text):
    return [" ".join(text[s:e] for s, e in q.parts) for q in find_quoted_spans(text)]


def test_straight_and_curly_double_quotes():
    text = 'She said "we are ready" and he replied \u201cso are we.\u201d'
    assert quoted(text) == ["we are ready", "so are we."]


def test_apostrophes_are_not_quote_marks():
    text = ("Arvenia' s port, Arvenia' harbour and the 1980's boom: the Mayor's aides "
            "rock 'n' roll since the '90s, and the Dukes' plan 'works'.")
    assert quoted(text) == ["works"]


def test_plural_possessive_does_not_close_an_open_single_quote_across_paragraphs():
    text = "The 'harbour compact\n\nThe Dukes' lawyers said nothing."
    assert quoted(text) == []


def test_nested_quote_belongs_to_its_outer_quote():
    text = "\"They keep telling us: 'the port cannot grow'. It can,\" she said."
    spans = find_quoted_spans(text)
    assert len(spans) == 1
    assert [text[i.start:i.end] for i in spans[0].inner] == ["the port cannot grow"]


def test_multi_paragraph_quotation_is_one_quotation_with_a_part_per_paragraph():
    text = ('Brennick set out her plan:\n\n"First, we fix the piers.\n\n'
            '"Second, we reopen the market.\n\n"Third, we publish the contracts."\n\nEnd.')
    spans = find_quoted_spans(text)
    assert len(spans) == 1
    assert [text[s:e] for s, e in spans[0].parts] == [
        "First, we fix the piers.", "Second, we reopen the market.",
        "Third, we publish the contracts."]


def test_unbalanced_mark_never_runs_past_its_paragraph():
    text = 'He said "this never closes\n\nThe next paragraph is "fine" here.'
    spans = find_quoted_spans(text)
    assert [text[q.start:q.end] for q in spans] == ["this never closes", "fine"]
    assert spans[0].closed is False


def test_two_apostrophes_and_backticks_work_as_double_quotes():
    text = "''We will win,'' the coach said. ``Maybe,'' his rival answered."
    assert quoted(text) == ["We will win,", "Maybe,"]


def test_mark_between_spaces_closes_an_open_quotation():
    text = "\"I was never told about the 'review,' \" the clerk said."
    assert quoted(text) == ["I was never told about the 'review,'"]


def test_curly_closing_mark_typed_at_paragraph_start_opens():
    text = "\u201d We are done here,\u201d she said."
    assert quoted(text) == ["We are done here,"]


def test_nested_quote_typed_with_the_outer_marks_does_not_split_the_quotation():
    text = '"I would rather live in what he calls "chaos" than in his order," she said.'
    assert quoted(text) == ['I would rather live in what he calls "chaos" than in his order,']


def test_two_apostrophes_after_a_space_close_a_quotation_that_ends_in_a_nested_one():
    # The archive types a nested closing mark, a space, then the outer one's two
    # apostrophes: the outer quotation ends there, and the next one is its own.
    text = ("''There was a backlash against 'Harbour Lit,' '' Ms. Berg noted. ''That "
            "suggests the idea has few followers.''")
    assert quoted(text) == ["There was a backlash against 'Harbour Lit,'",
                            "That suggests the idea has few followers."]
