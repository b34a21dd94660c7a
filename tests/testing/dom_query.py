#!/usr/bin/env python3
"""Evaluates a Python expression over an HTML document chromium rendered
(--dump-dom), for the report's tests: dom_query.py DOM EXPR prints EXPR.
In EXPR: dom (every element: {tag, attrs, parents}), services() (the
elements carrying data-service), inside(NAME, TAG, CLASS) (TAG elements with
CLASS inside the data-service=NAME block)."""
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s): super().__init__(); s.stack=[]; s.els=[]
    def handle_starttag(s, tag, attrs):
        e={'tag': tag, 'attrs': dict(attrs), 'parents': list(s.stack)}
        s.els.append(e)
        if tag not in ('meta', 'br', 'img', 'input', 'link', 'hr'): s.stack.append(e)
    def handle_startendtag(s, tag, attrs):
        s.els.append({'tag': tag, 'attrs': dict(attrs), 'parents': list(s.stack)})
    def handle_endtag(s, tag):
        if any(e['tag'] == tag for e in s.stack):
            while s.stack.pop()['tag'] != tag: pass
p = P()
p.feed(open(sys.argv[1]).read())
dom = p.els
def services(): return [e for e in dom if e['attrs'].get('data-service') is not None]
def inside(name, tag, cls):
    return [e for e in dom if e['tag'] == tag and cls in (e['attrs'].get('class') or '').split()
            and any(q['attrs'].get('data-service') == name for q in e['parents'])]
print(eval(sys.argv[2]))
