package dev.countersign.web;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * What {@code GET /metrics} serves, and how the server itself is measured: the request timer
 * around the handlers, and the pool and connector binders. The web server knows no metrics
 * library; {@code dev.countersign.metrics} provides the one in use.
 */
public interface Telemetry {

    /**
     * Measures {@code server} (its pool and connectors) and returns {@code handler} wrapped in
     * whatever times requests. Called once, before the server starts.
     */
    Handler instrument(Server server, Handler handler);

    /** The {@code Content-Type} of {@link #scrape()}. */
    String contentType();

    /** Every meter's current value, as the exposition text. */
    String scrape();
}
