"""Postmortem text is typed by many hands and shown to the whole company: it is shown as text.

Two tools, and no other way for document text to reach the page:
- `md_escape` for a piece of text placed inside Streamlit Markdown (a heading, a caption, a
  label): every ASCII punctuation character is backslash-escaped, which CommonMark defines as
  "this character, literally", so no link, image, HTML tag, emphasis or Streamlit directive
  (`:red[...]`, `:material/...:`) can form from it.
- `render_document` for the "rendered" view of a whole source document: markdown-it-py with raw
  HTML disabled (tags come out as escaped text), links kept only for http(s)/mailto/in-page
  targets (its own validator already drops javascript:, vbscript:, file: and data:, including
  entity-obfuscated forms), and images shown as their alt text so a document cannot make the
  reader's browser fetch anything. Streamlit then sanitises that HTML again with DOMPurify.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SAFE_LINK = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)


def md_escape(text: object) -> str:
    """Text that Streamlit's Markdown shows exactly as written (None -> '')."""
    if text is None:
        return ""
    # Newlines would let a title start a new block (a list, a heading); a title is one line.
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def _image_as_text(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f"[image: {html.escape(alt)}]"


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )
    md.validateLink = lambda url: bool(_SAFE_LINK.match(url.strip()))
    md.add_render_rule("image", _image_as_text)
    return md


_MD = _markdown()


def render_document(markdown_text: str) -> str:
    """HTML for a postmortem's Markdown in which nothing the author typed can act as HTML."""
    return _MD.render(markdown_text)
