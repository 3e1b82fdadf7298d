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
