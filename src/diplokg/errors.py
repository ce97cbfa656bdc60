"""One exception hierarchy; the CLI turns each into a one-line message and an exit code."""


class DiplokgError(Exception):
    """Base of every error diplokg raises on purpose. `exit_code` is what the CLI returns."""

    exit_code = 1


class InputError(DiplokgError):
    """An input file cannot be read or has invalid content (the message names the file)."""

    exit_code = 2


class ExtractionError(InputError):
    """The NLP failed on one article (the message names it and the cause); ingest skips
    that article and stores the others."""

    article_id: str | None = None


class StoreError(DiplokgError):
    """The store cannot be opened, read or written."""

    exit_code = 3


class QueryError(DiplokgError):
    """A SPARQL query is invalid, unknown or badly parameterised."""

    exit_code = 4


class ResourceError(DiplokgError):
    """A language resource (gazetteer, lexicon) is missing or malformed."""

    exit_code = 5


class ForbiddenQueryError(QueryError):
    """A query or update uses something this server has turned off, such as SERVICE (403)."""


class ResultTooLargeError(QueryError):
    """A result has more than `limit` rows (or triples, the `unit`) where the caller capped it."""

    def __init__(self, limit: int, unit: str = "rows") -> None:
        super().__init__(f"result has more than {limit} {unit}; add LIMIT (and OFFSET to page)")
        self.limit = limit
        self.unit = unit

    def __reduce__(self):  # pickled across the server's query processes
        return type(self), (self.limit, self.unit)
