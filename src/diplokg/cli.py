"""The `diplokg` command: a thin layer over the library.

Every command turns a DiplokgError into one line on stderr (`diplokg: <file>: <reason>`)
and the error's exit code; nothing already stored is lost when an input is bad.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from . import __version__
from .errors import DiplokgError, InputError, QueryError

DEFAULT_INPUT = "seeds"
DEFAULT_OUT = "graphs"


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        metavar="LOC",
        default=os.environ.get("DIPLOKG_STORE"),
        help="a directory (embedded Oxigraph; default .diplokg/store), memory:, or a SPARQL "
        "query endpoint URL http(s)://... (default: $DIPLOKG_STORE)",
    )
    p.add_argument("--update-url", metavar="URL", default=None,
                   help="SPARQL Update endpoint when it differs from the query URL ($DIPLOKG_UPDATE_URL)")
    p.add_argument("--user", default=None, help="user for the update endpoint ($DIPLOKG_SPARQL_USER); "
                   "the password is read from $DIPLOKG_SPARQL_PASSWORD only, never from the command line")
    p.add_argument("--auth", choices=("basic", "digest"), default=None, help="HTTP auth scheme ($DIPLOKG_SPARQL_AUTH)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="diplokg", description="Knowledge graphs of diplomacy news (Spanish articles -> RDF).")
    parser.add_argument("--version", action="version", version=f"diplokg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="ingest articles and write Turtle, TriG and the HTML viewer")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help=f"files or directories (default: {DEFAULT_INPUT}/)")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help=f"output directory (default: {DEFAULT_OUT}/)")
    _store_arg(p)
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    p.add_argument("--reason", action="store_true", help="also materialize the RDFS closure in its own named graph")

    p = sub.add_parser("ingest", help="extract articles and store their graphs")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt/.md/.html/.jsonl files or directories")
    _store_arg(p)
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    p.add_argument("--reason", action="store_true", help="also materialize the RDFS closure in its own named graph")

    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="worker processes for the NLP (default 1)")

    p = sub.add_parser("remove", help="remove articles (by id or IRI) and their graphs")
    p.add_argument("ids", nargs="+", metavar="ID")
    _store_arg(p)

    p = sub.add_parser("stats", help="triples, articles, entities per type, events per type")
    _store_arg(p)

    p = sub.add_parser("import", help="load a TriG or N-Quads export (one named graph per article)")
    p.add_argument("file", type=Path)
    _store_arg(p)

    p = sub.add_parser("query", help="run SPARQL (text, --file or a named query)")
    p.add_argument("sparql", nargs="?", help="the query text")
    p.add_argument("--file", "-f", type=Path, help="read the query from a file")
    p.add_argument("--name", "-n", help="run a named query (see --list)")
    p.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    p.add_argument("--param", "-p", action="append", default=[], metavar="K=V", help="bind a named query's parameter")
    p.add_argument("--limit", type=int, metavar="N",
                   help="rows of a named query's answer to show (default 100; 0 = all)")
    p.add_argument("--offset", type=int, metavar="N", help="rows of a named query's answer to skip first (default 0)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--allow-service", action="store_true",
                   help="let the query use SERVICE (federated queries): the engine then fetches whatever URL it names")
    _store_arg(p)

    p = sub.add_parser("export", help="write the stored graphs as RDF, or the network for Gephi/yEd/Cytoscape")
    p.add_argument("--format", choices=("ttl", "trig", "nq", "nt", "jsonld", "graphml", "cytoscape"), default="trig",
                   help="RDF (ttl, trig, nq, nt, jsonld), or the viewer's network as GraphML (Gephi, yEd) "
                   "or Cytoscape.js JSON (cytoscape)")
    p.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    _store_arg(p)

    p = sub.add_parser("viz", help="write the interactive HTML viewer of the stored graph")
    p.add_argument("-o", "--output", type=Path, default=Path(DEFAULT_OUT) / "diplokg.html")
    p.add_argument("--focus", metavar="NAME|IRI", help="draw only what is around this node (a label, alias, IRI or id:...)")
    p.add_argument("--depth", type=int, default=2, metavar="N",
                   help="with --focus: how many links away to go (an agent's events are 1, their participants 2; default 2)")
    p.add_argument("--max-nodes", type=int, default=20000, metavar="N",
                   help="keep at most N nodes, the most connected part around the focus; the page says what was "
                   "left out (default 20000; 0 = no limit)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="only events dated (dip:date) on or after DATE (YYYY[-MM[-DD]])")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="only events dated (dip:date) on or before DATE (YYYY[-MM[-DD]])")
    p.add_argument("--types", nargs="+", metavar="TYPE",
                   help="node types to draw: Person, Country, InternationalOrganization, GovernmentBody, Organization, "
                   "Delegation, Place, Meeting, Visit, ... (Event = all events, Agent = all agents; commas work too)")
    p.add_argument("--query", type=Path, metavar="FILE.rq",
                   help="a SPARQL SELECT whose ?event, ?node, ?s or ?o values choose what to draw")
    p.add_argument("--view", choices=("events", "entities"), help="the view the page opens with (default: events)")
    p.add_argument("--layout", choices=("auto", "physics", "python"), default="auto",
                   help="physics: laid out in the browser; python: positions computed here, physics off "
                   "(auto: python above 300 nodes)")
    p.add_argument("--title", default="diplokg", help="the page title")
    _store_arg(p)

    p = sub.add_parser("validate", help="check the stored graph against ontology/shapes.ttl (SHACL)")
    p.add_argument("files", nargs="*", type=Path, help="validate these RDF files instead of the store")
    _store_arg(p)

    p = sub.add_parser("eval", help="score extraction against gold annotations (NAME.txt + NAME.gold.json)")
    p.add_argument("gold_dir", type=Path, help="folder of NAME.gold.json files (and their NAME.txt, unless --texts)")
    p.add_argument("--texts", type=Path, default=None, metavar="DIR|FILE.jsonl",
                   help="where the texts are when kept apart from the gold: a folder of NAME.txt or a JSONL file "
                        "(id, text, published) such as the real corpus's check_texts.py writes")
    p.add_argument("--errors", action="store_true",
                   help="also list each missed and spurious entity, position and event with its evidence, and each wrong date")
    p.add_argument("--json", action="store_true", help="print the report as JSON (errors always included)")

    p = sub.add_parser("articles", help="list stored articles")
    _store_arg(p)

    p = sub.add_parser("serve", help="serve the store: SPARQL 1.1 endpoint (/sparql), query page (/), viewer (/viewer)")
    p.add_argument("--host", default=None, help="address to bind (default 127.0.0.1; others are reachable from other machines)")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    _store_arg(p)
    p.add_argument("--allow-update", action="store_true", help="accept SPARQL Update with the bearer token from --token-env")
    p.add_argument("--token-env", default="DIPLOKG_SERVE_TOKEN", metavar="VAR", help="environment variable holding the update token (default DIPLOKG_SERVE_TOKEN)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="S", help="seconds a query may run before the answer is 503 (default 30; 0 = no limit)")
    p.add_argument("--max-rows", type=int, default=10000, metavar="N", help="larger results are refused with 413 (default 10000; 0 = no limit)")
    p.add_argument("--cors", metavar="ORIGIN", default=None,
                   help="let web pages of ORIGIN (or * for any) read the answers; default: no CORS headers")
    p.add_argument("--allow-service", action="store_true",
                   help="let queries use SERVICE (federated queries) and updates LOAD: the server then fetches "
                   "whatever URL they name; off by default (403)")
    p.add_argument("--max-query-memory", type=int, default=1024, metavar="MB",
                   help="memory one query may use beyond the server's own; past it the answer is 413 "
                   "(default 1024; 0 = no limit)")
    p.add_argument("--quiet", "-q", action="store_true", help="do not log requests")
    return parser


def main(argv: list[str] | None = None) -> int:
    from .interrupts import handled

    args = build_parser().parse_args(argv)
    _warnings_to_stderr()
    try:
        with handled():  # SIGTERM stops a command as Ctrl-C does
            return COMMANDS[args.command](args) or 0
    except DiplokgError as exc:
        print(f"diplokg: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        detail = getattr(exc, "detail", "")
        print(f"diplokg: interrupted by {getattr(exc, 'signal_name', 'SIGINT')}{detail}", file=sys.stderr)
        return getattr(exc, "exit_code", 130)
    except BrokenPipeError:
        return 0


class _WarningLine(logging.Handler):
    """A library warning (logger "diplokg") as one line on the stderr of the moment, once
    per command (ingest reads its files twice: to count them, then to store them)."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.said: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        line = f"diplokg: warning: {record.getMessage()}"
        if line not in self.said:
            self.said.add(line)
            print(line, file=sys.stderr)


