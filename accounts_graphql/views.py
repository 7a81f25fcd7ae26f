"""The /graphql/ endpoint: Django session (with CSRF), device token, or header session.

A browser on the same site uses its session cookie and sends the CSRF token; a mobile app sends
`Authorization: Token <key>` or `Bearer <key>` (device tokens from POST /api/token/, which
django-oscar-api accepts too) and needs no CSRF token, since no cookie is involved; any other
scheme, or a bad, expired or revoked token, is a 401. A guest without cookies names its session
(basket, checkout) by django-oscar-api's `Session-Id` header (headless_store/headersessions.py).
The GraphiQL console is served to staff in every mode and to everyone else only with DEBUG.

Persisted operations: a request may name a document of frontend_contract/operations/ by its
sha256 (`extensions.persistedQuery.sha256Hash`, as Apollo clients send it) instead of sending its
text. With GRAPHQL_API["PERSISTED_OPERATIONS_ONLY"] on, anonymous callers and customers can run
only those documents (recognised however a client prints them); staff keep full access for the
console.

Over GET only queries run (mutations are refused), and never one passing a gift-card code: a
URL ends up in access logs and browser history, and a cross-site link would spend the signed-in
customer's code attempts.
"""
import hashlib
import json
import re
from dataclasses import replace

from cross_web import HTTPException
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphql import GraphQLError, parse, visit
from graphql.language import ArgumentNode, ObjectFieldNode, OperationDefinitionNode, OperationType, Visitor
from oscar.apps.partner.strategy import Selector
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from strawberry.django.views import GraphQLView

from headless_store.devicetokens import SCHEMES, DeviceTokenAuthentication
from headless_store.headersessions import has_token, is_header_client
from headless_store.signin import csrf_failure

from .context import Context
from .persisted import documents_by_hash, is_contract_document

#: Who may download the SDL besides staff (any staff member may: the console shows it anyway).
VIEW_SCHEMA = "accounts_graphql.view_schema"


def schema_sdl(request):
    """`GET /graphql/schema.graphql`: the SDL the code serves (what `make schema` commits), for
    staff (session) and for anyone, session or device token, holding `accounts_graphql.view_schema`;
    in production too, where introspection is off for everyone else. 401 anonymous, 403 otherwise."""
    from .schema import schema

    user = request.user
    if has_token(request):
        try:
            authenticated = DeviceTokenAuthentication().authenticate(request)
        except AuthenticationFailed as failure:
            return _json_error(401, "UNAUTHENTICATED", str(failure.detail))
        user = authenticated[0] if authenticated else user
    if not user.is_authenticated:
        return _json_error(401, "UNAUTHENTICATED", "Sign in, or send a device token, to download the schema.")
    if not user.is_active or not (user.is_staff or user.has_perm(VIEW_SCHEMA)):
        return _json_error(403, "PERMISSION_DENIED", f"The schema is for staff and holders of {VIEW_SCHEMA}.")
    response = HttpResponse(str(schema).rstrip("\n") + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response


class PersistedQueryNotFound(Exception):
    """APQ: the hash is unknown; Apollo's link answers by sending the text with the hash."""


APQ_CACHE_PREFIX = "graphql-apq:"
APQ_CACHE_SECONDS = 30 * 24 * 3600


class PersistedOperationRequired(HTTPException):
    """Persisted-operations mode refused a document that is not in the contract."""

    def __init__(self, reason: str):
        super().__init__(400, reason)
        self.code = "PERSISTED_OPERATION_REQUIRED"


#: Every HTTP-level refusal answers JSON with a code; these name strawberry's own refusals.
HTTP_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "REQUEST_TOO_LARGE"}
#: No number the API takes has this many digits; Python refuses to parse ints past 4,300 digits.
TOO_MANY_DIGITS = re.compile(r"\d{101}")


