package dev.countersign.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.config.Settings;
import dev.countersign.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Start-up's question to Slack, asked before anything is created on disk: can Slack be reached
 * at {@code SLACK_API_URL}, does it accept {@code SLACK_BOT_TOKEN} ({@code auth.test}), and in
 * Socket Mode {@code SLACK_APP_TOKEN} ({@code apps.connections.open}, whose one-time URL is left
 * unused). Each failure becomes one sentence naming the setting to look at, never the token.
 *
 * @see <a href="https://api.slack.com/methods/auth.test">auth.test</a>
 * @see <a href="https://api.slack.com/methods/apps.connections.open">apps.connections.open</a>
 */
public final class SlackStartupCheck {

    private static final ObjectMapper JSON = Json.newMapper();

    private final OkHttpClient http;

    SlackStartupCheck(OkHttpClient http) {
        this.http = http;
    }

    /** With short timeouts and no silent retries: start-up should fail in seconds, not hang. */
    public static SlackStartupCheck withDefaults() {
        return new SlackStartupCheck(new OkHttpClient.Builder()
                .connectTimeout(3, TimeUnit.SECONDS)
                .callTimeout(10, TimeUnit.SECONDS)
                .retryOnConnectionFailure(false)
                .build());
    }

    /** What stops Slack from working with these settings; empty when nothing does. */
    public List<String> problems(Settings.SlackSettings settings) {
        HttpUrl apiUrl = HttpUrl.get(settings.apiUrl());
        List<String> problems = new ArrayList<>();
        Optional<String> bot = call(apiUrl, "auth.test", settings.botToken(), "SLACK_BOT_TOKEN",
                "copy the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & "
                        + "Permissions page again, and check the app is installed");
        bot.ifPresent(problems::add);
        // An unreachable Slack is said once, not once per token.
        if (bot.isEmpty() && settings.appToken().isPresent()) {
            call(apiUrl, "apps.connections.open", settings.appToken().get(), "SLACK_APP_TOKEN",
                    "make an app-level token with the connections:write scope under Basic "
                            + "Information → App-Level Tokens, and turn Socket Mode on")
                    .ifPresent(problems::add);
        }
        return problems;
    }

    private Optional<String> call(HttpUrl apiUrl, String method, String token, String setting,
                                  String howToFix) {
        Request request = new Request.Builder().url(apiUrl.resolve(method))
                .header("Authorization", "Bearer " + token)
                .post(new FormBody.Builder().build()).build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                return Optional.of("Slack at SLACK_API_URL (" + apiUrl + ") answered HTTP "
                        + response.code() + " to " + method + ": check SLACK_API_URL (Slack's "
                        + "is https://slack.com/api/)");
            }
            JsonNode answer = response.body() == null ? null
                    : JSON.readTree(response.body().byteStream());
            if (answer != null && answer.path("ok").asBoolean(false)) {
                return Optional.empty();
            }
            String error = answer == null ? "no_answer"
                    : answer.path("error").asText("unknown_error").replaceAll("[^a-z_]", "");
            return Optional.of(setting + " was refused by Slack (" + error + " from " + method
                    + "): " + howToFix + ".");
        } catch (JsonProcessingException e) {
            return Optional.of("Slack at SLACK_API_URL (" + apiUrl + ") answered " + method
                    + " with something that is not Slack's JSON: check SLACK_API_URL (Slack's "
                    + "is https://slack.com/api/)");
        } catch (UnknownHostException e) {
            return Optional.of("Slack could not be reached: " + apiUrl.host() + " (the host in "
                    + "SLACK_API_URL) does not resolve. Check SLACK_API_URL and this machine's "
                    + "DNS.");
        } catch (IOException e) {
            return Optional.of("Slack could not be reached at " + apiUrl.host() + ":"
                    + apiUrl.port() + " (SLACK_API_URL): " + why(e) + ". Check SLACK_API_URL, "
                    + "and that this machine may connect to it (proxy, firewall).");
        }
    }

    private static String why(IOException e) {
        return switch (e) {
            case ConnectException refused -> "the connection was refused";
            case InterruptedIOException timedOut -> "no answer in time";
            case SSLException tls -> "the TLS handshake failed";
            default -> "the connection failed (" + e.getClass().getSimpleName() + ")";
        };
    }
}
