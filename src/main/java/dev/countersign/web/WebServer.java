package dev.countersign.web;

import com.slack.api.bolt.App;
import com.slack.api.bolt.jakarta_servlet.SlackAppServletAdapter;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.response.Response;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: {@code POST /slack/events} into Bolt (which checks Slack's signature),
 * {@code GET /healthz}, with a {@link Telemetry} {@code GET /metrics}, and the REST API under
 * {@code /api/} (handed over by {@link #serveApi}). It starts before the rest of Countersign
 * (Jetty's start-up then overlaps the database's) and answers 503 until {@link #serveSlack}
 * hands it the Bolt app. In Socket Mode only {@code /healthz}, {@code /metrics} and the API are
 * served.
 *
 * <p>Every request is handled on a virtual thread of its own: a code check holds its request for
 * up to ~2 s while SignalWire answers, and how many may wait at once must not depend on a pool
 * size (with 400 platform threads, checks beyond about 400 at once waited in Jetty's queue). Only
 * Jetty's own non-blocking work (acceptor, selector) runs on the small platform pool.
 */
public final class WebServer implements AutoCloseable {

    /** Characters of repeated request header lines each connection keeps parsed. */
    static final int HEADER_CACHE_SIZE = 256;
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    /**
     * Slack's payloads are a few KB (a full modal's state, the largest, stays well under this);
     * anything bigger is not from Slack, and is refused as it streams, before anything parses it.
     */
    static final long MAX_BODY_BYTES = 64 << 10;
    /**
     * A connection that sends nothing for this long is closed: a stalled upload must not hold a
     * connection (and its virtual thread) for long, and Slack sends a whole request at once.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Below this many bytes a second a request body is cut off (408): 420 uploads that sent
     * their headers and then trickled kept every request thread busy in the security review.
     */
    static final long MIN_REQUEST_DATA_RATE = 1024;
    /** How long a stop waits for the requests in flight before it cuts them off. */
    public static final Duration STOP_WITHIN = Duration.ofSeconds(20);
    /**
     * Platform threads for Jetty's own non-blocking work; requests never run here. Jetty sizes
     * the connector from it: one acceptor and one selector (max threads / 16), plenty for Slack.
     */
    private static final int PLATFORM_THREADS = 16;
    private static final String TIMESTAMP = "X-Slack-Request-Timestamp";
    private static final String SIGNATURE = "X-Slack-Signature";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final Server server;
    private final ServerConnector connector;
    private final SlackEvents slackEvents;
    private final ApiEndpoint api;

    private WebServer(Server server, ServerConnector connector, SlackEvents slackEvents,
                      ApiEndpoint api) {
        this.server = server;
        this.connector = connector;
        this.slackEvents = slackEvents;
        this.api = api;
    }

    /** Starts on {@code port} (0 picks a free one) on every IPv4 address. */
    public static WebServer start(int port, BooleanSupplier healthy) throws Exception {
        return start("0.0.0.0", port, healthy);
    }

    /**
     * Starts on {@code address} (an IP literal; {@code 0.0.0.0} is every IPv4 address) and
     * {@code port} (0 picks a free one).
     *
     * @param healthy what {@code /healthz} reports
     */
    public static WebServer start(String address, int port, BooleanSupplier healthy)
            throws Exception {
        return start(address, port, healthy, null);
    }

    /**
     * Starts on {@code address} and {@code port}, serving {@code GET /metrics} from
     * {@code telemetry} (none when null).
     *
     * @param healthy what {@code /healthz} reports
     */
    public static WebServer start(String address, int port, BooleanSupplier healthy,
                                  Telemetry telemetry)
            throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(PLATFORM_THREADS, 4);
        pool.setName("http");
        // A new virtual thread per request, unbounded (Jetty's VirtualThreadPool caps at 200).
        pool.setVirtualThreadsExecutor(
                VirtualThreads.getNamedVirtualThreadsExecutor("http-virtual-"));
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
        http.setSendServerVersion(false);
        // Each keep-alive connection caches its repeated header lines in a trie sized by this:
        // Jetty's 1 024 costs 96 KB a connection (20 MB of live heap over a load balancer's
        // 200 connections); Slack's few repeated lines (Host, User-Agent, Content-Type) fit in
        // a quarter of it.
        http.setHeaderCacheSize(HEADER_CACHE_SIZE);
        ServerConnector connector = new ServerConnector(server,
                new HttpConnectionFactory(http));
        connector.setHost(address);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        SlackEvents slackEvents = new SlackEvents();
        context.addServlet(new ServletHolder(slackEvents), "/slack/events");
        context.addServlet(new ServletHolder(new Health(healthy)), "/healthz");
        if (telemetry != null) {
            context.addServlet(new ServletHolder(new Scrape(telemetry)), "/metrics");
        }
        ApiEndpoint api = new ApiEndpoint();
        context.addServlet(new ServletHolder(api), "/api/*");
        ErrorHandler errors = new ProblemErrors();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        // Refused on the declared length before any servlet runs; a chunked body fails its read
        // at the limit instead of being buffered whole by Bolt.
        SizeLimitHandler bodyLimit = new SizeLimitHandler(MAX_BODY_BYTES, -1);
        bodyLimit.setHandler(context);
        // On stop: new requests get 503 at once, those in flight (a code check waiting on
        // SignalWire) finish and are answered, for up to STOP_WITHIN.
        GracefulHandler graceful = new GracefulHandler(telemetry == null ? bodyLimit
                : telemetry.instrument(server, bodyLimit));
        server.setHandler(graceful);
        server.setStopTimeout(STOP_WITHIN.toMillis());
        server.setStopAtShutdown(false);
        server.start();
        return new WebServer(server, connector, slackEvents, api);
    }

    /**
     * From now on, {@code POST /slack/events} goes to {@code app}, for requests that pass
     * {@code check} on their raw bytes; the rest are answered 401 before Bolt parses anything.
     */
    public void serveSlack(App app, RequestCheck check) {
        slackEvents.serve(app, check);
    }

    /** From now on, {@code /api/*} goes to {@code servlet} (in HTTP and Socket Mode alike). */
    public void serveApi(HttpServlet servlet) {
        api.target = servlet;
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /**
     * Bolt's servlet with two guards: a 413 for a chunked body that passes the size limit while
     * Bolt reads it, and a clear 400 for bodies Bolt can't read (its parser throws on malformed
     * payloads, which would otherwise reach Slack as a 500).
     */
    private static final class SlackEvents extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final String SOMETHING_WENT_WRONG = "{\"response_type\":\"ephemeral\","
                + "\"text\":\"Something went wrong on Countersign's side. Nothing was approved; "
                + "please try again.\"}";

        /** The app, its adapter and the check in front of it, set together once ready. */
        private record Target(App app, SlackAppServletAdapter adapter, RequestCheck check) {
        }

        private transient volatile Target target;

        void serve(App app, RequestCheck check) {
            target = new Target(app, new SlackAppServletAdapter(app.config()), check);
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            Target current = target;
            if (current == null) {
                response.setStatus(503);
                response.setHeader("Retry-After", "1");
                return;
            }
            SlackAppServletAdapter adapter = current.adapter();
            String body;
            try {
                body = new String(request.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8);
            } catch (HttpException.RuntimeException refused) {
                // The body limit, met while reading a body sent without a length (chunked).
                log.warn("refused a request body over {} bytes", MAX_BODY_BYTES);
                response.sendError(refused.getCode());
                return;
            }
            if (!current.check().accepts(request.getHeader(TIMESTAMP), request.getHeader(SIGNATURE),
                    body)) {
                log.warn("refused a request to /slack/events: its Slack signature or timestamp "
                        + "did not check out");
                adapter.writeResponse(response, Response.json(401,
                        "{\"error\":\"invalid request\"}"));
                return;
            }
            Request<?> slackRequest;
            try {
                slackRequest = adapter.buildSlackRequest(new ReadBody(request, body));
            } catch (HttpException.RuntimeException refused) {
                // The body limit, met while Bolt read a body sent without a length (chunked).
                log.warn("refused a request body over {} bytes", MAX_BODY_BYTES);
                response.sendError(refused.getCode());
                return;
            } catch (RuntimeException e) {
                log.warn("refused a request Bolt could not read ({})",
                        e.getClass().getSimpleName());
                slackRequest = null;
            }
            if (slackRequest == null) {
                adapter.writeResponse(response, Response.json(400,
                        "{\"error\":\"invalid request\"}"));
                return;
            }
            try {
                adapter.writeResponse(response, current.app().run(slackRequest));
            } catch (Exception e) {
                // Listener errors are answered by SafetyNet; this is anything before them.
                log.error("handling a Slack request failed: {}", e.toString(), e);
                adapter.writeResponse(response, Response.json(200, SOMETHING_WENT_WRONG));
            }
        }
    }

    /** {@code /api/*}: 503 until {@link #serveApi} hands over the API. */
    private static final class ApiEndpoint extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private transient volatile HttpServlet target;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            HttpServlet current = target;
            if (current == null) {
                response.setStatus(503);
                response.setHeader("Retry-After", "1");
                response.setContentType(PROBLEM_JSON);
                response.getOutputStream().write(ProblemErrors.problem(503,
                        "Service unavailable", "Countersign is starting; try again shortly."));
                return;
            }
            current.service(request, response);
        }
    }

    /**
     * Jetty's own error answers (a body over the limit, refused before any servlet runs): on
     * API paths a {@code problem+json} body like the API's own errors; elsewhere Jetty's usual
     * page, without stack traces.
     */
    private static final class ProblemErrors extends ErrorHandler {

        @Override
        protected void generateResponse(org.eclipse.jetty.server.Request request,
                                        org.eclipse.jetty.server.Response response, int code,
                                        String message, Throwable cause,
                                        org.eclipse.jetty.util.Callback callback)
                throws IOException {
            String path = request.getHttpURI().getPath();
            if (path == null || !path.startsWith("/api/")) {
                super.generateResponse(request, response, code, message, cause, callback);
                return;
            }
            String title = HttpStatus.getMessage(code);
            String detail = code == 413 ? "Request bodies may be at most " + MAX_BODY_BYTES
                    + " bytes." : title + ".";
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
            response.write(true, ByteBuffer.wrap(problem(code, title, detail)), callback);
        }

        static byte[] problem(int status, String title, String detail) {
            // Written by hand: the web server must not need the API's JSON library to say no.
            String json = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":"
                    + status + ",\"detail\":\"" + detail.replace("\"", "'") + "\"}";
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The request with its body already read (and checked): Bolt reads it again from here. */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final String body;

        ReadBody(HttpServletRequest request, String body) {
            super(request);
            this.body = body;
        }

        @Override
        public BufferedReader getReader() {
            // Sized to the body: the default 16 KiB buffer per request was the largest single
            // allocation in a flow, for bodies of a few hundred bytes.
            return new BufferedReader(new StringReader(body), Math.max(1, body.length()));
        }
    }

    /**
     * {@code GET /metrics}: counters and gauges only, no personal data, so no Slack signature
     * is asked for; restrict who reaches it with {@code BIND_ADDRESS} or the network.
     */
    private static final class Scrape extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Telemetry telemetry;

        Scrape(Telemetry telemetry) {
            this.telemetry = telemetry;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            byte[] body = telemetry.scrape().getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType(telemetry.contentType());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    /** {@code GET /healthz}. */
    private static final class Health extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient BooleanSupplier healthy;

        Health(BooleanSupplier healthy) {
            this.healthy = healthy;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            boolean ok = healthy.getAsBoolean();
            response.setStatus(ok ? 200 : 503);
            response.setContentType("application/json");
            response.getWriter().write(ok ? "{\"status\":\"ok\"}"
                    : "{\"status\":\"unavailable\",\"reason\":\"starting, stopping, database "
                    + "writes not completing, or Socket Mode disconnected\"}");
        }
    }
}
