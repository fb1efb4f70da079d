package dev.countersign.web;

import com.slack.api.bolt.App;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side: {@code POST /slack/events} into Bolt (which checks Slack's signature) and
 * {@code GET /healthz} (200 while the database answers). In Socket Mode only {@code /healthz} is
 * served.
 */
public final class WebServer implements AutoCloseable {

    /** Slack's payloads are a few KB; anything this big is not from Slack. */
    private static final long MAX_BODY_BYTES = 1 << 20;

    private final Server server;
    private final ServerConnector connector;

    private WebServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts on {@code port} (0 picks a free one). {@code slackApp} null serves only health.
     *
     * @param threads request threads: a code check may hold one for ~2 s, so many are needed
     */
    public static WebServer start(int port, App slackApp, BooleanSupplier healthy, int threads)
            throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(threads, 8);
        pool.setName("http");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        if (slackApp != null) {
            context.addServlet(new ServletHolder(new SlackEvents(slackApp)), "/slack/events");
        }
        context.addServlet(new ServletHolder(new Health(healthy)), "/healthz");
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        server.setHandler(context);
        server.setStopAtShutdown(false);
        server.start();
        return new WebServer(server, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Bolt's servlet, behind a size limit. */
    private static final class SlackEvents extends SlackAppServlet {
        private static final long serialVersionUID = 1L;

        SlackEvents(App app) {
            super(app);
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                response.sendError(413);
                return;
            }
            super.doPost(request, response);
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
                    : "{\"status\":\"unavailable\",\"reason\":\"database not reachable\"}");
        }
    }
}
