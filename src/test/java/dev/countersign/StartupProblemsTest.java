package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.countersign.cli.CountersignCommand;
import dev.countersign.config.SettingsLoader;
import dev.countersign.testing.FakeSlackApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up that fails says why, naming the setting, and leaves nothing behind: the server's own
 * entry point ({@code Main.serve}) on settings that cannot work. {@code *.invalid} never resolves
 * (RFC 6761), so no test needs the internet.
 */
class StartupProblemsTest {

    private static final String FOOTER =
            "Set them in the environment or in .env (example.env lists every setting).";

    @TempDir
    Path directory;

    private final Map<String, String> environment = new HashMap<>();
    private FakeSlackApi slack;
    private Path databaseDir;

    @BeforeEach
    void setUp() {
        slack = FakeSlackApi.start();
        databaseDir = directory.resolve("data");
        environment.put("SLACK_BOT_TOKEN", "xoxb-startup-test-0001");
        environment.put("SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5");
        environment.put("SLACK_API_URL", slack.apiUrl());
        environment.put("OTP_PROVIDER", "console");
        environment.put("PORT", "0");
        environment.put("DATABASE_URL", "jdbc:sqlite:" + databaseDir.resolve("countersign.db"));
    }

    @AfterEach
    void tearDown() {
        slack.close();
    }

    @Test
    void aSlackHostThatDoesNotResolveIsNamed() {
        environment.put("SLACK_API_URL", "https://slack.invalid/api/");

        assertThat(serve()).isEqualTo(oneProblem("Slack could not be reached: slack.invalid (the "
                + "host in SLACK_API_URL) does not resolve. Check SLACK_API_URL and this "
                + "machine's DNS."));
        assertThat(databaseDir).doesNotExist();
    }

    @Test
    void aClosedPortIsNamedAsSlackNotReached() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        environment.put("SLACK_API_URL", "http://127.0.0.1:" + closed + "/api/");

        assertThat(serve()).isEqualTo(oneProblem("Slack could not be reached at 127.0.0.1:"
                + closed + " (SLACK_API_URL): the connection was refused. Check SLACK_API_URL, "
                + "and that this machine may connect to it (proxy, firewall)."));
        assertThat(databaseDir).doesNotExist();
    }

    @Test
    void aBotTokenSlackRefusesNamesSlackBotToken() {
        slack.failNext("auth.test", "invalid_auth", 1);

        assertThat(serve()).isEqualTo(oneProblem("SLACK_BOT_TOKEN was refused by Slack "
                + "(invalid_auth from auth.test): copy the Bot User OAuth Token (xoxb-…) from "
                + "your Slack app's OAuth & Permissions page again, and check the app is "
                + "installed."));
        assertThat(databaseDir).doesNotExist();
    }

    @Test
    void anAppTokenSlackRefusesNamesSlackAppToken() {
        environment.put("SLACK_APP_TOKEN", "xapp-startup-test-0001");
        slack.failNext("apps.connections.open", "invalid_auth", 1);

        assertThat(serve()).isEqualTo(oneProblem("SLACK_APP_TOKEN was refused by Slack "
                + "(invalid_auth from apps.connections.open): make an app-level token with the "
                + "connections:write scope under Basic Information → App-Level Tokens, and turn "
                + "Socket Mode on."));
        assertThat(databaseDir).doesNotExist();
    }

    @Test
    void aSignalWireSpaceThatDoesNotResolveIsNamedWithoutSendingCredentials() {
        useSignalWire("nope.invalid");

        assertThat(serve()).isEqualTo(oneProblem("SIGNALWIRE_SPACE: nope.invalid does not "
                + "resolve (DNS). Check the space name, like example.signalwire.com, and this "
                + "machine's DNS."));
        assertThat(databaseDir).doesNotExist();
    }

    @Test
    void slackAndSignalWireProblemsAreReportedTogether() {
        environment.put("SLACK_API_URL", "https://slack.invalid/api/");
        useSignalWire("nope.invalid");

        String said = serve();

        assertThat(said).startsWith("Countersign cannot start: 2 settings need attention.\n")
                .contains("slack.invalid (the host in SLACK_API_URL)",
                        "SIGNALWIRE_SPACE: nope.invalid does not resolve");
        assertThat(databaseDir).doesNotExist();
    }

    @Test
    void aBadDotenvLineIsNamedByNumberWithTheOtherProblems() throws IOException {
        Path dotenv = Files.writeString(directory.resolve(".env"), String.join("\n",
                "SLACK_BOT_TOKEN=xoxb-startup-test-0001",
                "SLACK_SIGNING_SECRET=8f742231b10e8888abcd99yyyzzz85a5",
                "OTP_PROVIDER console",
                "export PORT=0",
                "SIGNALWIRE_SPACE=example.signalwire.com",
                "DATABASE_URL=jdbc:sqlite:" + databaseDir.resolve("countersign.db")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = serveWithin(() -> Main.serve(() -> SettingsLoader.load(Map.of(), dotenv),
                new PrintStream(err, true, StandardCharsets.UTF_8)));

        assertThat(status).isEqualTo(CountersignCommand.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "Countersign cannot start: 3 settings need attention.\n"
                        + "  - " + dotenv + " line 3 is not KEY=value (check the = and the "
                        + "quotes); the other lines were read\n"
                        + "  - SIGNALWIRE_PROJECT_KEY is required: the Project ID from your "
                        + "SignalWire space's API page (or set OTP_PROVIDER=console to try "
                        + "Countersign without SignalWire)\n"
                        + "  - SIGNALWIRE_TOKEN is required: an API token from your SignalWire "
                        + "space's API page (or set OTP_PROVIDER=console to try Countersign "
                        + "without SignalWire)\n"
                        + FOOTER + "\n");
        assertThat(databaseDir).doesNotExist();
    }

    private void useSignalWire(String space) {
        environment.remove("OTP_PROVIDER");
        environment.put("SIGNALWIRE_SPACE", space);
        environment.put("SIGNALWIRE_PROJECT_KEY", "0f1e2d3c-project");
        environment.put("SIGNALWIRE_TOKEN", "PTsignalwire-api-token-value");
    }

    /** What start-up printed; asserts it ended with the settings exit code. */
    private String serve() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = serveWithin(() -> Main.serve(() -> SettingsLoader.load(environment,
                directory.resolve("absent.env")), new PrintStream(err, true,
                StandardCharsets.UTF_8)));
        assertThat(status).isEqualTo(CountersignCommand.USAGE);
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * A start that succeeds serves until the process stops: a deadline turns that (the bug these
     * tests look for) into a failure instead of a hung build.
     */
    private static int serveWithin(ThrowingSupplier<Integer> serve) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), serve,
                "start-up should have failed, and it is serving");
    }

    private static String oneProblem(String problem) {
        return "Countersign cannot start: 1 setting needs attention.\n  - " + problem + "\n"
                + FOOTER + "\n";
    }
}
