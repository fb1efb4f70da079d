package dev.countersign.bench;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The framework's own ceiling: Bolt 1.46 behind {@code bolt-jakarta-servlet} on Jetty 12 ee10,
 * wired as {@code dev.countersign.web.WebServer} wires Countersign (same thread pool, servlet,
 * error handler; Bolt configured with the same single-team token and auth.test cache), with a
 * slash-command listener that only acknowledges. Run as its own JVM by {@link Bench}; reads
 * {@code SLACK_BOT_TOKEN}, {@code SLACK_SIGNING_SECRET}, {@code SLACK_API_URL} and {@code PORT}.
 */
public final class BareBoltApp {

    private static final int HTTP_THREADS = 400; // as Countersign's HTTP mode

    private BareBoltApp() {
    }

    public static void main(String[] args) throws Exception {
        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setMethodsEndpointUrlPrefix(System.getenv("SLACK_API_URL"));
        slackConfig.setPrettyResponseLoggingEnabled(false);
        slackConfig.setStatsEnabled(false);
        App app = new App(AppConfig.builder()
                .singleTeamBotToken(System.getenv("SLACK_BOT_TOKEN"))
                .signingSecret(System.getenv("SLACK_SIGNING_SECRET"))
                .slack(Slack.getInstance(slackConfig))
                .authTestCacheExpirationMillis(-1)
                .build());
        app.command(Pattern.compile("^/.+$"), (request, context) -> context.ack());
        app.start();

        QueuedThreadPool pool = new QueuedThreadPool(HTTP_THREADS, 8);
        pool.setName("http");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(Integer.parseInt(System.getenv("PORT")));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new SlackAppServlet(app)), "/slack/events");
        context.addServlet(new ServletHolder(new Health()), "/healthz");
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        server.join();
    }

    /** {@code GET /healthz}: 200 once serving. */
    private static final class Health extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            response.setStatus(200);
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":\"ok\"}");
        }
    }
}
