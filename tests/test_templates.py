"""Templates: a site's own templates override the theme file by file; their mistakes are
reported at their line, never as a traceback."""

from __future__ import annotations

from conftest import SiteDir


def test_a_site_template_overrides_one_file_of_the_theme(site: SiteDir) -> None:
    site.post("p", "A post", body="Hello.")
    site.write("templates/tags.html", "{% extends 'base.html' %}{% block content %}"
               "<p>My own tag list</p>{% endblock %}")
    site.build()
    assert "My own tag list" in site.read("tags/index.html")
    assert "My own tag list" not in site.read("index.html")
    assert 'class="site-header"' in site.read("tags/index.html")  # base.html from the theme


def test_a_mistake_in_a_template_names_its_file_and_line(site: SiteDir, run_cli) -> None:
    site.post("p", "A post", body="Hello.")
    site.write("templates/tags.html", "{% extends 'base.html' %}\n{% block content %}\n"
               "<ul>\n{% for tag in 5 %}<li>{{ tag }}</li>{% endfor %}\n</ul>\n"
               "{% endblock %}\n")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "templates/tags.html:4" in result.err
    assert "Traceback" not in result.err
    assert not site.out.exists()


def test_a_tag_template_of_the_site_that_links_to_no_other_page_is_a_warning(
        site: SiteDir) -> None:
    """A site's own tag.html made before tags had pages shows a tag's first page only:
    its later pages would be written, but nothing would link to them."""
    for day in range(1, 5):  # 3 posts a page: two pages
        site.post(f"walk-{day}", f"Walk {day}", date=f"2024-03-0{day}", tags="[walks]")
    assert [p for p in site.build().warnings if "pagination" in p.message] == []

    site.write("templates/tag.html", "{% extends 'base.html' %}{% block content %}"
               "{% for e in entries %}<p>{{ e.title }}</p>{% endfor %}{% endblock %}")
    warned = [p.format(site.root.resolve()) for p in site.build().warnings
              if "pagination" in p.message]
    assert len(warned) == 1 and warned[0].startswith("templates/tag.html: warning: `tag.html` "
                                                     "does not show `pagination`"), warned
    assert "Walk 1" in site.read("tags/walks/page/2/index.html")

    site.write("templates/_pages.html", "{% macro pages(p) %}<nav>{{ p.page }} of {{ p.pages }}"
               "</nav>{% endmacro %}")
    site.write("templates/tag.html", "{% extends 'base.html' %}{% import '_pages.html' as x %}"
               "{% block content %}{{ x.pages(pagination) }}{% endblock %}")
    assert [p for p in site.build().warnings if "pagination" in p.message] == []
