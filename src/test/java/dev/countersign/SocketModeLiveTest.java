package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.countersign.config.SettingsLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connects to the real Slack by Socket Mode with the operator's tokens. Excluded from the normal
 * build (tag {@code live}); run with {@code mvn -B verify -DexcludedTestGroups=none
 * -Dgroups=live} and SLACK_BOT_TOKEN + SLACK_APP_TOKEN set.
 */
@Tag("live")
class SocketModeLiveTest {

    @TempDir
    Path dir;

    @Test
    void connectsBySocketModeAndReportsHealthy() throws Exception {
        assumeTrue(System.getenv("SLACK_APP_TOKEN") != null && System.getenv("SLACK_BOT_TOKEN") != null,
                "needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PORT", "0");
        env.put("OTP_PROVIDER", "console");
        env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("live.db"));
        try (Countersign app = Countersign.start(SettingsLoader.load(env, dir.resolve("none")),
                Clock.systemUTC())) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
