from conftest import SiteDir


def test_a_post_is_built_into_its_page(site: SiteDir) -> None:
    site.post("hello", "Hello there", body="A first post.")
    site.build()
    assert "A first post." in site.read("posts/hello/index.html")
