package dev.countersign.slack;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.socket_mode.response.AckResponse;
import com.slack.api.util.json.GsonFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Countersign's Socket Mode connection: Bolt's {@link SocketModeApp} keeps the connection (and
 * reconnects), while each envelope is handled on its own virtual thread. Bolt's own handler
 * runs envelopes on a fixed pool, and a code check holds its thread for up to ~2 s while the
 * provider answers, so the pool's size would decide how many checks could wait at once.
 */
public final class SocketModeConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SocketModeConnection.class);

    private final SocketModeApp socketMode;
    private final ExecutorService envelopes;
    private final ConnectionWatch watch;

    private SocketModeConnection(SocketModeApp socketMode, ExecutorService envelopes,
                                 ConnectionWatch watch) {
        this.socketMode = socketMode;
        this.envelopes = envelopes;
        this.watch = watch;
    }

    /** False once the connection has been down for more than 10 s: what /healthz says. */
    public boolean healthy() {
        return watch.healthy();
    }

    /** Connects with the app-level token ({@code xapp-…}) and starts handling envelopes. */
    public static SocketModeConnection start(String appToken, App app) throws Exception {
        ExecutorService envelopes = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("socket-mode-", 0).factory());
        SocketModeRequestParser parser = new SocketModeRequestParser(app.config());
        Gson gson = GsonFactory.createSnakeCase(app.slack().getConfig());
        ConnectionWatch watch = new ConnectionWatch(System::nanoTime);
        SocketModeApp socketMode = new SocketModeApp(() -> {
            try {
                SocketModeClient client = app.slack().socketMode(appToken);
                client.addWebSocketMessageListener(message -> {
                    watch.heard();
                    envelopes.execute(() -> handle(app, client, parser, gson, message));
                });
                client.addWebSocketCloseListener((code, reason) -> watch.lost());
                client.addWebSocketErrorListener(error -> watch.lost());
                return client;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a Socket Mode connection", e);
            }
        }, app);
        socketMode.startAsync();
        return new SocketModeConnection(socketMode, envelopes, watch);
    }

    private static void handle(App app, SocketModeClient client, SocketModeRequestParser parser,
                               Gson gson, String message) {
        SocketModeRequest request = parser.parse(message);
        if (request == null) {
            return; // hello, disconnect warnings: nothing to answer
        }
        try {
            Response response = app.run(request.getBoltRequest());
            client.sendSocketModeResponse(answer(gson, request, response));
        } catch (Exception e) {
            log.error("handling a Socket Mode envelope failed: {}", e.toString(), e);
            client.sendSocketModeResponse(new AckResponse(request.getEnvelope().getEnvelopeId()));
        }
    }

    /** Slack's expected answer: the envelope id, with the listener's body as its payload. */
    private static String answer(Gson gson, SocketModeRequest request, Response response) {
        String envelopeId = request.getEnvelope().getEnvelopeId();
        String body = response.getBody();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("envelope_id", envelopeId);
        if (body != null && !body.isEmpty()) {
            String type = response.getContentType();
            answer.put("payload", type != null && type.startsWith("application/json")
                    ? gson.fromJson(body, JsonElement.class) : Map.of("text", body));
        }
        return gson.toJson(answer);
    }

    @Override
    public void close() throws Exception {
        socketMode.close();
        envelopes.shutdown();
    }
}
