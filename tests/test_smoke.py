from conftest import SiteDir


def test_a_post_is_built_into_its_page(site: SiteDir) -> None:
    site.post("hello", "Hello there", body="A first post.")
    site.build()
    assert "A first post." in site.read("posts/hello/index.html")


def test_wide_code_and_tables_can_be_scrolled_from_the_keyboard(site: SiteDir) -> None:
    site.post("code", "Code", body="```\n" + "x" * 300 + "\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    site.build()
    html = site.read("posts/code/index.html")
    assert '<pre tabindex="0">' in html
    assert '<div class="table-scroll" role="region" aria-label="Table" tabindex="0">' in html
