package dev.countersign.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import dev.countersign.testing.StorageEngine;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Countersign's load benchmark (issue 5). Starts the real app as the README runs it ({@code java
 * -jar target/countersign.jar}, no JVM flags, or with {@code flags=dockerfile} the Dockerfile's;
 * HTTP mode, a SQLite file in a temp dir, default pragmas) as a child JVM against a fake Slack
 * Web API and a fake SignalWire served from this JVM, and drives complete flows open-loop at
 * fixed arrival rates:
 * <ol>
 *   <li>100 commands/s for 60 s with SignalWire start/verify taking 2 s and Slack 300 ms;</li>
 *   <li>upstreams instant, the rate stepped up until the command ack p99 passes 100 ms;</li>
 *   <li>the same stepped commands against a bare Bolt app on the same server stack
 *       ({@link BareBoltApp}) whose listener only acks: the framework's ceiling;</li>
 *   <li>start-up to ready and RSS, idle and under scenario 1;</li>
 *   <li>overload: 300 commands/s for 20 s, Slack 300 ms, SignalWire 2 s, on a fresh warm app:
 *       every command must be acked within 3 s and get its modal within 3 s or a prompt "busy"
 *       reply, and the SQLite file must hold no request left half-done.</li>
 * </ol>
 * The app is started once, measured idle, given its users (each enrolls once) and a warm-up, then
 * runs scenario 1 and, if scenario 1 left nothing in flight, scenario 2 (else a fresh app is
 * started and warmed for scenario 2). The SQLite file is checked after the app stops. Prints a
 * table, then one JSON line with every figure. Run with {@code mvn -B -Pbench verify}; options in
 * {@link BenchOptions}.
 */
