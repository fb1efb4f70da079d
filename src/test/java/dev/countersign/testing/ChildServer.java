package dev.countersign.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real server ({@code dev.countersign.Main}) in a child JVM on the test class path, so a test
 * can kill it with SIGKILL and start it again on the same port and database. Its output goes to
 * {@code log}; {@link #logTail()} puts the end of it into failure messages.
 */
public final class ChildServer implements AutoCloseable {

    /** What the JVM reports for a child ended by SIGKILL: 128 + 9. */
    public static final int KILLED = 137;
    /** A child stopped by SIGTERM whose shutdown hook ran: 128 + 15 (or 0). */
    public static final int TERMINATED = 143;

    /** Inherited variables the child keeps; every Countersign setting comes from {@code env}. */
    private static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL",
            "TMPDIR");
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);

    private final Map<String, String> env;
    private final int port;
    private final Path workDir;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger starts = new AtomicInteger();
    private volatile Process process;
    private volatile CountDownLatch up = new CountDownLatch(1);

    /**
     * @param env     the child's whole Countersign configuration; {@code PORT} is set here
     * @param workDir working directory (no {@code .env} in it) and home of the log file
     */
    public ChildServer(Map<String, String> env, int port, Path workDir) {
        this.env = Map.copyOf(env);
        this.port = port;
        this.workDir = workDir;
        this.log = workDir.resolve("child.log");
    }

    /**
     * A whole configuration for a child talking to {@code slack} and {@code signalWire} on
     * loopback, with fresh random Slack credentials and the database at {@code databaseUrl}.
     */
    public static Map<String, String> envFor(FakeSlackApi slack, FakeSignalWire signalWire,
                                             String databaseUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", "xoxb-test-" + HexFormat.of().formatHex(
                new SecureRandom().generateSeed(8)));
        env.put("SLACK_SIGNING_SECRET", HexFormat.of().formatHex(
                new SecureRandom().generateSeed(16)));
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("SIGNALWIRE_SPACE", signalWire.url());
        env.put("SIGNALWIRE_PROJECT_KEY", FakeSignalWire.PROJECT);
        env.put("SIGNALWIRE_TOKEN", FakeSignalWire.TOKEN);
        env.put("SIGNALWIRE_FROM", FakeSignalWire.FROM);
        env.put("DATABASE_URL", databaseUrl);
        if (databaseUrl.startsWith("jdbc:postgresql:")) {
            env.put("COUNTERSIGN_SECRET_KEY", StorageEngine.POSTGRES_KEY);
        }
        return env;
    }

    /** A port that was free a moment ago: the child keeps it across restarts (PORT=0 would not). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the child and waits (polling {@code /healthz}, with a deadline) until it is ready. */
    public void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the child is already running");
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(javaBin,
                // Start-up time dominates this child's life: a quick JIT and a small heap.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.countersign.Main")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> childEnv = builder.environment();
        childEnv.keySet().removeIf(name -> !INHERITED.contains(name));
        childEnv.putAll(env);
        childEnv.put("PORT", Integer.toString(port));
        note("=== start #" + starts.incrementAndGet() + " ===");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the child JVM", e);
        }
        awaitHealthy();
        up.countDown();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. Asserts the child died of the signal. */
    public void kill() {
        markDown();
        Process running = process;
        running.destroyForcibly(); // SIGKILL on Linux
        int exit = waitFor(running, Duration.ofSeconds(10));
        if (exit != KILLED) {
            throw new AssertionError("expected death by SIGKILL (137), got exit " + exit
                    + "\n" + logTail());
        }
    }

    /** SIGTERM, then waits for the shutdown hook to finish. Returns the exit code. */
    public int stop() {
        markDown();
        Process running = process;
        running.destroy(); // SIGTERM on Linux: the shutdown hook closes everything
        return waitFor(running, Duration.ofSeconds(20));
    }

    /** Counts kills and stops: work started under one generation is void under the next. */
    public int generation() {
        return generation.get();
    }

    /** Waits until the child is serving (again). False when the deadline passed first. */
    public boolean awaitUp(Duration timeout) {
        try {
            return up.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines the child printed, over all its lives. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no child log: " + e.getMessage() + ")";
        }
    }

    private void markDown() {
        up = new CountDownLatch(1);
        generation.incrementAndGet();
    }

    private void awaitHealthy() {
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/healthz"))
                .timeout(Duration.ofSeconds(1)).GET().build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the child exited with " + process.exitValue()
                        + " before it was healthy\n" + logTail());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            pause(50); // polling interval, bounded by the deadline
        }
        throw new AssertionError("the child was not healthy within " + START_DEADLINE.toSeconds()
                + " s\n" + logTail());
    }

    private int waitFor(Process running, Duration timeout) {
        try {
            if (!running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                running.destroyForcibly();
                throw new AssertionError("the child did not exit within " + timeout.toSeconds()
                        + " s\n" + logTail());
            }
            return running.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A marker in the log between lives; written only while no child is running. */
    private void note(String line) {
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.destroyForcibly();
            try {
                running.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
