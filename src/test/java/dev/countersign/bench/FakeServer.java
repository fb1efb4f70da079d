package dev.countersign.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A loopback HTTP server for load: a Jetty core handler reads the body without blocking, a
 * {@link Route} decides the answer at once (recording the arrival time), and the answer is
 * written after the configured latency by a timer, so a slow upstream never holds a thread.
 * Counts requests and TCP connections opened (connection churn shows up there).
 */
final class FakeServer implements AutoCloseable {

    /** What to answer. */
    record Reply(int status, String contentType, String body) {
        static Reply json(String body) {
            return new Reply(200, "application/json; charset=utf-8", body);
        }
    }

    /** Decides the answer to one request; {@code arrived} is {@link System#nanoTime()}. */
    @FunctionalInterface
    interface Route {
        Reply answer(String method, String path, String authorization, String body, long arrived);
    }

    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService timer;
    private final Route route;
    private final LongAdder requests = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile long latencyNanos;

    FakeServer(String name, Route route, ScheduledExecutorService timer) {
        this.route = route;
        this.timer = timer;
        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName(name);
        pool.setDaemon(true);
        this.server = new Server(pool);
        this.connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(2048);
        // Keep-alive longer than any run: a connection closed by us would look like churn.
        connector.setIdleTimeout(Duration.ofMinutes(10).toMillis());
        connector.addBean(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                connectionsOpened.increment();
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return FakeServer.this.handle(request, response, callback);
            }
        });
    }

    FakeServer start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("fake server did not start", e);
        }
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** Every answer leaves this long after its request arrived. */
    void latency(Duration latency) {
        this.latencyNanos = latency.toNanos();
    }

    long requests() {
        return requests.sum();
    }

    long connectionsOpened() {
        return connectionsOpened.sum();
    }

    long failures() {
        return failures.sum();
    }

    private boolean handle(Request request, Response response, Callback callback) {
        long arrived = System.nanoTime();
        requests.increment();
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        Content.Source.asString(request, StandardCharsets.UTF_8, new Promise<>() {
            @Override
            public void succeeded(String body) {
                respond(method, path, authorization, body, arrived, response, callback);
            }

            @Override
            public void failed(Throwable failure) {
                failures.increment();
                Response.writeError(request, response, callback, failure);
            }
        });
        return true;
    }

    private void respond(String method, String path, String authorization, String body,
                         long arrived, Response response, Callback callback) {
        Reply reply;
        try {
            reply = route.answer(method, path, authorization, body, arrived);
        } catch (RuntimeException e) {
            failures.increment();
            reply = new Reply(500, "text/plain", e.toString());
        }
        Reply answer = reply;
        long wait = latencyNanos - (System.nanoTime() - arrived);
        if (wait <= 0) {
            send(response, callback, answer);
        } else {
            timer.schedule(() -> send(response, callback, answer), wait, TimeUnit.NANOSECONDS);
        }
    }

    private static void send(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        Content.Sink.write(response, true, reply.body(), callback);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // shutting down the benchmark
        }
    }
}
