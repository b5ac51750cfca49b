"""Built-in converters, as data: looking one up imports nothing else.

Generated from the modules' declarations by
`write_builtin_table()` in registry.py; tests/test_registry.py fails
when this table and the modules disagree."""

from .registry import ConverterInfo

BUILTIN_CONVERTERS: tuple[ConverterInfo, ...] = (
    ConverterInfo(
        name="citation",
        module="refconv.converters.citation",
        aliases=("bibliography", "cite", "citations", "formatted"),
        extensions=(".txt", ".html", ".md", ".rst"),
        can_read=False,
        can_write=True,
        description="formatted bibliography or citations in any CSL style "
        "(--style, --locale, --markup, --mode)",
        write_options=("style", "locale", "markup", "mode", "citations", "progress"),
        plugin=None,
    ),
    ConverterInfo(
        name="crossref",
        module="refconv.converters.crossref",
        aliases=("crossref-json", "crossref-api"),
        extensions=(".json", ".jsonl", ".ndjson"),
        can_read=True,
        can_write=False,
        description="Crossref works: API work/work-list responses, JSON Lines, Crossref CSL-JSON",
        write_options=(),
        plugin=None,
    ),
    ConverterInfo(
        name="csl-json",
        module="refconv.converters.csl_json",
        aliases=("csljson", "csl", "citeproc-json"),
        extensions=(".json", ".jsonl", ".ndjson"),
        can_read=True,
        can_write=True,
        description="CSL-JSON items (the citeproc data model); --jsonl for JSON Lines",
        write_options=("indent", "jsonl"),
        plugin=None,
    ),
    ConverterInfo(
        name="openalex",
        module="refconv.converters.openalex",
        aliases=("open-alex",),
        extensions=(".json", ".jsonl", ".ndjson"),
        can_read=True,
        can_write=False,
        description="OpenAlex works: object, results lists, JSON Lines, snapshot lines",
        write_options=(),
        plugin=None,
    ),
    ConverterInfo(
        name="paper-record",
        module="refconv.converters.paper_record",
        aliases=("paper", "record", "aggregator"),
        extensions=(".txt", ".jsonl", ".json"),
        can_read=True,
        can_write=False,
        description="paper records from aggregators (JSON + text trailer, JSON Lines, JSON array)",
        write_options=(),
        plugin=None,
    ),
    ConverterInfo(
        name="pubmed",
        module="refconv.converters.pubmed",
        aliases=("medline", "nbib", "pubmed-xml", "efetch"),
        extensions=(".xml", ".nbib", ".medline", ".txt"),
        can_read=True,
        can_write=False,
        description="PubMed records: EFetch XML (PubmedArticleSet) and MEDLINE/.nbib text",
        write_options=(),
        plugin=None,
    ),
    ConverterInfo(
        name="ris",
        module="refconv.converters.ris",
        aliases=("refman",),
        extensions=(".ris",),
        can_read=True,
        can_write=True,
        description="RIS tagged records (Zotero, EndNote, Mendeley; PubMed, Web of Science, Scopus)",
        write_options=("crlf", "bom"),
        plugin=None,
    ),
    ConverterInfo(
        name="semantic-scholar",
        module="refconv.converters.semantic_scholar",
        aliases=("s2", "semanticscholar"),
        extensions=(".json", ".jsonl", ".ndjson"),
        can_read=True,
        can_write=False,
        description="Semantic Scholar Graph API papers: object, search/batch responses, JSON Lines",
        write_options=(),
        plugin=None,
    ),
)
