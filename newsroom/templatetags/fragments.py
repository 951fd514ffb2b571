"""Parts of pages that many pages show the same, rendered once for all of them.

    {% load fragments %}
    {% site_fragment "popular" 60 %} … {% end_site_fragment %}

The part is kept until articles, services or tags change (the site's page
cache topic), the next scheduled article appears, or `timeout` seconds
pass. Extra arguments after the timeout become part of the key, for a part
that differs between pages (the menu marks the current service).
"""

from django import template

from newsroom.delivery import pagecache

register = template.Library()


class SiteFragmentNode(template.Node):
    def __init__(self, nodelist, name, timeout, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.timeout = timeout
        self.vary_on = vary_on

    def render(self, context):
        name = ":".join(
            [self.name.resolve(context)] + [str(v.resolve(context)) for v in self.vary_on]
        )
        return pagecache.cached_value(
            f"fragment:{name}",
            [pagecache.SITE],
            lambda: self.nodelist.render(context),
            int(self.timeout.resolve(context)),
            shared_only=True,
        )


@register.tag("site_fragment")
def site_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and a timeout")
    nodelist = parser.parse(("end_site_fragment",))
    parser.delete_first_token()
    return SiteFragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        parser.compile_filter(bits[2]),
        [parser.compile_filter(bit) for bit in bits[3:]],
    )
