"""`render_lines` gathers text in lexbor with break marks (`_marked_text`); it must give
the lines of the node-by-node walk (`_walk`) on every page. Checked on all of
../shared/corpus when the speed-up was made (1,421 pages, no difference); here on the
constructs that needed care."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaner.extract.render import _walked_lines, render_lines

CASES = [
    # preformatted text, with a <noscript> in it and a <pre> in the <noscript>
    "<body><pre>a\nb<noscript><p>x\ny</p><pre>c\nd</pre></noscript>e\nf</pre></body>",
    # a <noscript> inside a <noscript>'s markup, a table cell outside a table
    "<body><noscript><noscript><p>in</p></noscript>after</noscript><td>c</td><p>x</p></body>",
    # a block first in a <noscript>'s markup (lexbor gathers a fragment's siblings' text)
    "<body><span>Lade Login-Box.<noscript><br />Bitte aktivieren Sie Javascript.</noscript></span></body>",
    "<body><noscript><td>a</td>b<pre>p\nq</pre><script>s</script><svg><p>z</p></svg></noscript></body>",
    # skipped elements inside skipped elements
    "<body><svg><script>x</script><template><p>t</p></template></svg><p>after</p></body>",
    # the break mark in the page's own text, raw and as an entity
    "<body><p>keep\ue000mark</p></body>",
    "<body><noscript>&#xe000; entity</noscript><p>x</p></body>",
    "<table><tr><td>a<div>b</div></td><th>c</th></tr></table><textarea>l1\nl2</textarea>",
    "<p>no body tag <br> line<!-- c --> x</p><xmp>a\nb</xmp><listing>\nc\nd</listing>",
    "",
    "<html><head><title>t</title></head></html>",
    "<body>\n<div>  a <span>b</span>\n c</div><plaintext>x\ny</plaintext>",
]


@pytest.mark.parametrize("html", CASES)
def test_marked_text_gives_the_walks_lines(html: str) -> None:
    tree = LexborHTMLParser(html, scripting=True)
    root = tree.body or tree.root
    expected = _walked_lines([root]) if root is not None else []
    assert render_lines(html) == expected