def _warnings_to_stderr() -> None:
    log = logging.getLogger("diplokg")
    for old in [h for h in log.handlers if isinstance(h, _WarningLine)]:
        log.removeHandler(old)  # a new command (tests run many in one process) says its own
    log.addHandler(_WarningLine(logging.WARNING))


def _open(args, *, write: bool = False, create: bool = True):
    """The store of --store: read-only unless the command `write`s (a read-only open writes
    nothing, so a read-only or full disk can still be read); only a writing command that may
    `create` makes a store where there is none."""
    from .stores import open_store

    options = {k: v for k, v in (("update_url", args.update_url), ("user", args.user), ("auth", args.auth)) if v}
    return open_store(args.store, read_only=not write, create=write and create, **options)


def _open_to_write(args, *, create: bool = True):
    """The store, opened to write and repaired first where it can be (see stores.atomic.repair)."""
    store = _open(args, write=True, create=create)
    try:
        getattr(store, "repair", int)()
    except BaseException:
        store.close()
        raise
    return store


def _say(args, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(text)


def _ingest(args, inputs, store) -> int:
    """Store every good article of `inputs`; returns the exit code (2 when any input was bad).

    A missing path or an unsupported file named on the command line stops everything before
    anything is read. Any other bad input (an unreadable, empty, binary, too large or
    non-Spanish file, a bad .jsonl line, an article the extraction fails on) is reported as
    one line `diplokg: path[:line]: reason` on stderr and skipped; the good articles are
    still stored, each whole or not at all, and nothing already stored is lost."""
    from .pipeline import IngestReport, ingest
    from .read import read_articles
    from .walk import check_inputs

    check_inputs(inputs)
    files = list(inputs)  # folders are walked by each pass; a problem inside one is reported
    # A first pass reads (and so checks) every input before anything is written and reports
    # each problem once; the second streams the good articles one at a time, so a corpus
    # never sits in memory.
    problems: set[str] = set()

    def report(err: InputError) -> None:
        message = " ".join(str(err).splitlines())
        if message not in problems:
            problems.add(message)
            print(f"diplokg: {message}", file=sys.stderr)

    total = sum(1 for _ in read_articles(files, on_error=report))
    if total == 0 and problems:
        return InputError.exit_code  # nothing good to store: the store is not touched
    progress = _progress(args, total)
    def on_article(article, outcome):
        if progress is not None:
            progress.update(1)
        else:
            _say(args, f"{outcome:9} {article.id}")
    report_ = IngestReport()
    try:
        ingest(read_articles(files, on_error=report), store, on_article=on_article, jobs=getattr(args, "jobs", 1),
               report=report_, on_error=report)
    except KeyboardInterrupt as exc:  # what was stored is stored; say how much
        stored = report_.total - len(report_.failed)
        exc.detail = (f"; {stored} article(s) stored ({report_.counts()}), "
                      "the rest not: the same command again goes on")
        raise
    finally:
        if progress is not None:
            progress.close()
    if getattr(args, "reason", False):
        from .lifecycle import materialize

        _say(args, f"inferred {materialize(store)} triples into <https://w3id.org/diplokg/inferred>")
    summary = report_.summary() + f"; the store holds {store.count()} triples"
    if problems:
        summary += f"; {len(problems)} input problem(s) reported on stderr were skipped"
    _say(args, summary)
    return InputError.exit_code if problems else 0


def _progress(args, total: int):
    """A progress bar with articles/s on a terminal; nothing when quiet or piped."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="article", unit_scale=False, file=sys.stderr, dynamic_ncols=True)


def cmd_build(args) -> int:
    from .pipeline import write_outputs

    with _open_to_write(args) as store:
        code = _ingest(args, args.inputs or [DEFAULT_INPUT], store)
        written = write_outputs(store, Path(args.out))
    for path in written:
        _say(args, f"wrote {path}")
    return code


def cmd_ingest(args) -> int:
    with _open_to_write(args) as store:
        return _ingest(args, args.inputs, store)


def cmd_query(args) -> int:
    from .query import format_result, named_queries, run_named, run_query

    if args.list:
        for q in named_queries().values():
            params = ", ".join(f"{p.name}{'?' if p.optional else ''}" for p in q.params)
            print(f"{q.name:10} {q.description}" + (f"  [params: {params}]" if params else ""))
        return 0
    sources = [x for x in (args.sparql, args.file, args.name) if x]
    if len(sources) != 1:
        raise QueryError("give exactly one of: a SPARQL text, --file F, --name N (or --list)")
    params = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            raise QueryError(f"--param {item!r}: expected key=value")
        params[key.strip()] = value
    if not args.name and (args.limit is not None or args.offset is not None):
        raise QueryError("--limit and --offset apply to named queries (--name) only; write LIMIT/OFFSET in the query")
    note = None
    with _open(args) as store:
        if args.name:
            result = run_named(store, args.name, params, limit=args.limit, offset=args.offset or 0)
            if result.more:  # on stderr, so that csv/json on stdout stay data
                last = result.offset + len(result.rows)
                note = f"diplokg: rows {result.offset + 1}-{last} shown; more with --offset {last} (or --limit 0 for all)"
        else:
            if params:
                raise QueryError("--param applies to named queries (--name) only")
            if args.file:
                try:
                    text = args.file.read_text(encoding="utf-8")
                except OSError as exc:
                    raise QueryError(f"{args.file}: cannot read ({exc.strerror})") from None
            else:
                text = args.sparql
            _refuse_service(text, args.allow_service)
            result = run_query(store, text)
        print(format_result(result, args.format), end="")
    if note:
        print(note, file=sys.stderr)
    return 0


def _refuse_service(text: str, allowed: bool) -> None:
    """SERVICE sends the query to whatever URL it names: off unless --allow-service, as in serve."""
    from .errors import ForbiddenQueryError
    from .stores.guard import check_text

    try:
        check_text(text, allow_service=allowed)
    except ForbiddenQueryError:
        raise ForbiddenQueryError("the query uses SERVICE, which sends requests to the URL it names; "
                                  "add --allow-service to let it") from None


def cmd_export(args) -> int:
    from .export import export

    with _open(args) as store:
        if args.output:
            export(store, args.format, args.output)
        else:
            sys.stdout.write(export(store, args.format))
    return 0


def cmd_viz(args) -> int:
    from .viz import network_from_store, write_html

    query = None
    if args.query is not None:
        try:
            query = args.query.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{args.query}: cannot read ({exc.strerror})") from None
    with _open(args) as store:
        net = network_from_store(
            store, focus=args.focus, depth=args.depth, max_nodes=args.max_nodes or None,
            date_from=args.date_from, date_to=args.date_to, types=args.types, query=query,
        )
    write_html(net, args.output, title=args.title, layout=args.layout, view=args.view)
    omitted = net.graph.get("omitted")
    note = f" ({omitted['nodes']} of {omitted['total']} left out)" if omitted else ""
    print(f"wrote {args.output}: {net.number_of_nodes()} nodes, {net.number_of_edges()} edges{note}")
    return 0


def cmd_validate(args) -> int:
    from rdflib import Dataset, Graph

    from .validate import validate

    if args.files:
        data = Graph()
        for f in args.files:
            try:
                ds = Dataset()
                ds.parse(f, format="trig" if f.suffix == ".trig" else None)
                for s, p, o, _g in ds.quads((None, None, None, None)):
                    data.add((s, p, o))
            except Exception as exc:  # rdflib's parsers raise many exception types (ParserError, BadSyntax, SAX...)
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
                raise InputError(f"{f}: cannot parse as RDF ({first})") from None
    else:
        with _open(args) as store:
            ds = store.dataset()
            stray = getattr(store, "unhashed_report", lambda: None)()
        if stray:
            print(f"does not conform: {stray}", file=sys.stderr)
            return 1
        data = Graph()
        for s, p, o, _g in ds.quads((None, None, None, None)):
            data.add((s, p, o))
    report = validate(data)
    if report.conforms:
        print(f"conforms: {len(data)} triples checked against ontology/shapes.ttl")
        return 0
    print(report.results_text)
    print(f"does not conform: {report.violations} violation(s)", file=sys.stderr)
    return 1


def cmd_eval(args) -> int:
    import json

    from .evaluate import evaluate, format_report, report_json
    from .extract import extract

    report = evaluate(args.gold_dir, extract, texts=args.texts)
    if report.without_text:
        print(f"diplokg: eval: no text for {len(report.without_text)} gold file(s), skipped: "
              f"{', '.join(report.without_text)}", file=sys.stderr)
    print(json.dumps(report_json(report), ensure_ascii=False, indent=2) if args.json else format_report(report, errors=args.errors))
    return 0


def cmd_remove(args) -> int:
    from .lifecycle import INFERRED_GRAPH, refresh_inferred, remove

    inferred = None
    with _open_to_write(args, create=False) as store:
        problems = remove(store, args.ids)
        if len(problems) < len(args.ids):
            inferred = refresh_inferred(store)
    for problem in problems:
        print(f"diplokg: {problem}", file=sys.stderr)
    print(f"removed {len(args.ids) - len(problems)} article(s)")
    if inferred is not None:
        print(f"recomputed the inferred graph <{INFERRED_GRAPH}>: {inferred} triples")
    return 1 if problems else 0


def cmd_stats(args) -> int:
    from .lifecycle import stats

    with _open(args) as store:
        print("\n".join(stats(store).lines()))
    return 0


def cmd_import(args) -> int:
    from .lifecycle import import_file

    with _open_to_write(args) as store:
        n = import_file(store, args.file)
        print(f"imported {n} article graph(s); the store holds {store.count()} triples")
    return 0


def cmd_articles(args) -> int:
    with _open(args) as store:
        infos = store.articles()
    print(f"{'id':30} {'issued':10} {'triples':>7}  title")
    for info in infos:
        print(f"{info.id:30} {info.issued or '':10} {info.triples:>7}  {info.title or ''}")
    return 0


def cmd_serve(args) -> int:
    import os
    import signal

    from .serve import DEFAULT_HOST, is_loopback, make_server

    host = args.host or DEFAULT_HOST
    token = None
    if args.allow_update:
        token = os.environ.get(args.token_env, "").strip()
        if not token:
            raise DiplokgError(f"--allow-update needs a token in the environment variable {args.token_env} (it is unset or empty)")
    if not is_loopback(host):
        print(f"diplokg: warning: serving on {host}: other machines can query the store"
              + (" and the update token travels unencrypted" if args.allow_update else ""), file=sys.stderr)
    with _open(args, write=args.allow_update) as store:
        server = make_server(store, host, args.port, allow_update=args.allow_update, token=token,
                             timeout=args.timeout, max_rows=args.max_rows, quiet=args.quiet, cors=args.cors,
                             allow_service=args.allow_service, max_query_memory=args.max_query_memory)
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM stops cleanly, like Ctrl-C
        try:
            print(f"serving {store.location} at {server.url} (SPARQL endpoint {server.url}sparql; "
                  f"updates {'on' if args.allow_update else 'off'}); Ctrl-C stops", flush=True)
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped", flush=True)
        finally:
            signal.signal(signal.SIGTERM, previous)
            server.server_close()
    return 0


COMMANDS = {
    "build": cmd_build,
    "ingest": cmd_ingest,
    "query": cmd_query,
    "export": cmd_export,
    "viz": cmd_viz,
    "validate": cmd_validate,
    "eval": cmd_eval,
    "articles": cmd_articles,
    "remove": cmd_remove,
    "stats": cmd_stats,
    "import": cmd_import,
    "serve": cmd_serve,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
