import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

from factcheck.extract import checkworthy

register = template.Library()

# What editors' Markdown may produce: prose, lists, links, quotes, tables. No images (they
# would load third-party content on our pages), no raw HTML beyond these tags.
ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
                "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub"}


@register.filter(is_safe=True)
def markdown(text: str) -> str:
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                               url_schemes={"http", "https", "mailto"},
                               link_rel="nofollow noopener noreferrer"))


@register.filter
def claim_label(score: float) -> str:
    """The claim scorer's number in words, cut at its own threshold."""
    return checkworthy.label(score)
