"""Shared conventions of the CSL-JSON item model."""

from refconv.converters.core.model import join_keywords, split_keywords


def test_keywords_join_with_commas_unless_a_keyword_holds_one():
    assert join_keywords(["Medicine", "Biology", "Medicine", " "]) == "Medicine, Biology"
    mesh = ["Humans", "Carcinoma, Hepatocellular"]
    assert join_keywords(mesh) == "Humans; Carcinoma, Hepatocellular"
    assert split_keywords(join_keywords(mesh)) == mesh
    assert split_keywords("a, b ,c") == ["a", "b", "c"]
    assert split_keywords(["x", " y "]) == ["x", "y"]
