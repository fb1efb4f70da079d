package dev.countersign.metrics;

import dev.countersign.web.Telemetry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.jetty12.server.DefaultJettyCoreRequestTagsProvider;
import io.micrometer.jetty12.server.JettyCoreRequestTagsProvider;
import io.micrometer.jetty12.server.TimedHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;

/**
 * Jetty 12 measured with Micrometer's binders: its thread pool, its connections (and bytes), and
 * every request's time by method, status and route. The route is one of the paths we serve, or
 * {@code other}: a path typed by anyone must not become a label.
 */
final class JettyTelemetry implements Telemetry {

    /** Prometheus's text format 0.0.4, which {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Set<String> ROUTES = Set.of("/slack/events", "/healthz", "/metrics",
            "/api/v1/approvals", "/api/v1/openapi.json");

    private final PrometheusMeterRegistry registry;

    JettyTelemetry(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Handler instrument(Server server, Handler handler) {
        new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty()).bindTo(registry);
        JettyConnectionMetrics.addToAllConnectors(server, registry);
        TimedHandler timed = new TimedHandler(registry, Tags.empty(), new RouteTags());
        timed.setHandler(handler);
        return timed;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public String scrape() {
        return registry.scrape();
    }

    /** Micrometer's method, status and outcome, plus which of our routes it was. */
    private static final class RouteTags implements JettyCoreRequestTagsProvider {
        private final JettyCoreRequestTagsProvider defaults =
                new DefaultJettyCoreRequestTagsProvider();

        @Override
        public Iterable<Tag> getTags(Request request) {
            String path = Request.getPathInContext(request);
            String route = path.startsWith("/api/v1/approvals/") ? "/api/v1/approvals/{id}"
                    : ROUTES.contains(path) ? path : "other";
            return Tags.of(defaults.getTags(request)).and("route", route);
        }
    }
}
