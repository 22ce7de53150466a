"""auditkit.briefing.html: one briefing section rendered from its template, safely and only once per analysis."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import RoundCopy

import auditkit
from auditkit.briefing.html import (
    SECTION_METADATA,
    SECTION_NAMES,
    Section,
    draw_sections,
    prepare_sections,
    remember_sections,
    render_section,
)
from auditkit.briefing.sections import SECTIONS
from auditkit.publish.safe_text import INVISIBLE_CHARACTERS

SUMMARY = "summary: >-\n    This briefing brings together"


def counting_builders(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count how often each section's context is built, that is how often it is rendered."""
    calls = dict.fromkeys(SECTIONS, 0)
    for name, build in list(SECTIONS.items()):

        def counted(analysis, name=name, build=build):
            calls[name] += 1
            return build(analysis)

        monkeypatch.setitem(SECTIONS, name, counted)
    return calls


def test_the_briefing_has_these_sections_in_this_order():
    assert SECTION_NAMES == (
        "title",
        "background",
        "methodology",
        "definition",
        "quotes",
        "key_findings",
        "change",
        "actions",
        "indicators",
        "charts",
        "breakdowns",  # issue 18
        "further_information",
    )


def test_an_unknown_section_is_named_with_the_sections_there_are(example_round: RoundCopy):
    analysis = auditkit.analyse_round(example_round.parameters)
    with pytest.raises(ValueError) as caught:
        render_section("summary_table", analysis)
    assert str(caught.value) == (
        "There is no briefing section 'summary_table'; sections: title, background, methodology, definition, "
        "quotes, key_findings, change, actions, indicators, charts, breakdowns, further_information."
    )


def test_a_section_shows_itself_as_html_in_a_notebook(example_round: RoundCopy):
    section = render_section("title", auditkit.analyse_round(example_round.parameters))
    assert isinstance(section, Section) and section.name == "title"
    assert section._repr_html_() == section.html
    assert "<h1>Neglect toolkit survey and deep dive audit</h1>" in section.html


def test_markdown_in_the_parameters_file_is_formatted_and_its_html_escaped(example_round: RoundCopy):
    example_round.edit_parameters(
        SUMMARY, "summary: >-\n    This **briefing** <script>alert('x')</script> brings together"
    )
    html = render_section("title", auditkit.analyse_round(example_round.parameters)).html
    assert "This <strong>briefing</strong> &lt;script&gt;alert('x')&lt;/script&gt; brings together" in html
    assert "<script>" not in html


def test_plain_text_from_the_parameters_file_is_escaped(example_round: RoundCopy):
    example_round.edit_parameters(
        "title: Neglect toolkit survey and deep dive audit", "title: Neglect <i>toolkit</i> & audit"
    )
    html = render_section("title", auditkit.analyse_round(example_round.parameters)).html
    assert "<h1>Neglect &lt;i&gt;toolkit&lt;/i&gt; &amp; audit</h1>" in html


def test_a_section_is_rendered_once_for_the_same_analysis(example_round: RoundCopy, monkeypatch):
    calls = counting_builders(monkeypatch)
    analysis = auditkit.analyse_round(example_round.parameters)
    first = render_section("key_findings", analysis)
    second = render_section("key_findings", analysis)
    assert second is first
    assert calls["key_findings"] == 1


def test_prepared_sections_are_not_rendered_again(example_round: RoundCopy, monkeypatch):
    calls = counting_builders(monkeypatch)
    analysis = auditkit.analyse_round(example_round.parameters)
    prepare_sections(analysis)
    assert calls == dict.fromkeys(SECTION_NAMES, 1)
    for name in SECTION_NAMES:
        render_section(name, analysis)
    assert calls == dict.fromkeys(SECTION_NAMES, 1)


def test_sections_drawn_elsewhere_are_kept_and_not_rendered_again(example_round: RoundCopy, monkeypatch):
    import pickle

    from auditkit.analysis.memo import MEMO
    from auditkit.briefing.contexts import section_context

    analysis = auditkit.analyse_round(example_round.parameters)
    drawn = pickle.loads(pickle.dumps(draw_sections(analysis)))  # as it crosses from the process that drew them
    assert set(drawn) == {(kind, name) for name in SECTION_NAMES for kind in ("section", "context")}
    MEMO.clear()
    analysis = auditkit.analyse_round(example_round.parameters)
    calls = counting_builders(monkeypatch)
    remember_sections(analysis, drawn)
    for name in SECTION_NAMES:
        assert render_section(name, analysis).html == drawn[("section", name)].html
        assert section_context(name, analysis).keys() == drawn[("context", name)].keys()
    assert calls == dict.fromkeys(SECTION_NAMES, 0)


