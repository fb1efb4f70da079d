package dev.countersign.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.countersign.approval.ExternalRequests;
import dev.countersign.approval.ExternalRequests.Asked;
import dev.countersign.approval.RequestCancellation.Cancellation;
import dev.countersign.approval.RequestOrigin;
import dev.countersign.json.Json;
import dev.countersign.people.Actor;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /api/v1}: approvals other systems ask for, and the OpenAPI document
 * that describes them ({@code openapi.json}, kept in step by {@code ApiEndToEndTest}). Every
 * answer is JSON; every error is {@code application/problem+json} (RFC 9457), never a stack
 * trace.
 */
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);

    /** The documented request limit; bodies above it are refused before they are parsed. */
    public static final int MAX_BODY_BYTES = 64 << 10;
    /** Requests per second per client, unless the operator sets another. */
    public static final int DEFAULT_RATE_PER_SECOND = 10;
    static final String PROBLEM_JSON = "application/problem+json";
    private static final Pattern APPROVAL = Pattern.compile("/api/v1/approvals/([^/]+)");
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final ObjectMapper JSON = Json.newMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Bodies compared for Idempotency-Key are compared as JSON: key order does not matter. */
    private static final ObjectMapper CANONICAL = Json.newMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final transient ApiClients clients;
    private final transient ExternalRequests external;
    private final transient PersonSide people;
    private final transient RateLimits limits;
    private final transient Clock clock;
    private final byte[] openApi;

    public ApiServlet(ApiClients clients, ExternalRequests external, PersonSide people,
                      int ratePerSecond, Clock clock) {
        this.clients = clients;
        this.external = external;
        this.people = people;
        this.limits = new RateLimits(ratePerSecond);
        this.clock = clock;
        this.openApi = openApiDocument();
    }

    /** The OpenAPI 3.1 document, as served. */
    public static byte[] openApiDocument() {
        try (InputStream in = ApiServlet.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("api/openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        try {
            route(request, response);
        } catch (RuntimeException e) {
            // The database or Slack failing under us: say so, without internals.
            log.error("API request {} {} failed: {}", request.getMethod(),
                    request.getRequestURI(), e.toString(), e);
            response.setHeader("Retry-After", "5");
            problem(response, Problem.of("unavailable", "Service unavailable", 503,
                    "Countersign could not finish this request just now. Nothing was sent to "
                            + "anyone; try again shortly."));
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String path = request.getRequestURI();
        String method = request.getMethod();
        if (path.equals("/api/v1/openapi.json")) {
            if (!allowed(method, response, "GET")) {
                return;
            }
            response.setStatus(200);
            response.setContentType("application/json");
            response.getOutputStream().write(openApi);
            return;
        }
        if (path.equals("/api/v1/approvals")) {
            if (allowed(method, response, "POST")) {
                authorized(request, response).ifPresent(client -> create(client, request,
                        response));
            }
            return;
        }
        Matcher approval = APPROVAL.matcher(path);
        if (approval.matches()) {
            if (allowed(method, response, "GET", "DELETE")) {
                String id = approval.group(1);
                authorized(request, response).ifPresent(client -> {
                    if (method.equals("GET")) {
                        show(client, id, response);
                    } else {
                        cancel(client, id, response);
                    }
                });
            }
            return;
        }
        problem(response, Problem.notFound("There is no " + path + " in this API; see "
                + "/api/v1/openapi.json."));
    }

    private static boolean allowed(String method, HttpServletResponse response,
                                   String... methods) throws IOException {
        if (List.of(methods).contains(method)) {
            return true;
        }
        String allow = String.join(", ", methods);
        response.setHeader("Allow", allow);
        problem(response, Problem.of("method-not-allowed", "Method not allowed", 405,
                method + " is not allowed here; use " + allow + "."));
        return false;
    }

    /** The calling client's name, or empty after answering 401 or 429. */
    private Optional<String> authorized(HttpServletRequest request,
                                        HttpServletResponse response) throws IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || header.substring(7).isBlank()) {
            unauthorized(response, "Send your API key as Authorization: Bearer <key> (make one "
                    + "with: java -jar countersign.jar api-key create NAME).");
            return Optional.empty();
        }
        Optional<ApiClient> client = clients.byKeyHash(ApiKeys.hash(header.substring(7).strip()));
        if (client.isEmpty()) {
            unauthorized(response, "This API key is not known.");
            return Optional.empty();
        }
        if (client.get().revoked()) {
            unauthorized(response, "This API key was revoked.");
            return Optional.empty();
        }
        Optional<Duration> wait = limits.take(client.get().name());
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            response.setHeader("Retry-After", Long.toString(seconds));
            problem(response, Problem.of("rate-limited", "Too many requests", 429,
                    "This key may make " + limits.perSecond() + " requests a second; try again "
                            + "in " + seconds + " s."));
            return Optional.empty();
        }
        clients.used(client.get().name(), clock.instant());
        return Optional.of(client.get().name());
    }

    private static void unauthorized(HttpServletResponse response, String detail)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"countersign\"");
        problem(response, Problem.unauthorized(detail));
    }

    private void create(String client, HttpServletRequest request,
                        HttpServletResponse response) {
        try {
            Optional<JsonNode> body = body(request, response);
            if (body.isEmpty()) {
                return;
            }
            switch (ApprovalBody.read(body.get())) {
                case ApprovalBody.Parsed.Invalid(var errors) ->
                        problem(response, Problem.invalid(errors));
                case ApprovalBody.Parsed.Valid valid -> create(client, valid,
                        request.getHeader("Idempotency-Key"), body.get(), response);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void create(String client, ApprovalBody.Parsed.Valid valid, String idempotencyKey,
                        JsonNode body, HttpServletResponse response) throws IOException {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            problem(response, Problem.invalid(List.of(new Problem.FieldError("Idempotency-Key",
                    "Must be 1 to 255 visible ASCII characters."))));
            return;
        }
        Optional<String> userId = person(valid.requester(), response);
        if (userId.isEmpty()) {
            return;
        }
        Optional<ExternalRequests.IdempotencyKey> key = Optional.ofNullable(idempotencyKey)
                .map(value -> new ExternalRequests.IdempotencyKey(value, bodyHash(body)));
        Actor requester = new Actor(people.installationId(), userId.get());
        Asked asked = external.ask(requester, valid.action(),
                RequestOrigin.api(client, valid.externalId()), valid.lifetime(), key);
        switch (asked) {
            case Asked.Created(var request, var challenge) -> {
                people.askToReview(request, client);
                response.setHeader("Location", "/api/v1/approvals/" + request.id());
                approval(response, 201, client, request.id());
            }
            case Asked.Repeated(var request) -> approval(response, 200, client, request.id());
            case Asked.KeyReused(var earlier) -> problem(response, Problem.of(
                    "idempotency-key-reused", "Idempotency-Key reused", 409,
                    "This Idempotency-Key was used for approval " + earlier.id() + " with a "
                            + "different body. Use a new key for a new approval."));
            case Asked.Refused(var reason, String message) -> problem(response, switch (reason) {
                case NOT_ENROLLED -> Problem.of("not-enrolled", "Person not enrolled", 422,
                        requester.userId() + " has not enrolled a phone with Countersign, so "
                                + "they cannot approve anything yet. Nothing was sent. Ask them "
                                + "to run /approve enroll in Slack.");
                case HELD -> Problem.of("held", "Approval on hold", 422, message);
                case RATE_LIMITED -> Problem.of("person-limited", "Person's code limit reached",
                        422, message);
                case SAME_PHONE -> Problem.of("refused", "Refused", 422, message);
            });
        }
    }

    /** The requester's Slack user id, or empty after answering 422 or 503. */
    private Optional<String> person(ApprovalBody.Requester requester,
                                    HttpServletResponse response) throws IOException {
        return switch (requester) {
            case ApprovalBody.Requester.ById(String userId) -> Optional.of(userId);
            case ApprovalBody.Requester.ByEmail(String email) -> switch (people.userByEmail(
                    email)) {
                case PersonSide.Lookup.Found(String userId) -> Optional.of(userId);
                case PersonSide.Lookup.NotFound notFound -> {
                    problem(response, Problem.of("unknown-person", "Unknown person", 422,
                            "Nobody in the Slack workspace has the email address given in "
                                    + "requester.email. Nothing was sent."));
                    yield Optional.empty();
                }
                case PersonSide.Lookup.Unavailable(String error) -> {
                    response.setHeader("Retry-After", "5");
                    problem(response, Problem.of("slack-unavailable", "Slack unavailable", 503,
                            "Slack could not look up requester.email just now (" + error
                                    + "). Nothing was sent; try again shortly."));
                    yield Optional.empty();
                }
            };
        };
    }

    private void show(String client, String id, HttpServletResponse response) {
        try {
            approval(response, 200, client, id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void cancel(String client, String id, HttpServletResponse response) {
        try {
            Optional<Cancellation> cancelled = ID.matcher(id).matches()
                    ? external.cancel(client, id) : Optional.empty();
            if (cancelled.isEmpty()) {
                problem(response, notFound(id));
                return;
            }
            switch (cancelled.get()) {
                case Cancellation.Cancelled(var request) -> {
                    people.cancelled(request, client);
                    approval(response, 200, client, id);
                }
                case Cancellation.Refused(String message) -> problem(response, Problem.of(
                        "already-decided", "Already decided", 409, message));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void approval(HttpServletResponse response, int status, String client, String id)
            throws IOException {
        Optional<ExternalRequests.Report> report = ID.matcher(id).matches()
                ? external.find(client, id) : Optional.empty();
        if (report.isEmpty()) {
            problem(response, notFound(id));
            return;
        }
        write(response, status, "application/json", ApprovalJson.of(report.get()));
    }

    private static Problem notFound(String id) {
        return Problem.notFound("This key's client has no approval " + shortened(id) + ".");
    }

    /** The body as JSON, or empty after answering 413 or 400. */
    private static Optional<JsonNode> body(HttpServletRequest request,
                                           HttpServletResponse response) throws IOException {
        byte[] bytes;
        try {
            bytes = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        } catch (RuntimeException | IOException tooLarge) {
            // Jetty's size limit, met while reading a body sent without a length (chunked).
            bytes = new byte[MAX_BODY_BYTES + 1];
        }
        if (bytes.length > MAX_BODY_BYTES) {
            problem(response, tooLarge());
            return Optional.empty();
        }
        try {
            JsonNode body = JSON.readTree(bytes);
            if (body == null || body.isMissingNode()) {
                throw new JsonProcessingException("empty body") {
                    private static final long serialVersionUID = 1L;
                };
            }
            return Optional.of(body);
        } catch (JsonProcessingException e) {
            problem(response, Problem.of("malformed-json", "Malformed JSON", 400,
                    "The body is not valid JSON"
                            + (e.getLocation() == null ? "" : " (line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")") + "."));
            return Optional.empty();
        }
    }

    static Problem tooLarge() {
        return Problem.of("too-large", "Body too large", 413, "Request bodies may be at most "
                + MAX_BODY_BYTES + " bytes.");
    }

    private static String bodyHash(JsonNode body) {
        try {
            return ApiKeys.sha256(CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(body,
                    Object.class)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed body always writes", e);
        }
    }

    static void problem(HttpServletResponse response, Problem problem) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("type", problem.type());
        json.put("title", problem.title());
        json.put("status", problem.status());
        json.put("detail", problem.detail());
        if (!problem.errors().isEmpty()) {
            ArrayNode errors = json.putArray("errors");
            problem.errors().forEach(error -> errors.addObject().put("field", error.field())
                    .put("detail", error.detail()));
        }
        write(response, problem.status(), PROBLEM_JSON, json);
    }

    private static void write(HttpServletResponse response, int status, String contentType,
                              JsonNode json) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(JSON.writeValueAsBytes(json));
    }

    private static String shortened(String text) {
        String safe = text.replaceAll("[^A-Za-z0-9_-]", "?");
        return safe.length() > 40 ? safe.substring(0, 40) + "…" : safe;
    }
}