class _GetRefusal(Visitor):
    """Why a document may not run over GET: it writes, or it carries a gift-card code."""

    reason = None

    def enter_operation_definition(self, node: OperationDefinitionNode, *args):
        if node.operation != OperationType.QUERY:
            self.reason = "Mutations are sent by POST only."

    def enter_argument(self, node: ArgumentNode, *args):
        self._code(node)

    def enter_object_field(self, node: ObjectFieldNode, *args):
        self._code(node)

    def _code(self, node):
        if node.name.value == "code" and self.reason is None:
            self.reason = "Gift-card codes are sent by POST only: URLs end up in logs and browser history."


def _refused_over_get(document: str) -> str | None:
    try:
        tree = parse(document, max_tokens=settings.GRAPHQL_API["MAX_TOKENS"])
    except GraphQLError:
        return None  # execution reports the syntax error
    refusal = _GetRefusal()
    visit(tree, refusal)
    return refusal.reason


def _json_error(status, code, message):
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    if status == 401:
        response["WWW-Authenticate"] = 'Token realm="api"'  # as DRF answers on /api/
    return response


def _http_refusal(error: HTTPException):
    code = getattr(error, "code", None) or HTTP_CODES.get(error.status_code, "BAD_REQUEST")
    return _json_error(error.status_code, code, error.reason)


