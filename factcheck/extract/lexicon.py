"""Word lists the rules rely on, kept in one place so they can be reviewed.

They are lemma lists (matched against spaCy's lemmatiser), deliberately broad:
reporting verbs in news prose go far beyond "say".
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that introduce speech, writing or a stated position.
SPEECH_LEMMAS = _words("""
say tell add state claim argue insist explain note declare announce report acknowledge
admit assert write tweet post reply respond answer suggest stress emphasize emphasise
recall promise pledge vow threaten warn predict deny confirm maintain contend testify
detail allege conclude complain joke quip remark observe concede urge ask wonder hope
fear worry agree disagree believe think describe echo continue reiterate repeat recount
mention comment caution demand propose recommend shout yell boast brag proclaim retort
counter elaborate clarify lament estimate forecast expect reveal disclose indicate learn
assure reassure inform advise remind signal charge accuse blame call criticize criticise
praise question cite point acknowledge announce tout hint speculate muse pronounce
predict project calculate guess reckon feel know vow swear affirm attest certify
announce unveil outline admit concede plead beg implore exclaim murmur whisper scream
cry sigh laugh snap bark growl thunder insist contend posit theorize theorise opine
rule decide find show suggest indicate read sing chant
""")

# Reporting verbs whose reported content can be their direct object
# ("vowed military support for ...", "warned Russia against ...").
OBJECT_CONTENT_LEMMAS = _words("""
vow promise pledge threaten warn echo deny confirm announce predict describe praise
criticize criticise accuse blame call cite reject dismiss defend question propose demand
urge recommend repeat reiterate acknowledge admit express voice raise welcome condemn
slam blast endorse outline unveil reveal disclose tout forecast estimate dispute
challenge applaud hail decry lament allege report
""")

# Verbs whose object names whose words they pass on: "echoed Kremlin accusations"
# reaches the article via the Kremlin.
ECHO_LEMMAS = _words("echo repeat relay parrot amplify quote")

# Phrasal verbs of stance: the verb counts as a cue only with one of its particles
# or prepositions ("railed against", "lashed out at", "weighed in on").
PHRASAL_CUES = {
    "rail": {"against", "at"}, "lash": {"out"}, "push": {"back"}, "double": {"down"},
    "back": {"off", "away"}, "speak": {"out", "up"}, "weigh": {"in"}, "hit": {"back", "out"},
    "bristle": {"at"}, "spar": {"over", "with"}, "sound": {"off"}, "single": {"out"},
    "lay": {"out"}, "come": {"out"}, "fire": {"back"}, "pile": {"on"}, "zero": {"in"},
    "harp": {"on"}, "scoff": {"at"}, "balk": {"at"}, "sign": {"off"}, "crack": {"down"},
}

# Verbs whose xcomp is the reported content: "vowed to fight", "refused to comment".
XCOMP_CONTENT_LEMMAS = _words("""
vow promise pledge threaten refuse decline swear agree offer claim want plan seek vote
propose intend decide aim hope expect
""")

# Headline reporting verbs in their third-person form ("X Vows Y ...").
HEADLINE_CUES = _words("""
says vows warns claims denies urges insists predicts promises pledges threatens admits
slams blasts accuses calls tells asks argues suggests announces confirms rejects
dismisses defends demands reveals hints touts backs declares
""")

# Nouns that make a noun phrase a medium, so that "told the show 'X'" names a venue.
MEDIA_NOUNS = _words("""
show program programme newspaper paper magazine radio television tv network channel
station podcast broadcaster outlet website blog interview broadcast daily weekly
tabloid journal publication programme talkshow
""")

# Nouns for a person's role; "the Valdorian leader" refers back to a person.
PERSON_ROLE_NOUNS = _words("""
leader president senator governor minister spokesman spokeswoman spokesperson official
candidate nominee chief secretary director mayor ambassador congressman congresswoman
lawmaker representative chairman chairwoman chair ceo founder businessman businesswoman
billionaire premier chancellor king queen prince princess general commander judge
prosecutor attorney lawyer adviser advisor aide author economist analyst professor
researcher scientist expert activist diplomat envoy officer sheriff coach host anchor
reporter journalist editor columnist writer pastor bishop pope dictator strongman
autocrat incumbent challenger politician head boss owner executive manager
councillor councilor councilman councilwoman alderman
superintendent commissioner administrator strategist pollster candidate frontrunner
front-runner vice veteran rep sen gov
""")

# Nouns for an organisation; "the ministry" refers back to an organisation.
ORG_NOUNS = _words("""
ministry department agency newspaper paper tabloid network company firm campaign committee
government administration party group organization organisation office council court
commission bank union association institute university station channel magazine outlet
publication service board bureau army military police team embassy parliament
congress senate house cabinet regime kremlin white pentagon foundation center centre
coalition alliance corporation tribunal authority authorities
""")

# Titles stripped from a person's name to form the canonical name.
TITLES = _words("""
president pres. sen. sen senator rep. rep representative gov. gov governor mr. mr mrs.
mrs ms. ms dr. dr prof. prof professor gen. gen general lt. col. capt. sgt. adm. judge
justice rev. fr. sir dame lord lady king queen prince princess pope minister prime
chancellor secretary mayor ambassador chairman chairwoman ceo chief speaker leader
vice former late dame mx.
""")

PRONOUNS_PERSON = _words("he she him her his hers")
PRONOUNS_MALE = _words("he him his himself")
PRONOUNS_FEMALE = _words("she her hers herself")
# What a title or a role noun says of a person's gender ("Mrs. Abedini", "the
# congresswoman"); a pronoun must agree with it.
TITLES_MALE = _words("mr. mr sir lord king prince")
TITLES_FEMALE = _words("mrs. mrs ms. ms miss dame lady queen princess")
GENDERED_TITLES = TITLES_MALE | TITLES_FEMALE
ROLES_MALE = _words("""
spokesman congressman chairman businessman husband father son brother uncle nephew
widower actor king prince
""")
ROLES_FEMALE = _words("""
spokeswoman congresswoman chairwoman businesswoman wife mother daughter sister aunt niece
widow actress queen princess
""")
# Generational suffixes: part of the name ("Joseph Biden Jr."), never the surname.
NAME_SUFFIXES = _words("jr. jr sr. sr ii iii iv")
PRONOUNS_OTHER = _words("it they them their its we i you us our")

# Stance and action verbs that news attribution corpora also count as reported
# positions ("Clinton has encouraged European nations to ...", "voted against
# the bill", "the judge ordered the emails released", "the magazine lists her wealth
# at $2 billion").  They only count with a person or organisation as subject.
STANCE_LEMMAS = _words("""
support oppose want plan seek encourage implore consider link offer attack endorse
reject decline refuse favor favour back embrace push vote talk speak discuss focus
highlight criticize condemn defend blame accuse question challenge dispute see view
regard welcome applaud hail slam blast fault credit thank congratulate apologize commit
express voice raise address tout mock ridicule downplay laud identify label dub brand
characterize characterise portray frame depict cast present pitch champion promote
advocate lobby campaign press insist concede recognize recognise acknowledge note
refer respond react object point weigh muse joke vow threaten pledge promise demand
call urge ask invite appeal caution decry denounce lambaste chide scold rebuke rebut
counter contradict disagree agree approve disapprove veto sign sue charge investigate
examine review study analyze analyse assess rate rank predict estimate project argue
hope expect fear worry doubt suspect believe know understand realize realise recall
remember forget acknowledge admit confess concede share reveal signal indicate show
dismiss prove demonstrate suggest imply mean liken compare exhort admire pound
order list publish aim reference invoke
""")

# Stances whose object can be a person or party alone ("Christie endorsed Trump"): the
# name is the stance's whole content.
STANCE_ON_SOMEONE_LEMMAS = _words("""
endorse support oppose back praise criticize criticise attack defend blame slam blast
fault mock thank congratulate
""")

# Prepositions that introduce reported content after a stance verb
# ("talked about X", "voted against X", "called for X").
CONTENT_PREPOSITIONS = _words("about of for on against over with to at as")

# Nouns whose that-clause is reported content ("his claim that ...").
CLAIM_NOUNS = _words("""
claim statement assertion argument promise warning accusation suggestion belief view
contention remark comment pledge vow threat allegation insistence prediction charge
admission announcement message proposal assurance notion idea suspicion fear hope
""")

# Nouns of a stated or held position whose complement is the content when the
# noun has an owner: "Szabo's decision to close the harbour", "the union's
# criticism of the plan", "Tarnek made a strong condemnation of the tariffs".
STANCE_NOUNS = CLAIM_NOUNS | _words("""
plan decision determination effort call criticism critique support opposition attack
announcement proposal demand agreement commitment refusal offer endorsement condemnation
allegation conclusion acknowledgment acknowledgement praise defense defence
rejection denial appeal plea request complaint case position stance assessment disdain
skepticism scepticism concern worry eagerness reluctance willingness intention push
insistence rhetoric pitch objection opinion verdict recommendation vision agenda
""")

# People named by the position they hold: "Berg is a staunch opponent of the plan".
STANCE_AGENT_NOUNS = _words("""
critic opponent supporter defender advocate proponent champion backer foe skeptic sceptic
""")

# Verbs that hand their object noun the subject as owner ("made a condemnation of",
# "voiced concern that", "issued a warning that").
LIGHT_VERBS = _words("""
make issue express voice offer deliver lay give launch mount level renew repeat reiterate
outline release publish post send have register lodge file sign reach strike announce
""")

# Adjectives of a held position after "be"/"seem" ("was critical of the plan",
# "is confident that ...", "remains opposed to ..."): the complement is the content.
STANCE_ADJECTIVES = _words("""
critical supportive opposed skeptical sceptical concerned worried confident sure certain
convinced optimistic pessimistic adamant hopeful afraid fearful determined eager keen willing
unwilling reluctant proud angry furious frustrated wary doubtful dismissive vocal outspoken
insistent emphatic clear adamant enthusiastic upset unhappy happy pleased disappointed
persuaded
""")

# A person named by party ("the Wisconsin Republican", "one Iowa Democrat"); the
# recogniser tags these as a group (NORP), not a person.
PARTY_MEMBER_NOUNS = _words("republican democrat libertarian")

# Plural or generic people who can hold a position ("critics say", "experts warn").
HUMAN_NOUNS = _words("""
critic expert analyst observer voter supporter opponent official source people resident
economist scientist researcher democrat republican conservative liberal progressive
activist advocate lawmaker legislator member leader worker employee student graduate parent
respondent teacher doctor physician lawyer investigator prosecutor officer police poll survey study
man woman adult backer donor ally hardliner moderator delegate friend colleague rival
detractor skeptic sceptic fan follower loyalist protester protestor demonstrator organizer
organiser volunteer citizen family sister brother father mother son daughter husband wife
report data analysis investigation audit review filing document record complaint lawsuit
ruling court judge jury panel board group campaign committee party staff team aide
adviser advisor strategist pollster insider diplomat administration government agency
""")

# Verbs of thought rather than speech: their content is reported, but quote
# marks inside it are the writer's, not a quotation of the subject.
MENTAL_LEMMAS = _words("fear hope worry believe think know feel expect see understand realize")

# Verbs that open a report nested inside a quotation ("..., "The ministry said
# the patrol ended"", reached via the quoted speaker).  Narrow on purpose: inside
# quoted talk most verbs are the speaker's own narrative.
NESTED_REPORT_LEMMAS = _words("""
say report announce confirm state tell add write claim warn deny insist declare
""")

# Inflected forms the lemmatiser reads as another word ("hoped" -> "hop",
# "rated" -> "rat"): their lemma is corrected before the cue scan.
LEMMA_FIXES = {
    **{f: "hope" for f in ("hopes", "hoped", "hoping")},
    **{f: "rate" for f in ("rates", "rated", "rating")},
    **{f: "lambaste" for f in ("lambastes", "lambasted", "lambasting")},
}

# Reporting verbs whose agentless passive still reports a position held by someone
# unnamed ("the mayor was accused of ...", "turnout is expected to ...").
PASSIVE_REPORT_LEMMAS = _words("""
accuse blame criticize criticise call dub label brand describe expect report mention
confirm say believe think consider allege suspect predict project estimate rumor rumour
question challenge debate praise condemn reject deny tout
""")
# Of these, the ones whose passive subject alone is what was said ("the deal was
# barely mentioned").
PASSIVE_SUBJECT_CONTENT = _words("mention report confirm debate question challenge reject deny")

# Documents and recordings given as a source ("the report", "a statement from ..."): they
# speak for their author.
DOCUMENT_NOUNS = _words("""
report study statement memo memorandum email e-mail letter message ad advertisement poll
survey analysis transcript release filing complaint lawsuit ruling order tweet post video
recording note notes document documents paper review audit article editorial column op-ed
piece
""")

# Verbs that give something a name in quote marks ("called him "a total stiff"", "what
# she calls "the harbour tax""): what they report is the thing and its name together.
NAMING_LEMMAS = _words("call dub label brand term nickname christen")

# A share of the people asked ("75 percent of Republicans", "six in 10", "the vast
# majority") says nothing on its own: when the sentence names the poll that asked them,
# the poll is the source of what they "said".
SHARE_WORDS = _words("percent % per cent majority minority plurality half third quarter")
POLL_NOUNS = _words("poll survey")

# A day is when something was said, never who said it ("Saturday at the convention Sen.
# Lind said": the parser may make the day the subject).
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")

# What carries words of its own, so that a participle on it reports what it says ("a
# statement saying", "a sign reading", "vaguer language calling for"); on any other
# thing ("at one point calling him a liar") the participle is its clause subject's report.
WORDED_NOUNS = DOCUMENT_NOUNS | MEDIA_NOUNS | _words("""
language wording text sign banner placard poster slogan caption headline
""")

# Roles that journalists give sources they do not name ("an official said", "the
# spokesman added"): such a description is the person introduced with that role, or
# nobody -- never merely the person in focus.
UNNAMED_SOURCE_NOUNS = _words("""
official spokesman spokeswoman spokesperson aide adviser advisor analyst expert officer
researcher scientist economist strategist pollster
""")
