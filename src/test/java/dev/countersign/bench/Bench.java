package dev.countersign.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
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
import org.HdrHistogram.Histogram;

/**
 * Countersign's load benchmark (issue 5). Starts the real app ({@code java -jar
 * target/countersign.jar}, HTTP mode, a SQLite file in a temp dir, default pragmas) as a child
 * JVM against a fake Slack Web API and a fake SignalWire served from this JVM, and drives complete
 * flows open-loop at fixed arrival rates:
 * <ol>
 *   <li>100 commands/s for 60 s with SignalWire start/verify taking 2 s and Slack 300 ms;</li>
 *   <li>upstreams instant, the rate stepped up until the command ack p99 passes 100 ms;</li>
 *   <li>the same stepped commands against a bare Bolt app on the same server stack
 *       ({@link BareBoltApp}) whose listener only acks: the framework's ceiling;</li>
 *   <li>start-up to ready and RSS, idle and under scenario 1.</li>
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
    private final StringBuilder out = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();
    private final List<Runnable> checks = new ArrayList<>();
    private boolean allMet = true;
    private boolean disturbed;

    /** A running app under test and every approval flow sent to it. */
    private static final class App {
        final String name;
        final ChildJvm child;
        final Path database;
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
    private record Upstream(Map<String, Long> slackCalls, long slackConnections,
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
        } catch (Exception e) {
            // Report what was measured so far, and why the rest is missing.
            section("BENCHMARK ABORTED: " + e);
            json.put("aborted", e.toString());
            allMet = false;
            if (app != null) {
                app.child.close();
            }
        }
        if (!checks.isEmpty()) {
            section("Correctness: the SQLite file, read after the app stopped");
            checks.forEach(Runnable::run);
        }
        json.put("lateEvents", driver.late()).put("unmatchedEvents", driver.unmatched());
        line("events for flows already given up (late, not errors): %d; events matching no flow: %d",
                driver.late(), driver.unmatched());
        summary(sustained, ceiling);
        json.put("benchSeconds", round((System.nanoTime() - started) / 1e9));
        System.out.print(out);
        System.out.println(JSON.writeValueAsString(json));
        return !allMet && options.flag("failOnMiss") ? 1 : 0;
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
        ChildJvm child = ChildJvm.start(name, options.words("jvm"), List.of("-jar", jar.toString()),
                env, dir, port, driver.http());
        driver.target(URI.create("http://127.0.0.1:" + port + "/slack/events"), secret);
        return new App(name, child, database);
    }

    /** Stops the app, reads its SQLite file and verifies its audit chain. */
    private void finish(Path jar, App app) throws Exception {
        upstreams(0, 0);
        app.exitCode = app.child.stop();
        app.snapshot = DatabaseCheck.read(app.database, app.approvals);
        app.audit = auditVerify(jar, app.database);
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

    /** Scenario 1. */
    private void scenario1(App app) throws Exception {
        int rate = options.integer("s1.rate");
        int seconds = options.integer("s1.seconds");
        int slackMs = options.integer("s1.slackLatencyMs");
        int signalWireMs = options.integer("s1.signalWireLatencyMs");
        upstreams(slackMs, signalWireMs);
        Upstream before = upstream();
        Path jfr = startJfr(app, "scenario1");
        app.child.markWindow();
        Bucket run = driver.run("s1", Flow.Kind.APPROVE, rate, rate * seconds, users());
        driver.drain(run, Duration.ofSeconds(options.integer("s1.drainSeconds")));
        ChildJvm.Usage usage = app.child.window();
        Map<String, double[]> threads = app.child.threadCpu();
        List<String> hotSpots = stopJfr(app, jfr);
        Upstream after = upstream();
        upstreams(0, 0);
        app.buckets.add(run);
        app.approvals.addAll(run.flows);

        ObjectNode node = json.putObject("scenario1");
        node.put("rate", rate).put("seconds", seconds).put("slackLatencyMs", slackMs)
                .put("signalWireLatencyMs", signalWireMs).put("users", options.integer("users"));
        flows(node, run, true);
        child(node.putObject("child"), app.child, usage, run.scheduledCount())
                .put("startupMs", app.child.startupMillis())
                .put("idleRssMb", mb(app.idleRssKb));
        upstreamDelta(node, before, after);
        phases(node, app);
        hotSpots(node, hotSpots);

        section("Scenario 1: " + rate + " commands/s for " + seconds + " s; SignalWire start+verify "
                + signalWireMs + " ms, Slack API " + slackMs + " ms; " + options.integer("users")
                + " users");
        latencyTable(run, true);
        line("flows %d, completed %d (%.1f/s), errors %d %s, HTTP 5xx %d, driver lag p99 %.1f ms",
                run.scheduledCount(), run.completed.get(), run.completedPerSecond(),
                run.errorCount(), run.errors().isEmpty() ? "" : run.errors(), run.http5xx.sum(),
                ms(run.lag, 99));
        samples(run);
        childLine(app.child, usage, run.scheduledCount());
        threadLine(node.with("child"), threads);
        line("start-up to /healthz 200: %d ms; idle RSS %d MB", app.child.startupMillis(),
                mb(app.idleRssKb));
        upstreamLine(before, after);
        phaseLines(app);
        hotSpotLines(hotSpots);

        target("S1 command ack p99", "≤ 50 ms", ms(run.ack, 99), ms(run.ack, 99) <= 50);
        target("S1 command → views.open p99", "≤ 150 ms", ms(run.open, 99),
                ms(run.open, 99) <= 150);
        target("S1 submission answer p99", "≤ 2500 ms", ms(run.answer, 99),
                ms(run.answer, 99) <= 2500);
        checks.add(() -> {
            DatabaseCheck db = app.snapshot.check(run.flows);
            database(node, db, app.audit);
            databaseLine("scenario 1", db, app.audit);
            boolean clean = run.errorCount() == 0 && run.http5xx.sum() == 0 && db.ok()
                    && run.completed.get() == run.scheduledCount();
            targetText("S1 errors (not approved exactly once, 5xx, refusals)", "0",
                    run.errorCount() + (db.ok() ? "" : " + DB check failed"), clean);
        });
        long startup = app.child.startupMillis();
        long idleRss = mb(app.idleRssKb);
        long loadRss = mb(usage.maxRssKb());
        json.putObject("scenario4").put("startupMs", startup).put("idleRssMb", idleRss)
                .put("rssUnderScenario1Mb", loadRss).put("vmHwmUnderScenario1Mb", mb(usage.hwmKb()));
        target("S4 start-up to /healthz 200", "≤ 2000 ms", startup, startup <= 2000);
        target("S4 RSS idle", "≤ 300 MB", idleRss, idleRss <= 300);
        target("S4 RSS under scenario 1 (peak)", "≤ 300 MB", loadRss, loadRss <= 300);
    }

    /** Stepped, upstreams instant; returns the sustained complete flows/s. */
    private double scenario2(App app) throws Exception {
        upstreams(0, 0);
        Upstream before = upstream();
        Path jfr = startJfr(app, "scenario2");
        app.child.markWindow();
        List<Bucket> steps = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        String stoppedBy = stepUp("s2", Flow.Kind.APPROVE, options.integers("s2.rates"),
                options.decimal("s2.stepSeconds"), options.integer("s2.maxSeconds"),
                options.integer("s2.drainSeconds"), users(), steps, verdicts);
        ChildJvm.Usage usage = app.child.window();
        Map<String, double[]> threads = app.child.threadCpu();
        List<String> hotSpots = stopJfr(app, jfr);
        Upstream after = upstream();
        app.buckets.addAll(steps);
        steps.forEach(step -> app.approvals.addAll(step.flows));
        int flows = steps.stream().mapToInt(Bucket::scheduledCount).sum();

        Bucket best = bestPassing(steps, verdicts);
        double sustained = best == null ? 0 : best.completedPerSecond();
        ObjectNode node = json.putObject("scenario2");
        node.put("sustainedFlowsPerSecond", round(sustained))
                .put("sustainedOfferedRate", best == null ? 0 : best.rate)
                .put("stoppedBy", stoppedBy).put("stepSeconds", options.decimal("s2.stepSeconds"))
                .put("app", app.name);
        steps(node, steps, verdicts, true);
        child(node.putObject("child"), app.child, usage, flows);
        upstreamDelta(node, before, after);
        if (!"app1".equals(app.name)) {
            phases(node, app);
        }
        hotSpots(node, hotSpots);

        section("Scenario 2: upstreams instant, rate stepped every " + options.text("s2.stepSeconds")
                + " s until command ack p99 > " + options.text("ackLimitMs") + " ms (" + app.name
                + ", warm)");
        stepTable(steps, verdicts, true);
        line("stopped by: %s", stoppedBy);
        line("sustained complete flows/s: %.1f (highest passing step: %s/s offered)", sustained,
                best == null ? "none" : fmt(best.rate));
        steps.forEach(this::samples);
        childLine(app.child, usage, flows);
        threadLine(node.with("child"), threads);
        upstreamLine(before, after);
        if (!"app1".equals(app.name)) {
            phaseLines(app);
        }
        hotSpotLines(hotSpots);
        target("S2 sustained complete flows/s", "≥ 500", sustained, sustained >= 500);
        List<Flow> all = steps.stream().flatMap(step -> step.flows.stream()).toList();
        checks.add(() -> {
            DatabaseCheck db = app.snapshot.check(all);
            database(node, db, app.audit);
            databaseLine("scenario 2", db, app.audit);
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
        ChildJvm child = ChildJvm.start("bare-bolt", options.words("jvm"), program, env, dir,
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
        node.put("ceilingAcksPerSecond", round(ceiling))
                .put("ceilingOfferedRate", best == null ? 0 : best.rate)
                .put("stoppedBy", stoppedBy).put("stepSeconds", options.decimal("bare.stepSeconds"))
                .put("startupMs", child.startupMillis())
                .put("warmUpAckP99Ms", ms(warmUp.ack, 99));
        steps(node, steps, verdicts, false);
        child(node.putObject("child"), child, usage, commands);

        section("Scenario 3: bare Bolt app (Bolt 1.46 + bolt-jakarta-servlet on Jetty 12 ee10, "
                + "listener only acks), rate stepped every " + options.text("bare.stepSeconds")
                + " s");
        stepTable(steps, verdicts, false);
        line("stopped by: %s", stoppedBy);
        line("ceiling: %.1f acks/s (highest passing step: %s/s offered); start-up %d ms", ceiling,
                best == null ? "none" : fmt(best.rate), child.startupMillis());
        childLine(child, usage, commands);
        threadLine(node.with("child"), threads);
        return ceiling;
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
            double ackP99 = ms(step.ack, 99);
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
        if (!options.flag("auditVerify")) {
            return "skipped";
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-jar", jar.toString(), "audit", "verify")
                .directory(database.getParent().toFile()).redirectErrorStream(true);
        builder.environment().put("DATABASE_URL", "jdbc:sqlite:" + database);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        String last = output.isEmpty() ? "" : output.substring(output.lastIndexOf('\n') + 1);
        return "exit " + process.exitValue() + ": " + last;
    }

    private Path startJfr(App app, String name) throws IOException, InterruptedException {
        if (!options.flag("jfr")) {
            return null;
        }
        jcmd(app.child.pid(), "JFR.start", "name=" + name, "settings=profile");
        return work.resolve(name + ".jfr");
    }

    private List<String> stopJfr(App app, Path file) throws IOException, InterruptedException {
        if (file == null) {
            return List.of();
        }
        String name = file.getFileName().toString().replace(".jfr", "");
        jcmd(app.child.pid(), "JFR.stop", "name=" + name, "filename=" + file);
        Path kept = Path.of("target", "bench", file.getFileName().toString()).toAbsolutePath();
        Files.createDirectories(kept.getParent());
        Files.copy(file, kept, StandardCopyOption.REPLACE_EXISTING);
        List<String> lines = new ArrayList<>(List.of("recording: " + kept));
        lines.addAll(JfrHotSpots.read(file));
        return lines;
    }

    /**
     * Ends a warm-up with a full collection, in both apps alike: the first collection of a JVM
     * page-faults its fresh survivor and old spaces (100–150 ms with a 256 MB young generation),
     * a one-off that belongs to start-up, not to a measured step.
     */
    private static void settle(ChildJvm child) throws IOException, InterruptedException {
        jcmd(child.pid(), "GC.run");
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
                "bin", "jcmd").toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor(30, TimeUnit.SECONDS);
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
        json.put("otherProcessesCpuCoresAtStart", round(Math.max(0, other)));
        line("other processes at start: %.2f cores busy%s", Math.max(0, other),
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
        json.put("jar", jar.toString()).put("childJvmArgs", options.text("jvm"));
        json.putPOJO("options", new TreeMap<>(options.all()));
        line("Countersign benchmark, %s: %d cores (%s), %s", RUN_DATE,
                Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        line("app: java %s -jar %s (HTTP mode, SQLite file, default pragmas); %d users, each "
                        + "enrolled once; warm-up %s s at %s/s before measuring", options.text("jvm"),
                jar.getFileName(), options.integer("users"), options.text("warmup.seconds"),
                options.text("warmup.rate"));
        line("latencies in ms from the intended send time (open loop), HdrHistogram");
    }

    private void summary(double sustained, double ceiling) {
        if (sustained >= 0 && ceiling > 0) {
            double ratio = sustained / ceiling;
            json.put("ratioToBareBolt", Math.round(ratio * 1000) / 1000.0);
            target("S2/S3 ratio to bare-Bolt ceiling", "≥ 0.30", Math.round(ratio * 1000) / 1000.0,
                    ratio >= 0.3);
        }
        section("Targets");
        ArrayNode list = json.putArray("targets");
        for (String[] target : targets) {
            line("  %-55s %-10s %14s   %s", target[0], target[1], target[2], target[3]);
            list.addObject().put("name", target[0]).put("target", target[1])
                    .put("measured", target[2]).put("met", target[3].equals("met"));
        }
        json.put("allTargetsMet", allMet);
        json.put("machineDisturbed", disturbed);
        if (disturbed) {
            line("WARNING: other processes used CPU during a measured window (see 'machine over the "
                    + "window' lines): rerun on a quiet machine before trusting these figures.");
        }
        line("bench ran %.0f s", (System.nanoTime() - started) / 1e9);
    }

    private void target(String name, String goal, double measured, boolean met) {
        targetText(name, goal, fmt(measured), met);
    }

    private void targetText(String name, String goal, String measured, boolean met) {
        targets.add(new String[] {name, goal, measured, met ? "met" : "MISSED"});
        allMet &= met;
    }

    private void flows(ObjectNode node, Bucket bucket, boolean full) {
        node.put("flows", bucket.scheduledCount()).put("completed", bucket.completed.get())
                .put("completedPerSecond", round(bucket.completedPerSecond()))
                .put("errors", bucket.errorCount()).put("http5xx", bucket.http5xx.sum());
        node.putPOJO("errorKinds", bucket.errors());
        latency(node, "ackMs", bucket.ack);
        if (full) {
            latency(node, "viewsOpenMs", bucket.open);
            latency(node, "signalWireStartMs", bucket.start);
            latency(node, "viewsUpdateMs", bucket.update);
            latency(node, "submissionAnswerMs", bucket.answer);
            latency(node, "flowMs", bucket.complete);
        }
        latency(node, "driverLagMs", bucket.lag);
    }

    private void steps(ObjectNode node, List<Bucket> steps, List<String> verdicts, boolean full) {
        ArrayNode stepNodes = node.putArray("steps");
        for (int i = 0; i < steps.size(); i++) {
            ObjectNode step = stepNodes.addObject();
            step.put("rate", steps.get(i).rate);
            flows(step, steps.get(i), full);
            step.put("pass", verdicts.get(i) == null);
            step.put("why", verdicts.get(i));
        }
    }

    private static void latency(ObjectNode node, String name, Histogram histogram) {
        node.putObject(name).put("p50", ms(histogram, 50)).put("p99", ms(histogram, 99))
                .put("max", histogram.getTotalCount() == 0 ? 0
                        : round(histogram.getMaxValue() / 1000.0))
                .put("count", histogram.getTotalCount());
    }

    private static ObjectNode child(ObjectNode node, ChildJvm child, ChildJvm.Usage usage,
                                    int flows) {
        return node.put("pid", child.pid()).put("peakRssMb", mb(usage.maxRssKb()))
                .put("vmHwmMb", mb(usage.hwmKb()))
                .put("peakHeapUsedMb", usage.peakHeapUsedKb() < 0 ? -1 : mb(usage.peakHeapUsedKb()))
                .put("heapCommittedMb", usage.maxHeapCommittedKb() < 0 ? -1
                        : mb(usage.maxHeapCommittedKb()))
                .put("gcPauses", usage.gcPauses()).put("gcPauseMaxMs", round(usage.gcPauseMaxMs()))
                .put("gcPauseTotalMs", round(usage.gcPauseTotalMs()))
                .put("threadsMax", usage.maxThreads()).put("cpuSeconds", round(usage.cpuSeconds()))
                .put("cpuMsPerFlow", flows == 0 ? 0 : round(usage.cpuSeconds() * 1000 / flows))
                .put("cpuCoresBusy", round(usage.cpuSeconds() / usage.seconds()))
                .put("benchCpuCoresBusy", round(usage.benchCpuSeconds() / usage.seconds()))
                .put("otherProcessesCpuCores", round(usage.otherCpuSeconds() / usage.seconds()))
                .put("windowSeconds", round(usage.seconds()));
    }

    private static void database(ObjectNode node, DatabaseCheck db, String audit) {
        node.putObject("database").put("ok", db.ok()).put("flowsChecked", db.flowsChecked())
                .put("flowsNotApproved", db.flowsNotApproved())
                .put("flowsWithoutRequestId", db.flowsWithoutRequestId())
                .put("requestsWithoutExactlyOneApprovedRow",
                        db.requestsWithoutExactlyOneApprovedRow())
                .put("strayRequests", db.strayRequests())
                .put("paymentRequestsInFile", db.paymentRequests())
                .put("auditRows", db.auditRows()).put("auditVerify", audit)
                .putPOJO("byStatus", db.byStatus());
    }

    private static void upstreamDelta(ObjectNode node, Upstream before, Upstream after) {
        ObjectNode up = node.putObject("upstream");
        ObjectNode calls = up.putObject("slackCalls");
        after.slackCalls().forEach((method, count) ->
                calls.put(method, count - before.slackCalls().getOrDefault(method, 0L)));
        up.put("slackConnectionsOpened", after.slackConnections() - before.slackConnections())
                .put("signalWireConnectionsOpened",
                        after.signalWireConnections() - before.signalWireConnections())
                .put("signalWireStarts", after.starts() - before.starts())
                .put("signalWireVerifies", after.verifies() - before.verifies())
                .put("signalWireRejected", after.rejected() - before.rejected());
    }

    /** The app's enrollment and warm-up phases (cold JIT: not held to the targets). */
    private void phases(ObjectNode node, App app) {
        for (Bucket phase : List.of(app.enroll, app.warmUp)) {
            ObjectNode phaseNode = node.putObject(phase == app.enroll ? "enrollment" : "warmUp");
            phaseNode.put("rate", phase.rate);
            flows(phaseNode, phase, true);
        }
    }

    private void phaseLines(App app) {
        for (Bucket phase : List.of(app.enroll, app.warmUp)) {
            line("%s (cold, upstreams instant, not held to targets): %d flows at %.0f/s, %d "
                            + "completed, ack p99 %.1f ms, flow p99 %.1f ms, errors %d %s",
                    phase.name, phase.scheduledCount(), phase.rate, phase.completed.get(),
                    ms(phase.ack, 99), ms(phase == app.enroll ? phase.answer : phase.complete, 99),
                    phase.errorCount(), phase.errors().isEmpty() ? "" : phase.errors());
            samples(phase);
        }
    }

    private static void hotSpots(ObjectNode node, List<String> lines) {
        if (!lines.isEmpty()) {
            ArrayNode array = node.putArray("jfrHotSpots");
            lines.stream().limit(60).forEach(array::add);
        }
    }

    private void latencyTable(Bucket bucket, boolean full) {
        line("  %-40s %9s %9s %9s %8s", "latency (ms)", "p50", "p99", "max", "count");
        latencyRow("command ack", bucket.ack);
        if (full) {
            latencyRow("command → views.open arrived", bucket.open);
            latencyRow("command → SignalWire start arrived", bucket.start);
            latencyRow("command → views.update arrived", bucket.update);
            latencyRow("view_submission → answer", bucket.answer);
            latencyRow("command → approval posted (whole flow)", bucket.complete);
        }
    }

    private void latencyRow(String name, Histogram histogram) {
        line("  %-40s %9.1f %9.1f %9.1f %8d", name, ms(histogram, 50), ms(histogram, 99),
                histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0,
                histogram.getTotalCount());
    }

    private void stepTable(List<Bucket> steps, List<String> verdicts, boolean full) {
        if (full) {
            line("  %6s %6s %8s %8s %8s %8s %8s %8s %8s %8s %6s %7s  %s", "rate/s", "flows",
                    "ack p50", "ack p99", "ack max", "open p99", "start99", "answ p99",
                    "flow p99", "done/s", "errors", "lag p99", "verdict");
        } else {
            line("  %6s %6s %8s %8s %8s %8s %6s %7s  %s", "rate/s", "cmds", "ack p50", "ack p99",
                    "ack max", "acks/s", "errors", "lag p99", "verdict");
        }
        for (int i = 0; i < steps.size(); i++) {
            Bucket step = steps.get(i);
            String verdict = verdicts.get(i) == null ? "pass" : "FAIL: " + verdicts.get(i);
            double max = step.ack.getTotalCount() == 0 ? 0 : step.ack.getMaxValue() / 1000.0;
            if (full) {
                line("  %6.0f %6d %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %6d %7.1f  %s",
                        step.rate, step.scheduledCount(), ms(step.ack, 50), ms(step.ack, 99), max,
                        ms(step.open, 99), ms(step.start, 99), ms(step.answer, 99),
                        ms(step.complete, 99), step.completedPerSecond(), step.errorCount(),
                        ms(step.lag, 99), verdict);
            } else {
                line("  %6.0f %6d %8.1f %8.1f %8.1f %8.1f %6d %7.1f  %s", step.rate,
                        step.scheduledCount(), ms(step.ack, 50), ms(step.ack, 99), max,
                        step.completedPerSecond(), step.errorCount(), ms(step.lag, 99), verdict);
            }
        }
    }

    private void threadLine(ObjectNode node, Map<String, double[]> pools) {
        ObjectNode cpu = node.putObject("threadCpuSeconds");
        StringBuilder text = new StringBuilder();
        pools.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1],
                        a.getValue()[0] + a.getValue()[1]))
                .forEach(entry -> {
                    double[] value = entry.getValue();
                    cpu.putObject(entry.getKey()).put("user", round(value[0]))
                            .put("system", round(value[1]));
                    if (value[0] + value[1] >= 0.2) {
                        text.append(String.format("%s %.1f+%.1f s, ", entry.getKey(), value[0],
                                value[1]));
                    }
                });
        line("app CPU by thread (user+system, ≥ 0.2 s): %s", text.length() == 0 ? "-"
                : text.substring(0, text.length() - 2));
    }

    private void childLine(ChildJvm child, ChildJvm.Usage usage, int flows) {
        line("child pid %d: peak RSS %d MB (VmHWM %d MB), peak heap used %s MB (committed %s MB), "
                        + "GC pauses %d (max %.1f ms, total %.0f ms), threads max %d, CPU %.1f s "
                        + "(%.2f cores, %.2f ms/flow)", child.pid(), mb(usage.maxRssKb()),
                mb(usage.hwmKb()), usage.peakHeapUsedKb() < 0 ? "n/a" : mb(usage.peakHeapUsedKb()),
                usage.maxHeapCommittedKb() < 0 ? "n/a" : mb(usage.maxHeapCommittedKb()),
                usage.gcPauses(), usage.gcPauseMaxMs(), usage.gcPauseTotalMs(), usage.maxThreads(),
                usage.cpuSeconds(), usage.cpuSeconds() / usage.seconds(),
                flows == 0 ? 0 : usage.cpuSeconds() * 1000 / flows);
        double other = usage.otherCpuSeconds() / usage.seconds();
        line("machine over the window (%.0f s): app %.2f cores, benchmark JVM %.2f cores, other "
                        + "processes %.2f cores%s", usage.seconds(), usage.cpuSeconds() / usage.seconds(),
                usage.benchCpuSeconds() / usage.seconds(), other,
                other > 0.15 ? "  <-- WARNING: the machine was not quiet; figures are disturbed"
                        : "");
        if (other > 0.15) {
            disturbed = true;
        }
    }

    private void databaseLine(String what, DatabaseCheck db, String audit) {
        line("%s: %s; %d flows checked: %d not APPROVED, %d without request id, %d without "
                        + "exactly one request.approved row; %d stray requests in the file; all "
                        + "payment requests %s; audit rows %d; audit verify %s", what,
                db.ok() ? "OK" : "FAILED", db.flowsChecked(), db.flowsNotApproved(),
                db.flowsWithoutRequestId(), db.requestsWithoutExactlyOneApprovedRow(),
                db.strayRequests(), db.byStatus(), db.auditRows(), audit);
    }

    private void upstreamLine(Upstream before, Upstream after) {
        Map<String, Long> calls = new LinkedHashMap<>();
        after.slackCalls().forEach((method, count) -> {
            long delta = count - before.slackCalls().getOrDefault(method, 0L);
            if (delta != 0) {
                calls.put(method, delta);
            }
        });
        line("upstream: Slack calls %s; new TCP connections: Slack %d, SignalWire %d; SignalWire "
                        + "starts %d, verifies %d, rejected %d", calls,
                after.slackConnections() - before.slackConnections(),
                after.signalWireConnections() - before.signalWireConnections(),
                after.starts() - before.starts(), after.verifies() - before.verifies(),
                after.rejected() - before.rejected());
    }

    private void samples(Bucket bucket) {
        for (String sample : bucket.samples()) {
            line("  e.g. [%s] %s", bucket.name, sample);
        }
    }

    private void hotSpotLines(List<String> lines) {
        if (!lines.isEmpty()) {
            line("JFR of the measured window:");
            lines.forEach(text -> line("  %s", text));
        }
    }

    private void section(String title) {
        out.append('\n').append(title).append('\n');
    }

    private void line(String format, Object... args) {
        out.append(String.format(format, args)).append('\n');
    }

    static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0
                : round(histogram.getValueAtPercentile(percentile) / 1000.0);
    }

    private static long mb(long kb) {
        return kb < 0 ? -1 : Math.round(kb / 1024.0);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value)
                : String.format("%.1f", value);
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
