"""Pages the local test server serves. The outlets, people and events are invented."""

ARTICLE_TITLE = "Port Elmridge mayor vows to keep the night ferry running"

ARTICLE_BODY_PARAGRAPHS = [
    "Port Elmridge's mayor, Ines Caldwell, promised on Tuesday to keep the night ferry to "
    "Gull Island running through the winter, despite a 31 per cent rise in fuel costs.",
    '"Nobody on that island should have to choose between a shift and a bed," Caldwell said. '
    '"The ferry stays."',
    "The harbour authority said in a statement that the service lost 2.4 million crowns last "
    "year, according to figures released to the council.",
    "Opposition councillor Dario Mendel called the promise 'a fare-payer's gamble' and said the "
    "council had not seen a costed plan.",
]

ARTICLE_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | The Elmridge Courier</title>
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="The Elmridge Courier">
  <meta name="author" content="Marta Oyelaran">
  <meta property="article:published_time" content="2026-02-10T08:30:00+00:00">
  <link rel="canonical" href="{canonical}">
  <script>window.trackingPixel = "should never reach the text";</script>
</head>
<body>
  <header><nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sport">Sport</a></nav></header>
  <main>
    <article>
      <h1>{title}</h1>
      <p class="byline">By Marta Oyelaran</p>
      {paragraphs}
    </article>
    <aside><h2>Most read</h2>
      <ul><li><a href="/x">Lighthouse keeper retires after 40 years</a></li></ul></aside>
  </main>
  <footer>© The Elmridge Courier. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body>
</html>
"""


def article_html(*, canonical: str, paragraphs=None, title: str = ARTICLE_TITLE) -> str:
    paragraphs = ARTICLE_BODY_PARAGRAPHS if paragraphs is None else paragraphs
    body = "\n      ".join(f"<p>{p}</p>" for p in paragraphs)
    return ARTICLE_HTML.format(title=title, canonical=canonical, paragraphs=body)


HOSTILE_HTML = """<!doctype html><html><head><title>Council minutes <script>alert(1)</script></title>
<style>body{display:none}</style></head>
<body onload="alert('x')"><article><h1>Council minutes</h1>
<p>The clerk said the meeting <b>ran <i>late</b></i>.<img src=x onerror=alert(1)></p>
<p><script>document.write("injected")</script>"We will publish the minutes on Friday," the clerk said.</p>
<iframe src="javascript:alert(1)"></iframe><p>""" + "<div>" * 3000 + "deep" + "</div>" * 3000 + """</p>
</article></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>The Elmridge Courier — Local</title>
  <link>{base}/</link>
  <description>Local news</description>
  <item><title>{title}</title><link>{base}/article</link>
    <guid>{base}/article</guid><pubDate>Tue, 10 Feb 2026 08:30:00 GMT</pubDate></item>
  <item><title>Second story</title><link>{base}/second</link>
    <guid>{base}/second</guid><pubDate>Tue, 10 Feb 2026 09:30:00 GMT</pubDate></item>
  <item><title>Broken link</title><link>{base}/missing</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Gull Island Gazette</title>
  <id>{base}/atom</id>
  <updated>2026-02-11T10:00:00Z</updated>
  <entry><title>Ferry vote delayed</title><id>{base}/second</id>
    <link rel="alternate" href="{base}/second"/><updated>2026-02-11T10:00:00Z</updated></entry>
</feed>
"""

SECOND_PARAGRAPHS = [
    "The vote on the Gull Island ferry subsidy was postponed until March, the council clerk said "
    "on Wednesday.",
    '"We need the harbour accounts before anyone votes," said councillor Amaya Brook.',
]