public final class Bench implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_DATE = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();

    private final BenchOptions options;
    private final Path work;
    private final ScheduledThreadPoolExecutor timer;
    private final LoadSlack slack;
    private final LoadSignalWire signalWire;
    private final FlowDriver driver;
    private final long started = System.nanoTime();
    private final ObjectNode json = JSON.createObjectNode();
    private final List<Runnable> checks = new ArrayList<>();
    private final Report report = new Report(json);
    /** The JVM flags of every child: none, or the Dockerfile's, then {@code jvm=…}. */
    private List<String> childFlags = List.of();

    /** A running app under test and every approval flow sent to it. */
    static final class App {
        final String name;
        final ChildJvm child;
        final Path database;
        /** The apps beside {@link #child} on the same PostgreSQL schema (none on SQLite). */
        final List<ChildJvm> others = new ArrayList<>();
        /** The PostgreSQL schema's URL, and what drops it; null on SQLite. */
        StorageEngine.TestDatabase postgres;
        final List<Flow> approvals = new ArrayList<>();
        final List<Bucket> buckets = new ArrayList<>();
        Bucket enroll;
        Bucket warmUp;
        long idleRssKb;
        int exitCode;
        DatabaseCheck.Snapshot snapshot;
        String audit = "not run";

        App(String name, ChildJvm child, Path database) {
            this.name = name;
            this.child = child;
            this.database = database;
        }
    }

    /** Counters of the fakes, to take differences over a scenario. */
    record Upstream(Map<String, Long> slackCalls, long slackConnections,
                            long signalWireConnections, long starts, long verifies, long rejected) {
    }

    private Bench(BenchOptions options, Path work) {
        this.options = options;
        this.work = work;
        this.timer = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "fake-latency");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.slack = new LoadSlack(timer);
        this.signalWire = new LoadSignalWire(timer);
        this.driver = new FlowDriver(slack, timer);
        slack.listener(driver);
        signalWire.listener(driver);
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.from(args);
        Path work = Files.createTempDirectory("countersign-bench-");
        int exit;
        try (Bench bench = new Bench(options, work)) {
            exit = bench.run();
        } finally {
            if (options.flag("keep")) {
                System.out.println("kept " + work);
            } else {
                deleteTree(work);
            }
        }
        System.exit(exit);
    }

    private int run() throws Exception {
        Path jar = Path.of(options.text("jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: build it first (mvn -B -DskipTests "
                    + "package), or run mvn -B -Pbench verify");
        }
        driver.thinkTime(Duration.ofMillis(options.integer("thinkMs")));
        childFlags = childFlags();
        header(jar);
        awaitQuietMachine();
        double sustained = -1;
        double ceiling = -1;
        App app = null;
        try {
            if (options.runs(1)) {
                app = startWarmApp(jar, "app1", true);
                scenario1(app);
                // Scenario 2 runs on the same warm app once it has worked off what scenario 1
                // left (flows given up at the drain time may still be finishing).
                if (!options.runs(2) || !awaitAppIdle(Duration.ofSeconds(30))) {
                    finish(jar, app);
                    app = null;
                }
            }
            if (options.runs(2)) {
                if (app == null) {
                    app = startWarmApp(jar, "app2", !options.runs(1));
                }
                sustained = scenario2(app);
                finish(jar, app);
                app = null;
            }
            if (options.runs(3)) {
                ceiling = scenario3();
            }
            if (options.runs(5)) {
                scenario5(jar);
            }
        } catch (Exception e) {
            // Report what was measured so far, and why the rest is missing.
            report.section("BENCHMARK ABORTED: " + e);
            json.put("aborted", e.toString());
            report.aborted();
            if (app != null) {
                app.child.close();
                app.others.forEach(ChildJvm::close);
            }
        }
        if (!checks.isEmpty()) {
            report.section("Correctness: the database, read after the app stopped");
            checks.forEach(Runnable::run);
        }
        json.put("lateEvents", driver.late()).put("unmatchedEvents", driver.unmatched());
        report.line("events for flows already given up (late, not errors): %d; events matching no flow: %d",
                driver.late(), driver.unmatched());
        report.summary(sustained, ceiling, started);
        json.put("benchSeconds", Report.round((System.nanoTime() - started) / 1e9));
        System.out.print(report.table());
        System.out.println(JSON.writeValueAsString(json));
        return !report.allMet() && options.flag("failOnMiss") ? 1 : 0;
    }

    // --- the app ----------------------------------------------------------------------------

    /**
     * Starts the app; measures it idle (if {@code idle}); enrolls every simulated person once;
     * then runs the warm-up flows (upstreams instant) so the JIT has compiled the hot paths.
     */
    private App startWarmApp(Path jar, String name, boolean idle) throws Exception {
        upstreams(0, 0);
        App app = startApp(jar, name);
        if (idle) {
            app.child.markWindow();
            Thread.sleep(options.integer("idleSeconds") * 1000L); // idle: nothing sent
            app.idleRssKb = app.child.window().maxRssKb();
        }
        List<Flow.User> users = users();
        // Setup, not measurement: a cold app may miss Slack's 3 s trigger here, and a person whose
        // enrollment failed would have every later command refused.
        slack.triggerTtl(Duration.ZERO);
        app.enroll = driver.run(name + "-enroll", Flow.Kind.ENROLL, options.integer("enroll.rate"),
                users.size(), users);
        driver.drain(app.enroll, Duration.ofSeconds(60));
        awaitAppIdle(Duration.ofSeconds(30));
        app.buckets.add(app.enroll);
        // A cold app may turn some enrollments away as busy: those people enroll again, slower.
        List<Flow.User> missing = notEnrolled(app.enroll);
        for (int round = 1; !missing.isEmpty() && round <= 3; round++) {
            Bucket again = driver.run(name + "-enroll-again-" + round, Flow.Kind.ENROLL,
                    options.integer("enroll.rate") / 2.0, missing.size(), missing);
            driver.drain(again, Duration.ofSeconds(60));
            awaitAppIdle(Duration.ofSeconds(30));
            missing = notEnrolled(again);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missing.size() + " people could not be enrolled");
        }
        double rate = options.decimal("warmup.rate");
        app.warmUp = driver.run(name + "-warmup", Flow.Kind.APPROVE, rate,
                (int) Math.round(rate * options.decimal("warmup.seconds")), users);
        driver.drain(app.warmUp, Duration.ofSeconds(30));
        awaitAppIdle(Duration.ofSeconds(30));
        app.buckets.add(app.warmUp);
        app.approvals.addAll(app.warmUp.flows);
        settle(app.child);
        slack.triggerTtl(Duration.ofMillis(options.integer("triggerTtlMs")));
        return app;
    }

    private App startApp(Path jar, String name) throws Exception {
        int port = freePort();
        String secret = secret();
        Path dir = Files.createDirectories(work.resolve(name));
        Path database = dir.resolve("countersign.db");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SLACK_BOT_TOKEN", "xoxb-bench-" + secret.substring(0, 12));
        env.put("SLACK_SIGNING_SECRET", secret);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PORT", Integer.toString(port));
        env.put("SIGNALWIRE_SPACE", signalWire.space());
        env.put("SIGNALWIRE_PROJECT_KEY", LoadSignalWire.PROJECT);
        env.put("SIGNALWIRE_TOKEN", LoadSignalWire.TOKEN);
        env.put("SIGNALWIRE_FROM", LoadSignalWire.FROM);
        env.put("DATABASE_URL", "jdbc:sqlite:" + database);
        // Many flows per simulated person and per workspace: lift the SMS-pumping caps.
        env.put("MAX_CODES_PER_USER_PER_HOUR", "1000000");
        env.put("MAX_CODES_PER_TEAM_PER_DAY", "100000000");
        int instances = options.integer("postgres");
        StorageEngine.TestDatabase postgres = null;
        if (instances > 0) {
            postgres = StorageEngine.postgresSchema();
            env.put("DATABASE_URL", postgres.url());
            env.put("COUNTERSIGN_SECRET_KEY", StorageEngine.POSTGRES_KEY);
        }
        ChildJvm child = ChildJvm.start(name, childFlags, List.of("-jar", jar.toString()),
                env, dir, port, driver.http());
        List<URI> targets = new ArrayList<>(List.of(
                URI.create("http://127.0.0.1:" + port + "/slack/events")));
        App app = new App(name, child, database);
        app.postgres = postgres;
        for (int i = 1; i < instances; i++) {
            int otherPort = freePort();
            Map<String, String> otherEnv = new LinkedHashMap<>(env);
            otherEnv.put("PORT", Integer.toString(otherPort));
            Path otherDir = Files.createDirectories(work.resolve(name + "-" + i));
            app.others.add(ChildJvm.start(name + "-" + i, childFlags,
                    List.of("-jar", jar.toString()), otherEnv, otherDir, otherPort,
                    driver.http()));
            targets.add(URI.create("http://127.0.0.1:" + otherPort + "/slack/events"));
        }
        driver.targets(targets, secret);
        return app;
    }

    /** Stops the app, reads its SQLite file and verifies its audit chain. */
    private void finish(Path jar, App app) throws Exception {
        upstreams(0, 0);
        app.exitCode = app.child.stop();
        for (ChildJvm other : app.others) {
            app.exitCode = Math.max(app.exitCode, other.stop());
        }
        if (app.postgres != null) {
            app.snapshot = DatabaseCheck.read(app.postgres.url(), app.approvals);
            app.audit = auditVerify(jar, app.database, app.postgres.url());
            app.postgres.close();
        } else {
            app.snapshot = DatabaseCheck.read(app.database, app.approvals);
            app.audit = auditVerify(jar, app.database);
        }
        app.buckets.forEach(driver::forget);
    }

    // --- scenarios --------------------------------------------------------------------------

    /**
     * Waits until nothing has reached the fakes for a second: the app has nothing left to do.
     * False if it is still busy after {@code timeout}.
     */
    private boolean awaitAppIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = -1;
        int quiet = 0;
        while (System.nanoTime() < deadline) {
            long now = slack.server().requests() + signalWire.server().requests();
            quiet = now == seen ? quiet + 1 : 0;
            if (quiet >= 4) {
                return true;
            }
            seen = now;
            Thread.sleep(250); // polling the fakes' request counters
        }
        return false;
    }

    /** One measured run at a fixed rate, and what the app and the fakes did during it. */
    private record Measured(int rate, int seconds, int slackMs, int signalWireMs, Upstream before,
                            Bucket run, ChildJvm.Usage usage, Map<String, double[]> threads,
                            List<String> hotSpots, Upstream after) {
    }

    /** Scenario {@code n} ("s1", "s5" options) at its rate and upstream latencies. */
    private Measured measure(App app, int n, Flow.Kind kind) throws Exception {
        String key = "s" + n;
        int rate = options.integer(key + ".rate");
        int seconds = options.integer(key + ".seconds");
        int slackMs = options.integer(key + ".slackLatencyMs");
        int signalWireMs = options.integer(key + ".signalWireLatencyMs");
        upstreams(slackMs, signalWireMs);
        Upstream before = upstream();
        Path jfr = startJfr(app, n);
        app.child.markWindow();
        Bucket run = driver.run(key, kind, rate, rate * seconds, users());
        driver.drain(run, Duration.ofSeconds(options.integer(key + ".drainSeconds")));
        ChildJvm.Usage usage = app.child.window();
        Map<String, double[]> threads = app.child.threadCpu();
        List<String> hotSpots = stopJfr(app, jfr, usage, threads, run.scheduledCount());
        return new Measured(rate, seconds, slackMs, signalWireMs, before, run, usage, threads,
                hotSpots, upstream());
    }

    /** Scenario 1. */
    private void scenario1(App app) throws Exception {
        Measured measured = measure(app, 1, Flow.Kind.APPROVE);
        Bucket run = measured.run();
        ChildJvm.Usage usage = measured.usage();
        upstreams(0, 0);
        app.buckets.add(run);
        app.approvals.addAll(run.flows);

        ObjectNode node = json.putObject("scenario1");
        node.put("rate", measured.rate()).put("seconds", measured.seconds())
                .put("slackLatencyMs", measured.slackMs())
                .put("signalWireLatencyMs", measured.signalWireMs())
                .put("users", options.integer("users"));
        report.flows(node, run, true);
        Report.child(node.putObject("child"), app.child, usage, run.scheduledCount())
                .put("startupMs", app.child.startupMillis())
                .put("idleRssMb", Report.mb(app.idleRssKb));
        report.upstreamDelta(node, measured.before(), measured.after());
        report.phases(node, app);
        report.hotSpots(node, measured.hotSpots());

        report.section("Scenario 1: " + measured.rate() + " commands/s for " + measured.seconds()
                + " s; SignalWire start+verify " + measured.signalWireMs() + " ms, Slack API "
                + measured.slackMs() + " ms; " + options.integer("users")
                + " users");
        report.latencyTable(run, true);
        report.line("flows %d, completed %d (%.1f/s), errors %d %s, HTTP 5xx %d, driver lag p99 %.1f ms",
                run.scheduledCount(), run.completed.get(), run.completedPerSecond(),
                run.errorCount(), run.errors().isEmpty() ? "" : run.errors(), run.http5xx.sum(),
                Report.ms(run.lag, 99));
        report.samples(run);
        report.childLine(app.child, usage, run.scheduledCount());
        report.threadLine(node.with("child"), measured.threads());
        report.line("start-up to /healthz 200: %d ms; idle RSS %d MB", app.child.startupMillis(),
                Report.mb(app.idleRssKb));
        report.upstreamLine(measured.before(), measured.after());
        report.phaseLines(app);
        report.hotSpotLines(measured.hotSpots());

        report.target("S1 command ack p99", "≤ 50 ms", Report.ms(run.ack, 99), Report.ms(run.ack, 99) <= 50);
        report.target("S1 command → views.open p99", "≤ 150 ms", Report.ms(run.open, 99),
                Report.ms(run.open, 99) <= 150);
        report.target("S1 submission answer p99", "≤ 2500 ms", Report.ms(run.answer, 99),
                Report.ms(run.answer, 99) <= 2500);
        checks.add(() -> {
            DatabaseCheck db = app.snapshot.check(run.flows);
            report.database(node, db, app.audit);
            report.databaseLine("scenario 1", db, app.audit);
            boolean clean = run.errorCount() == 0 && run.http5xx.sum() == 0 && db.ok()
                    && run.completed.get() == run.scheduledCount();
            report.targetText("S1 errors (not approved exactly once, 5xx, refusals)", "0",
                    run.errorCount() + (db.ok() ? "" : " + DB check failed"), clean);
        });
        long startup = app.child.startupMillis();
        long idleRss = Report.mb(app.idleRssKb);
        long loadRss = Report.mb(usage.maxRssKb());
        json.putObject("scenario4").put("startupMs", startup).put("idleRssMb", idleRss)
                .put("rssUnderScenario1Mb", loadRss).put("vmHwmUnderScenario1Mb", Report.mb(usage.hwmKb()));
        report.target("S4 start-up to /healthz 200", "≤ 1500 ms", startup, startup <= 1500);
        report.target("S4 RSS idle", "≤ 300 MB", idleRss, idleRss <= 300);
        report.target("S4 RSS under scenario 1 (peak)", "≤ 300 MB", loadRss, loadRss <= 300);
    }

    /** Stepped, upstreams instant; returns the sustained complete flows/s. */
    private double scenario2(App app) throws Exception {
        upstreams(0, 0);
        Upstream before = upstream();
        Path jfr = startJfr(app, 2);
        app.child.markWindow();
        List<Bucket> steps = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        String stoppedBy = stepUp("s2", Flow.Kind.APPROVE, options.integers("s2.rates"),
                options.decimal("s2.stepSeconds"), options.integer("s2.maxSeconds"),
                options.integer("s2.drainSeconds"), users(), steps, verdicts);
        ChildJvm.Usage usage = app.child.window();
        Map<String, double[]> threads = app.child.threadCpu();
        int flows = steps.stream().mapToInt(Bucket::scheduledCount).sum();
        List<String> hotSpots = stopJfr(app, jfr, usage, threads, flows);
        Upstream after = upstream();
        app.buckets.addAll(steps);
        steps.forEach(step -> app.approvals.addAll(step.flows));

        Bucket best = bestPassing(steps, verdicts);
        double sustained = best == null ? 0 : best.completedPerSecond();
        ObjectNode node = json.putObject("scenario2");
        node.put("sustainedFlowsPerSecond", Report.round(sustained))
                .put("sustainedOfferedRate", best == null ? 0 : best.rate)
                .put("stoppedBy", stoppedBy).put("stepSeconds", options.decimal("s2.stepSeconds"))
                .put("app", app.name);
        report.steps(node, steps, verdicts, true);
        Report.child(node.putObject("child"), app.child, usage, flows);
        report.upstreamDelta(node, before, after);
        if (!"app1".equals(app.name)) {
            report.phases(node, app);
        }
        report.hotSpots(node, hotSpots);

        report.section("Scenario 2: upstreams instant, rate stepped every " + options.text("s2.stepSeconds")
                + " s until command ack p99 > " + options.text("ackLimitMs") + " ms (" + app.name
                + ", warm)");
        report.stepTable(steps, verdicts, true);
        report.line("stopped by: %s", stoppedBy);
        report.line("sustained complete flows/s: %.1f (highest passing step: %s/s offered)", sustained,
                best == null ? "none" : Report.fmt(best.rate));
        steps.forEach(report::samples);
        report.childLine(app.child, usage, flows);
        report.threadLine(node.with("child"), threads);
        report.upstreamLine(before, after);
        if (!"app1".equals(app.name)) {
            report.phaseLines(app);
        }
        report.hotSpotLines(hotSpots);
        report.target("S2 sustained complete flows/s", "≥ 300", sustained, sustained >= 300);
        List<Flow> all = steps.stream().flatMap(step -> step.flows.stream()).toList();
        checks.add(() -> {
            DatabaseCheck db = app.snapshot.check(all);
            report.database(node, db, app.audit);
            report.databaseLine("scenario 2", db, app.audit);
        });
        return sustained;
    }

    /** The bare Bolt app, stepped; returns its ceiling in acks/s. */
    private double scenario3() throws Exception {
        upstreams(0, 0);
        int port = freePort();
        String secret = secret();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SLACK_BOT_TOKEN", "xoxb-bench-" + secret.substring(0, 12));
        env.put("SLACK_SIGNING_SECRET", secret);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PORT", Integer.toString(port));
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        List<String> program = List.of("-cp", classPath, BareBoltApp.class.getName());
        Path dir = Files.createDirectories(work.resolve("bare"));
        ChildJvm child = ChildJvm.start("bare-bolt", childFlags, program, env, dir,
                port, driver.http());
        driver.target(URI.create("http://127.0.0.1:" + port + "/slack/events"), secret);
        List<Flow.User> users = users();
        // Warm-up (not measured), as the app gets its enrollment and warm-up flows.
        double warmRate = options.decimal("bare.warmupRate");
        Bucket warmUp = driver.run("bare-warmup", Flow.Kind.ACK_ONLY, warmRate,
                (int) Math.round(warmRate * options.decimal("bare.warmupSeconds")), users);
        driver.drain(warmUp, Duration.ofSeconds(10));
        driver.forget(warmUp);
        settle(child);
        child.markWindow();
        List<Bucket> steps = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        String stoppedBy = stepUp("bare", Flow.Kind.ACK_ONLY, options.integers("bare.rates"),
                options.decimal("bare.stepSeconds"), options.integer("bare.maxSeconds"), 3, users,
                steps, verdicts);
        ChildJvm.Usage usage = child.window();
        Map<String, double[]> threads = child.threadCpu();
        child.stop();
        steps.forEach(driver::forget);
        int commands = steps.stream().mapToInt(Bucket::scheduledCount).sum();

        Bucket best = bestPassing(steps, verdicts);
        double ceiling = best == null ? 0 : best.completedPerSecond();
        ObjectNode node = json.putObject("scenario3");
        node.put("ceilingAcksPerSecond", Report.round(ceiling))
                .put("ceilingOfferedRate", best == null ? 0 : best.rate)
                .put("stoppedBy", stoppedBy).put("stepSeconds", options.decimal("bare.stepSeconds"))
                .put("startupMs", child.startupMillis())
                .put("warmUpAckP99Ms", Report.ms(warmUp.ack, 99));
        report.steps(node, steps, verdicts, false);
        Report.child(node.putObject("child"), child, usage, commands);

        report.section("Scenario 3: bare Bolt app (Bolt 1.46 + bolt-jakarta-servlet on Jetty 12 ee10, "
                + "listener only acks), rate stepped every " + options.text("bare.stepSeconds")
                + " s");
        report.stepTable(steps, verdicts, false);
        report.line("stopped by: %s", stoppedBy);
        report.line("ceiling: %.1f acks/s (highest passing step: %s/s offered); start-up %d ms", ceiling,
                best == null ? "none" : Report.fmt(best.rate), child.startupMillis());
        report.childLine(child, usage, commands);
        report.threadLine(node.with("child"), threads);
        return ceiling;
    }

    /**
     * Scenario 5, overload, on a fresh warm app: more commands than it can finish, with slow
     * upstreams. People who got their modal type their code as usual. When the flows have
     * drained and the app has gone quiet, it is stopped and its SQLite file checked.
     */
    private void scenario5(Path jar) throws Exception {
        App app = startWarmApp(jar, "app5", false);
        try {
            overload(jar, app);
        } finally {
            app.child.close(); // already stopped unless something failed
        }
    }

    private void overload(Path jar, App app) throws Exception {
        Measured measured = measure(app, 5, Flow.Kind.OVERLOAD);
        Bucket run = measured.run();
        ChildJvm.Usage usage = measured.usage();
        app.buckets.add(run);
        // Stopping the app mid-send would leave requests half-done that it was finishing.
        boolean quiet = awaitAppIdle(Duration.ofSeconds(options.integer("s5.idleSeconds")));
        finish(jar, app);

        OverloadOutcome outcome = OverloadOutcome.of(run,
                Duration.ofMillis(options.integer("s5.ackWithinMs")),
                Duration.ofMillis(options.integer("s5.modalWithinMs")),
                Duration.ofMillis(options.integer("s5.busyWithinMs")));
        ObjectNode node = json.putObject("scenario5");
        node.put("rate", measured.rate()).put("seconds", measured.seconds())
                .put("slackLatencyMs", measured.slackMs())
                .put("signalWireLatencyMs", measured.signalWireMs())
                .put("users", options.integer("users"))
                .put("appQuietBeforeStop", quiet);
        report.flows(node, run, true);
        Report.latency(node, "busyReplyMs", run.busy);
        report.overload(node, outcome);
        Report.child(node.putObject("child"), app.child, usage, run.scheduledCount())
                .put("startupMs", app.child.startupMillis());
        report.upstreamDelta(node, measured.before(), measured.after());
        report.hotSpots(node, measured.hotSpots());

        report.section("Scenario 5 (overload): " + measured.rate() + " commands/s for "
                + measured.seconds() + " s; SignalWire start+verify " + measured.signalWireMs()
                + " ms, Slack API " + measured.slackMs()
                + " ms; " + options.integer("users") + " users (" + app.name + ", warm)");
        report.latencyTable(run, true);
        report.latencyRow("command → busy reply arrived", run.busy);
        report.overloadLines(outcome, options.integer("s5.ackWithinMs"),
                options.integer("s5.modalWithinMs"), options.integer("s5.busyWithinMs"));
        report.line("flows %d, approved %d, turned away busy %d, other ends %d %s, HTTP 5xx %d, "
                        + "driver lag p99 %.1f ms", run.scheduledCount(), run.completed.get(),
                run.busyEnded.get(), run.errorCount(), run.errors().isEmpty() ? "" : run.errors(),
                run.http5xx.sum(), Report.ms(run.lag, 99));
        report.samples(run);
        report.childLine(app.child, usage, run.scheduledCount());
        report.threadLine(node.with("child"), measured.threads());
        report.upstreamLine(measured.before(), measured.after());
        report.line("app quiet before it was stopped: %s", quiet ? "yes"
                : "NO (still calling the fakes after " + options.text("s5.idleSeconds") + " s)");
        report.hotSpotLines(measured.hotSpots());

        int ackWithin = options.integer("s5.ackWithinMs");
        report.target("S5 command acks over " + ackWithin + " ms", "0", outcome.acksLate(),
                outcome.acksLate() == 0);
        report.targetText("S5 commands with neither modal nor busy reply", "0 %",
                String.format("%d (%.1f %%)", outcome.neither(), 100 * outcome.neitherShare()),
                outcome.neither() == 0);
        checks.add(() -> {
            DatabaseCheck.HalfDone halfDone = app.snapshot.halfDone(run.flows);
            report.halfDone(node, halfDone, app.audit);
            report.halfDoneLine("scenario 5", halfDone, app.audit);
            report.targetText("S5 requests half-done, or busy but sent or approved", "0",
                    halfDone.unreadable() != null ? "unreadable"
                            : Integer.toString(halfDone.halfDone() + halfDone.busyButCodeSent()
                            + halfDone.busyButApproved()), halfDone.ok());
        });
    }

    /**
     * Runs steps at increasing rates until one fails (ack p99 over the limit, an error, a flow not
     * completed, completions falling behind) or the time budget is spent.
     */
    private String stepUp(String name, Flow.Kind kind, List<Integer> rates, double stepSeconds,
                          int maxSeconds, int drainSeconds, List<Flow.User> users,
                          List<Bucket> steps, List<String> verdicts) {
        double limit = options.decimal("ackLimitMs");
        long begin = System.nanoTime();
        for (int rate : rates) {
            double spent = (System.nanoTime() - begin) / 1e9;
            if (spent + stepSeconds > maxSeconds) {
                return "time budget (" + maxSeconds + " s) spent before " + rate + "/s; raise "
                        + name + ".maxSeconds to go on";
            }
            Bucket step = driver.run(name + "@" + rate, kind, rate,
                    (int) Math.round(rate * stepSeconds), users);
            driver.drain(step, Duration.ofSeconds(drainSeconds));
            steps.add(step);
            String why = null;
            double ackP99 = Report.ms(step.ack, 99);
            if (ackP99 > limit) {
                why = String.format("ack p99 %.1f ms > %.0f ms", ackP99, limit);
            } else if (step.errorCount() > 0) {
                why = step.errorCount() + " errors";
            } else if (step.completedPerSecond() < 0.9 * rate) {
                why = String.format("only %.0f/s completed", step.completedPerSecond());
            }
            verdicts.add(why);
            if (why != null) {
                return why + " at " + rate + "/s";
            }
        }
        return "all listed rates passed";
    }

    private static Bucket bestPassing(List<Bucket> steps, List<String> verdicts) {
        Bucket best = null;
        for (int i = 0; i < steps.size(); i++) {
            if (verdicts.get(i) == null && (best == null
                    || steps.get(i).completedPerSecond() > best.completedPerSecond())) {
                best = steps.get(i);
            }
        }
        return best;
    }

    /** {@code java -jar countersign.jar audit verify}: the hash chain of the audit trail. */
    private String auditVerify(Path jar, Path database) throws IOException, InterruptedException {
        return auditVerify(jar, database, "jdbc:sqlite:" + database);
    }

    private String auditVerify(Path jar, Path database, String url)
            throws IOException, InterruptedException {
        if (!options.flag("auditVerify")) {
            return "skipped";
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-jar", jar.toString(), "audit", "verify")
                .directory(database.getParent().toFile()).redirectErrorStream(true);
        builder.environment().put("DATABASE_URL", url);
        if (url.startsWith("jdbc:postgresql:")) {
            builder.environment().put("COUNTERSIGN_SECRET_KEY", StorageEngine.POSTGRES_KEY);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        String last = output.isEmpty() ? "" : output.substring(output.lastIndexOf('\n') + 1);
        return "exit " + process.exitValue() + ": " + last;
    }

    /** Starts a JFR recording of {@code scenario} if {@code jfr} asks for it; null if not. */
    private Path startJfr(App app, int scenario) throws IOException, InterruptedException {
        if (!options.profiles(scenario)) {
            return null;
        }
        String name = "scenario" + scenario;
        // Plus CPU-time sampling (JDK 25), which also counts time spent in native code.
        ChildJvm.jcmd(app.child.pid(), "JFR.start", "name=" + name, "settings=profile",
                "jdk.CPUTimeSample#enabled=true", "jdk.CPUTimeSample#throttle=10ms");
        return work.resolve(name + ".jfr");
    }

    /**
     * Stops the recording, keeps it in {@code target/bench/} and reads its hot spots, with CPU
     * shares turned into milliseconds per flow. JFR samples Java threads only, so the share is
     * of their CPU: the app's over the window less the JIT compiler's, the GC's and the VM's.
     */
    private List<String> stopJfr(App app, Path file, ChildJvm.Usage usage,
                                 Map<String, double[]> threads, int flows)
            throws IOException, InterruptedException {
        if (file == null) {
            return List.of();
        }
        String name = file.getFileName().toString().replace(".jfr", "");
        ChildJvm.jcmd(app.child.pid(), "JFR.stop", "name=" + name, "filename=" + file);
        Path kept = Path.of("target", "bench", file.getFileName().toString()).toAbsolutePath();
        Files.createDirectories(kept.getParent());
        Files.copy(file, kept, StandardCopyOption.REPLACE_EXISTING);
        List<String> lines = new ArrayList<>(List.of("recording: " + kept));
        double vmSeconds = threads.entrySet().stream().filter(pool -> vmThread(pool.getKey()))
                .mapToDouble(pool -> pool.getValue()[0] + pool.getValue()[1]).sum();
        double perFlow = flows == 0 ? 0 : 1000.0 / flows;
        double javaMsPerFlow = Math.max(0, usage.cpuSeconds() - vmSeconds) * perFlow;
        lines.add(String.format("app CPU %.2f ms/flow = JIT compiler, GC and VM threads %.2f + "
                        + "Java threads %.2f (the part JFR samples)", usage.cpuSeconds() * perFlow,
                vmSeconds * perFlow, javaMsPerFlow));
        lines.addAll(JfrHotSpots.read(file, javaMsPerFlow));
        return lines;
    }

    /** Threads of the JVM itself (names as {@link ChildJvm#threadCpu} folds them). */
    private static boolean vmThread(String name) {
        return name.contains("CompilerThre") || name.startsWith("GC Thread")
                || name.startsWith("G1 ") || name.startsWith("VM ") || name.startsWith("JFR ")
                || name.startsWith("Service Thread") || name.startsWith("Monitor Deflati");
    }

    /**
     * Ends a warm-up with a full collection, in both apps alike: the first collection of a JVM
     * page-faults its fresh survivor and old spaces (100–150 ms with a 256 MB young generation),
     * a one-off that belongs to start-up, not to a measured step.
     */
    private static void settle(ChildJvm child) throws IOException, InterruptedException {
        ChildJvm.jcmd(child.pid(), "GC.run");
    }

    /**
     * Two cores are shared by the app and the benchmark: anything else running skews every figure.
     * Waits (up to {@code quietWaitSeconds}) for a second in which other processes use under
     * 0.15 cores, and reports what it saw.
     */
    private void awaitQuietMachine() throws InterruptedException {
        long deadline = System.nanoTime() + options.integer("quietWaitSeconds") * 1_000_000_000L;
        double other;
        do {
            long machine = ChildJvm.machineBusyTicks();
            long bench = ChildJvm.benchCpuNanos();
            Thread.sleep(1000); // one-second sample of the machine's load
            other = (ChildJvm.machineBusyTicks() - machine) / 100.0
                    - (ChildJvm.benchCpuNanos() - bench) / 1e9;
        } while (other > 0.15 && System.nanoTime() < deadline);
        json.put("otherProcessesCpuCoresAtStart", Report.round(Math.max(0, other)));
        report.line("other processes at start: %.2f cores busy%s", Math.max(0, other),
                other > 0.15 ? " (machine not quiet: figures will be disturbed)" : " (quiet)");
    }

    private void upstreams(int slackMs, int signalWireMs) {
        slack.latency(Duration.ofMillis(slackMs));
        signalWire.latency(Duration.ofMillis(signalWireMs));
    }

    private Upstream upstream() {
        return new Upstream(slack.calls(), slack.server().connectionsOpened(),
                signalWire.server().connectionsOpened(), signalWire.starts(),
                signalWire.verifies(), signalWire.rejected());
    }

    /** The people of {@code enrollments} whose enrollment did not complete. */
    private static List<Flow.User> notEnrolled(Bucket enrollments) {
        return enrollments.flows.stream().filter(flow -> !flow.completed)
                .map(flow -> flow.user).distinct().toList();
    }

    /** The simulated people: each enrolls once, then flows go round-robin over them. */
    private List<Flow.User> users() {
        List<Flow.User> users = new ArrayList<>();
        for (int i = 0; i < options.integer("users"); i++) {
            users.add(Flow.User.number("UB", i));
        }
        return users;
    }

    // --- reporting --------------------------------------------------------------------------

    private void header(Path jar) {
        ObjectNode machine = json.put("benchmark", "countersign").put("date", RUN_DATE)
                .putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors())
                .put("cpu", cpuModel())
                .put("java", System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        String dockerfileFlags = dockerfileFlags();
        String flags = String.join(" ", childFlags);
        json.put("jar", jar.toString()).put("flags", options.text("flags"))
                .put("childJvmArgs", flags).put("dockerfileJvmArgs", dockerfileFlags)
                .put("dockerfileFlagsDiffer", !dockerfileFlags.equals(flags));
        json.putPOJO("options", new TreeMap<>(options.all()));
        report.line("Countersign benchmark, %s: %d cores (%s), %s", RUN_DATE,
                Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        int instances = options.integer("postgres");
        report.line("app: %s (flags=%s; HTTP mode, %s); %d users, each "
                        + "enrolled once; warm-up %s s at %s/s before measuring",
                String.join(" ", Stream.concat(Stream.of("java"), Stream.concat(childFlags.stream(),
                        Stream.of("-jar", jar.getFileName().toString()))).toList()),
                options.text("flags"), instances > 0 ? instances + " instances on one PostgreSQL "
                        + "schema, requests sent to each in turn; figures of the first instance"
                        : "SQLite file, default pragmas",
                options.integer("users"), options.text("warmup.seconds"),
                options.text("warmup.rate"));
        if (!dockerfileFlags.equals(flags)) {
            report.line("the Dockerfile's ENTRYPOINT runs it with other JVM flags: %s (not "
                    + "measured in this run; flags=dockerfile measures them)", dockerfileFlags);
        }
        report.line("latencies in ms from the intended send time (open loop), HdrHistogram");
    }

    /** Flags for every child JVM: {@code flags=plain|dockerfile}, then {@code jvm=…}. */
    private List<String> childFlags() throws IOException {
        List<String> flags = new ArrayList<>(switch (options.text("flags")) {
            case "plain" -> List.<String>of();
            case "dockerfile" -> DockerfileFlags.read(Path.of(options.text("dockerfile")));
            default -> throw new IllegalArgumentException("flags=" + options.text("flags")
                    + ": use plain (the README's java -jar) or dockerfile (its ENTRYPOINT's)");
        });
        flags.addAll(options.words("jvm"));
        return List.copyOf(flags);
    }

    /** The Dockerfile's JVM flags as one string, for the report; why not, if unreadable. */
    private String dockerfileFlags() {
        try {
            return String.join(" ", DockerfileFlags.read(Path.of(options.text("dockerfile"))));
        } catch (IOException unreadable) {
            return "unreadable: " + unreadable.getMessage();
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String secret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Override
    public void close() {
        driver.close();
        slack.close();
        signalWire.close();
        timer.shutdownNow();
    }
}