@method_decorator(csrf_exempt, name="dispatch")  # CSRF is enforced below, for cookie sessions only
class AccountsGraphQLView(GraphQLView):
    graphql_ide = "graphiql"
    allow_queries_via_get = True

    def dispatch(self, request, *args, **kwargs):
        header = get_authorization_header(request).split()
        if header:
            scheme = header[0].lower()
            if scheme not in SCHEMES:
                return _json_error(401, "UNAUTHENTICATED",
                                   "Unsupported Authorization scheme: send `Token <key>` or `Bearer <key>`.")
            try:
                authenticated = DeviceTokenAuthentication().authenticate(request)
            except AuthenticationFailed as failure:
                return _json_error(401, "UNAUTHENTICATED", str(failure.detail))
            request.user = authenticated[0]
            request.strategy = Selector().strategy(request=request, user=request.user)
        elif request.method not in ("GET", "HEAD", "OPTIONS") and settings.SESSION_COOKIE_NAME in request.COOKIES:
            # CSRF guards the ambient credential, the session cookie; a request without one (a
            # native app, a first guest request) has nothing to forge.
            reason = csrf_failure(request)
            if reason:
                return _json_error(403, "CSRF_FAILED", f"CSRF check failed: {reason}")
        if not is_header_client(request):
            get_token(request)  # every cookie client's answer carries the csrftoken cookie a session will need
        try:
            return self.run(request=request)
        except HTTPException as refusal:
            return _http_refusal(refusal)
        except PersistedQueryNotFound:  # 200, as Apollo's persisted-query link expects
            return _json_error(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")

    def decode_json(self, data):
        """JSON of UTF-8 text only, and no number longer than any the API takes."""
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
        except UnicodeDecodeError:
            raise HTTPException(400, "The request body is not UTF-8 text.") from None
        if TOO_MANY_DIGITS.search(text):
            raise HTTPException(400, "The request holds a number of more than 100 digits.")
        return json.loads(text)

    def parse_http_body(self, request):
        try:
            data = super().parse_http_body(request)
        except UnicodeDecodeError:
            raise HTTPException(400, "The request body is not UTF-8 text.") from None
        if not isinstance(data, list) and data.query is not None and TOO_MANY_DIGITS.search(data.query):
            raise HTTPException(400, "The document holds a number of more than 100 digits.")
        return data

    def parse_json(self, data):
        parsed = super().parse_json(data)
        if not isinstance(parsed, (dict, list)):
            raise HTTPException(400, "The request body must be a JSON object with a `query` (or a persisted query's hash).")
        return parsed

    def execute_single(self, request, request_adapter, sub_response, context, root_value, request_data):
        request_data = self.resolve_persisted(request, request_data)
        if request.method == "GET" and request_data.query and (reason := _refused_over_get(request_data.query)):
            raise HTTPException(405, reason)
        return super().execute_single(request, request_adapter, sub_response, context, root_value, request_data)

    @staticmethod
    def resolve_persisted(request, data):
        """Automatic persisted queries as Apollo speaks them, and the contract's safelist.

        A hash alone runs the contract's document (or one registered earlier); an unknown hash
        answers PERSISTED_QUERY_NOT_FOUND, so Apollo's link sends the text with it. Text with a
        hash must match it; it is registered (in the shared cache) for anyone when it is a
        contract document however printed (its canonical form, see persisted.py), else only for
        staff or with DEBUG: customers cannot fill the server with their own documents. In
        persisted-only mode, anonymous callers and customers run only the contract's documents
        (by a manifest id, by a registered hash, or as text in any printing); staff keep full
        access for the console."""
        known = documents_by_hash()
        persisted = (data.extensions or {}).get("persistedQuery") or {}
        wanted = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(wanted, str) or not re.fullmatch(r"[0-9a-f]{64}", wanted):
            if wanted is not None:
                raise HTTPException(400, "persistedQuery.sha256Hash must be a sha256 in lowercase hex.")
            wanted = None
        only_contract = settings.GRAPHQL_API["PERSISTED_OPERATIONS_ONLY"] and not request.user.is_staff
        if data.query is None and wanted is not None:
            if wanted in known:
                return replace(data, query=known[wanted])
            registered = cache.get(APQ_CACHE_PREFIX + wanted)
            if registered is None or (only_contract and not is_contract_document(registered)):
                raise PersistedQueryNotFound()
            return replace(data, query=registered)
        if data.query is not None and wanted is not None:
            if hashlib.sha256(data.query.encode("utf-8", "surrogatepass")).hexdigest() != wanted:
                raise HTTPException(400, "provided sha does not match query")
            if wanted not in known and (
                (not only_contract and (request.user.is_staff or settings.DEBUG)) or is_contract_document(data.query)
            ):
                cache.set(APQ_CACHE_PREFIX + wanted, data.query, APQ_CACHE_SECONDS)
        if not only_contract:
            return data
        if data.query is None:
            raise PersistedOperationRequired(
                "Unknown persisted operation: send the sha256 of a document from the shop's frontend contract."
            )
        exact = hashlib.sha256(data.query.encode("utf-8", "surrogatepass")).hexdigest() in known
        if not exact and not is_contract_document(data.query):
            raise PersistedOperationRequired(
                "This API only runs the shop's persisted operations: send "
                "extensions.persistedQuery.sha256Hash of a document from its frontend contract."
            )
        return data

    def process_result(self, request, result):
        """Every error carries a code: the schema's own are coded already; what is left was
        refused before execution, as a syntax error or by validation (Apollo Server's codes)."""
        data = super().process_result(request, result)
        for error in data.get("errors") or ():
            extensions = error.setdefault("extensions", {})
            if "code" not in extensions:
                parse = error.get("message", "").startswith("Syntax Error")
                extensions["code"] = "GRAPHQL_PARSE_FAILED" if parse else "GRAPHQL_VALIDATION_FAILED"
        return data

    def get_context(self, request, response) -> Context:
        return Context(request=request, response=response)

    def should_render_graphql_ide(self, request) -> bool:
        """strawberry's rule (a GET without `query` that accepts HTML or anything), except a GET
        that names its document by hash (`extensions`: an automatic persisted query) is a query,
        whatever `Accept` says (fetch's default is `*/*`)."""
        return super().should_render_graphql_ide(request) and request.query_params.get("extensions") is None

    def render_graphql_ide(self, request):
        if settings.DEBUG or request.user.is_staff:
            get_token(request)  # the console sends the csrftoken cookie back as X-CSRFToken
            return super().render_graphql_ide(request)
        return HttpResponse("Not Found", status=404, content_type="text/plain")
