package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.testing.ChildServer;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server in a child JVM with {@code LOG_FORMAT=json}, {@code LOG_LEVEL=DEBUG} and the
 * C locale: after an enrollment, a wrong code and an approval, every line it printed is one
 * JSON object with the documented fields, in UTF-8, and none holds a code, a token, a secret
 * or a full phone number (issue 11 part 3).
 */
class JsonLogsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String USER = "U0JSONLOG1";
    private static final String WRONG_CODE = "987650";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private FakeSlackApi slack;
    private FakeSignalWire signalWire;
    private ChildServer child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.close();
        }
        if (signalWire != null) {
            signalWire.close();
        }
        if (slack != null) {
            slack.close();
        }
    }

    @Test
    void everyLineIsOneRedactedJsonObjectWithTheRequestReferenceAndAStoppedLine()
            throws Exception {
        slack = FakeSlackApi.start();
        signalWire = FakeSignalWire.start();
        Map<String, String> env = new HashMap<>(ChildServer.envFor(slack, signalWire,
                "jdbc:sqlite:" + dir.resolve("countersign.db")));
        env.put("LOG_FORMAT", "json");
        env.put("LOG_LEVEL", "DEBUG");
        // No UTF-8 from the locale: the lines must be UTF-8 all the same.
        env.put("LANG", "C");
        env.put("LC_ALL", "C");
        child = new ChildServer(env, ChildServer.freePort(), dir);
        child.start();
        SlackClient client = new SlackClient(child.baseUrl(), env.get("SLACK_SIGNING_SECRET"),
                slack);

        approve(client, "enroll " + TestApp.PHONE, FakeSignalWire.DEFAULT_CODE);
        TestApp.awaitCondition(() -> child.logTail().contains("enrolled phone"),
                "the enrollment was recorded");
        approveWithWrongCodeFirst(client);
        slack.await("response_url", call -> call.text().contains("Approved"), WAIT);
        assertThat(child.stop()).as(child.logTail()).isZero();

        List<JsonNode> lines = jsonLines(dir.resolve("child.log"));
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.path("timestamp").asText())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(line.path("level").asText()).isIn("DEBUG", "INFO", "WARN", "ERROR");
            assertThat(line.path("logger").asText()).isNotBlank();
            assertThat(line.path("thread").asText()).isNotBlank();
            assertThat(line.has("message")).isTrue();
        });
        assertThat(lines).as("Slack and SignalWire calls for a request carry its reference")
                .anySatisfy(line -> {
                    assertThat(line.path("reference").asText()).matches("CS-[A-Z0-9]{6}");
                    assertThat(line.path("message").asText()).startsWith("SignalWire sms start");
                })
                .anySatisfy(line -> {
                    assertThat(line.path("reference").asText()).matches("CS-[A-Z0-9]{6}");
                    assertThat(line.path("message").asText()).startsWith("Slack views.update");
                });
        assertThat(lines).as("Slack calls at DEBUG: method, status, time").anySatisfy(line ->
                assertThat(line.path("message").asText())
                        .matches("Slack views\\.open answered HTTP 200 in \\d+ ms"));
        assertThat(lines).as("the masked phone, in UTF-8 under LANG=C").anySatisfy(line ->
                assertThat(line.path("message").asText()).contains("•••• 0123"));
        assertThat(lines).as("no Jetty banner").noneSatisfy(line -> {
            assertThat(line.path("logger").asText()).startsWith("org.eclipse.jetty");
            assertThat(line.path("level").asText()).isEqualTo("INFO");
        });
        assertThat(lines.getLast().path("message").asText()).startsWith("Countersign stopped");

        String everything = Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8);
        assertThat(everything)
                .doesNotContain(FakeSignalWire.DEFAULT_CODE)
                .doesNotContain(WRONG_CODE)
                .doesNotContain("2015550123")
                .doesNotContain(env.get("SLACK_BOT_TOKEN"))
                .doesNotContain(env.get("SLACK_SIGNING_SECRET"))
                .doesNotContain(FakeSignalWire.TOKEN)
                .doesNotContain("trigger_id")
                .doesNotContain("/response/");
    }

    /** A payment: a wrong code, then the right one. */
    private void approveWithWrongCodeFirst(SlackClient client) {
        Opened opened = open(client, "pay 2500 USD to Acme Corp for INV-1042");
        client.submitCode(opened.viewId(), opened.requestId(), USER, WRONG_CODE);
        client.submitCode(opened.viewId(), opened.requestId(), USER,
                FakeSignalWire.DEFAULT_CODE);
    }

    private void approve(SlackClient client, String command, String code) {
        Opened opened = open(client, command);
        SlackClient.Reply done = client.submitCode(opened.viewId(), opened.requestId(), USER,
                code);
        assertThat(done.body()).doesNotContain("\"errors\"");
    }

    private record Opened(String viewId, String requestId) {
    }

    private Opened open(SlackClient client, String command) {
        SlackClient.Reply ack = admitted(client, command);
        FakeSlackApi.Call opened = slack.await("views.open",
                call -> ack.triggerId().equals(call.params().get("trigger_id"))
                        && call.answered() != null, WAIT);
        String viewId = opened.viewId();
        slack.await("views.update", call -> viewId.equals(call.params().get("view_id"))
                && call.text().contains("We sent"), WAIT);
        return new Opened(viewId, opened.jsonParam("view").path("private_metadata").asText());
    }

    /**
     * The command's acknowledgement once Countersign takes it. On a machine this busy, a child
     * JVM still warming up may rightly answer "busy, try again" (its admission control); this
     * test is about the logs, so it tries again, within a deadline.
     */
    private static SlackClient.Reply admitted(SlackClient client, String command) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        SlackClient.Reply ack = client.command(command, USER);
        while (ack.body().contains("busy right now") && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200); // polling interval, bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            ack = client.command(command, USER);
        }
        return ack;
    }

    /**
     * Every line the child printed, parsed. Not the server's lines: the test's own start
     * markers, and on standard error (which shares the file) the JVM's native-access warning
     * (the jar's manifest allows native access, the test class path cannot) and SLF4J's notes
     * on calls made while it started (likelier here, where logback reads logback-test.xml first).
     * Reading fails on any byte sequence that is not UTF-8.
     */
    private static List<JsonNode> jsonLines(Path log) throws IOException {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isEmpty() || line.startsWith("=== start") || line.startsWith("WARNING: ")
                    || line.startsWith("SLF4J(")) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
            parsed.add(node);
        }
        return parsed;
    }

    @Test
    void aBadLogFormatOrBindAddressStopsStartUpNamingBoth() throws Exception {
        slack = FakeSlackApi.start();
        signalWire = FakeSignalWire.start();
        Map<String, String> env = new HashMap<>(ChildServer.envFor(slack, signalWire,
                "jdbc:sqlite:" + dir.resolve("countersign.db")));
        env.put("LOG_FORMAT", "logfmt");
        env.put("BIND_ADDRESS", "localhost:3000");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.countersign.Main")
                .directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("LOG_FORMAT must be text or json",
                "BIND_ADDRESS must be an IP address").doesNotContain("Exception");
    }
}