def test_another_analysis_is_rendered_afresh(example_round: RoundCopy, monkeypatch):
    calls = counting_builders(monkeypatch)
    before = render_section("title", auditkit.analyse_round(example_round.parameters)).html
    example_round.edit_parameters(
        "title: Neglect toolkit survey and deep dive audit", "title: Neglect toolkit audit, second look"
    )
    after = render_section("title", auditkit.analyse_round(example_round.parameters)).html
    assert calls["title"] == 2
    assert "<h1>Neglect toolkit survey and deep dive audit</h1>" in before
    assert "<h1>Neglect toolkit audit, second look</h1>" in after


# --- nothing injectable ---------------------------------------------------------------------------------


def test_further_information_links_are_written_as_checked(example_round: RoundCopy):
    example_round.edit_parameters('url: "https://example.org/llr/audits"', 'url: " HTTPS://example.org/llr/audits"')
    html = render_section("further_information", auditkit.analyse_round(example_round.parameters)).html
    assert '<li><a href="https://example.org/llr/audits">Multi-agency audit summaries</a></li>' in html


def test_a_link_that_escaped_the_parameters_check_is_not_written(example_round: RoundCopy):
    analysis = auditkit.analyse_round(example_round.parameters)
    briefing = analysis.round.briefing
    links = (briefing.further_information[0].model_copy(update={"url": "javascript:alert(1)"}),)
    tampered = dataclasses.replace(
        analysis,
        round=dataclasses.replace(analysis.round, briefing=briefing.model_copy(update={"further_information": links})),
    )
    with pytest.raises(ValueError) as caught:
        render_section("further_information", tampered)
    assert str(caught.value) == (
        "the link 'Neglect toolkit' uses the scheme javascript:, which a briefing may not publish; "
        "a link must start with one of https:, http:, mailto:"
    )


def test_invisible_characters_leave_every_section(example_round: RoundCopy):
    example_round.edit_parameters(
        "title: Neglect toolkit survey and deep dive audit", "title: Neglect toolkit \u202esurvey\u2066 audit\u2069"
    )
    example_round.edit_parameters("partnership: Leicester,", "partnership: Leic\u200bester\ufeff,")
    analysis = auditkit.analyse_round(example_round.parameters)
    for name in SECTION_NAMES:
        html = render_section(name, analysis).html
        assert not set(html) & set(INVISIBLE_CHARACTERS), name
    assert "<h1>Neglect toolkit survey audit</h1>" in render_section("title", analysis).html


def test_markdown_links_in_the_parameters_file_keep_only_allowed_schemes(example_round: RoundCopy):
    example_round.edit_parameters(
        SUMMARY,
        "summary: >-\n    See [the audits](https://example.org/a), [us](mailto:lscb@example.org),"
        " [x]( JavaScript:alert(1)), [y](data:text/html,z), [z](ftp://example.org/f) and [w](notes.html)."
        " This briefing brings together",
    )
    html = render_section("title", auditkit.analyse_round(example_round.parameters)).html
    assert '<a href="https://example.org/a">the audits</a>, <a href="mailto:lscb@example.org">us</a>' in html
    hrefs = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert hrefs == ["https://example.org/a", "mailto:lscb@example.org", *["#harmful-link"] * 4]


def test_a_sections_output_in_a_notebook_names_the_section(example_round: RoundCopy):
    from IPython.core.formatters import DisplayFormatter

    section = render_section("key_findings", auditkit.analyse_round(example_round.parameters))
    data, metadata = DisplayFormatter().format(section)
    assert data["text/html"] == section.html
    assert metadata == {SECTION_METADATA: {"section": "key_findings"}}


def test_a_round_with_no_background_renders_no_background_section(example_round: RoundCopy):
    text = example_round.parameters.read_text(encoding="utf-8")
    start, end = text.index("  background:\n"), text.index("  methodology:\n")
    example_round.parameters.write_text(text[:start] + text[end:], encoding="utf-8")
    analysis = auditkit.analyse_round(example_round.parameters)
    assert render_section("background", analysis).html.strip() == ""
    example_round.parameters.write_text(text[:start] + "  background: []\n" + text[end:], encoding="utf-8")
    html = render_section("background", auditkit.analyse_round(example_round.parameters)).html
    assert "<h2" not in html and "Background" not in html
    assert '<h2 id="methodology">Methodology</h2>' in render_section("methodology", analysis).html
