package dev.countersign.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM under test, started as a child process: the real app ({@code java -jar countersign.jar})
 * or the bare Bolt app. Measures start-up to the first 200 from {@code /healthz}, samples the
 * process's memory ({@code /proc/<pid>/status}: VmRSS, VmHWM, Threads) and CPU time
 * ({@code /proc/<pid>/stat}) every 200 ms, and reads its heap use from its GC log (heap used
 * before and after each collection). The GC log is switched on once the JVM is ready, with
 * {@code jcmd <pid> VM.log}, so that the command line carries only the flags asked for: the app
 * runs exactly as its README starts it.
 */
final class ChildJvm implements AutoCloseable {

    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final Pattern GC_LINE = Pattern.compile(
            "\\[(\\d+)ms\\].*GC\\(\\d+\\) Pause.*?(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)"
                    + " ([0-9.]+)ms");

    /** Memory and CPU of the child over a window of the run. */
    record Usage(long maxRssKb, long hwmKb, int maxThreads, double cpuSeconds, double seconds,
                 long peakHeapUsedKb, long maxHeapCommittedKb, int gcPauses, double gcPauseMaxMs,
                 double gcPauseTotalMs, double benchCpuSeconds, double machineBusySeconds) {

        /** CPU that neither the app nor the benchmark used: other processes on the machine. */
        double otherCpuSeconds() {
            return Math.max(0, machineBusySeconds - cpuSeconds - benchCpuSeconds);
        }
    }

    private final String name;
    private final Process process;
    private final long spawned;
    private final Path gcLog;
    private final ScheduledExecutorService sampler;
    private volatile long startupMillis = -1;
    private volatile long windowMaxRssKb;
    private volatile int windowMaxThreads;
    private volatile long windowStart;
    private volatile long windowCpuTicks;
    private volatile long windowMachineTicks;
    private volatile long windowBenchNanos;
    private volatile Map<Long, long[]> windowThreads = Map.of();

    private ChildJvm(String name, Process process, long spawned, Path gcLog) {
        this.name = name;
        this.process = process;
        this.spawned = spawned;
        this.gcLog = gcLog;
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sample-" + name);
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, 200, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts {@code java <jvmArgs> <program>} in {@code dir} with only {@code env} (plus PATH,
     * HOME, LANG), logging to {@code dir/<name>.log}, and waits for {@code /healthz} on
     * {@code port}.
     */
    static ChildJvm start(String name, List<String> jvmArgs, List<String> program,
                          Map<String, String> env, Path dir, int port, HttpClient http)
            throws IOException, InterruptedException {
        Path gcLog = dir.resolve(name + "-gc.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(program);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> childEnv = builder.environment();
        Map<String, String> keep = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin"),
                "HOME", System.getenv().getOrDefault("HOME", "/tmp"),
                "LANG", System.getenv().getOrDefault("LANG", "C.UTF-8"));
        childEnv.clear();
        childEnv.putAll(keep);
        childEnv.putAll(env);
        long spawned = System.nanoTime();
        ChildJvm child = new ChildJvm(name, builder.start(), spawned, gcLog);
        child.awaitHealthy(port, http, Duration.ofSeconds(60));
        child.startGcLog();
        return child;
    }

    /** GC pauses from now on, with JVM uptime, to {@link #gcLog}: what {@code -Xlog:gc} gives. */
    private void startGcLog() throws IOException, InterruptedException {
        String answer = jcmd(pid(), "VM.log", "output=file=" + gcLog, "what=gc",
                "decorators=uptimemillis");
        if (!answer.contains("successfully")) {
            // Heap and pause figures will read n/a; everything else is still measured.
            System.err.println("GC log of " + name + " not switched on: " + answer.trim());
        }
    }

    /** Runs {@code jcmd <pid> <command…>} with this JDK's jcmd; returns what it printed. */
    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
                "bin", "jcmd").toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return output;
    }

    private void awaitHealthy(int port, HttpClient http, Duration timeout)
            throws InterruptedException, IOException {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/healthz")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = spawned + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue()
                        + " before it was ready; see its log");
            }
            try {
                HttpResponse<Void> response = http.send(health, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    startupMillis = (System.nanoTime() - spawned) / 1_000_000;
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10); // polling interval for readiness
        }
        process.destroyForcibly();
        throw new IOException(name + " not ready within " + timeout.toSeconds() + " s");
    }

    long pid() {
        return process.pid();
    }

    /** Spawn to the first 200 from {@code /healthz}. */
    long startupMillis() {
        return startupMillis;
    }

    long rssKb() {
        return status("VmRSS:");
    }

    /** Starts a measurement window: peak RSS, threads and CPU are counted from now. */
    void markWindow() {
        windowStart = System.nanoTime();
        windowCpuTicks = cpuTicks();
        windowMachineTicks = machineBusyTicks();
        windowBenchNanos = benchCpuNanos();
        windowThreads = threads();
        windowMaxRssKb = rssKb();
        windowMaxThreads = (int) status("Threads:");
    }

    /** Usage since {@link #markWindow()}; heap figures from the GC log over the same span. */
    Usage window() {
        sample();
        long now = System.nanoTime();
        double cpu = (cpuTicks() - windowCpuTicks) / (double) CLOCK_TICKS_PER_SECOND;
        long fromMs = (windowStart - spawned) / 1_000_000;
        long toMs = (now - spawned) / 1_000_000;
        long peakUsed = -1;
        long maxCommitted = -1;
        int pauses = 0;
        double pauseMax = 0;
        double pauseTotal = 0;
        for (long[] gc : gcEvents()) {
            if (gc[0] < fromMs || gc[0] > toMs) {
                continue;
            }
            peakUsed = Math.max(peakUsed, gc[1]);
            maxCommitted = Math.max(maxCommitted, gc[3]);
            pauses++;
            double pauseMs = gc[4] / 1000.0;
            pauseMax = Math.max(pauseMax, pauseMs);
            pauseTotal += pauseMs;
        }
        return new Usage(windowMaxRssKb, status("VmHWM:"), windowMaxThreads, cpu,
                (now - windowStart) / 1e9, peakUsed, maxCommitted, pauses, pauseMax, pauseTotal,
                (benchCpuNanos() - windowBenchNanos) / 1e9,
                (machineBusyTicks() - windowMachineTicks) / (double) CLOCK_TICKS_PER_SECOND);
    }

    /** Each GC pause: uptime ms, used before (KB), used after (KB), committed (KB), pause µs. */
    private List<long[]> gcEvents() {
        List<long[]> events = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(gcLog);
        } catch (IOException e) {
            return events;
        }
        for (String line : lines) {
            Matcher gc = GC_LINE.matcher(line);
            if (gc.find()) {
                events.add(new long[] {Long.parseLong(gc.group(1)), kb(gc.group(2), gc.group(3)),
                    kb(gc.group(4), gc.group(5)), kb(gc.group(6), gc.group(7)),
                    Math.round(Double.parseDouble(gc.group(8)) * 1000)});
            }
        }
        return events;
    }

    private static long kb(String value, String unit) {
        long number = Long.parseLong(value);
        return switch (unit) {
            case "G" -> number * 1024 * 1024;
            case "M" -> number * 1024;
            default -> number;
        };
    }

    private void sample() {
        long rss = rssKb();
        if (rss > windowMaxRssKb) {
            windowMaxRssKb = rss;
        }
        int threads = (int) status("Threads:");
        if (threads > windowMaxThreads) {
            windowMaxThreads = threads;
        }
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process has ended
        }
        return -1;
    }

    /** utime + stime in clock ticks. */
    private long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /**
     * CPU seconds (user, system) per thread pool since {@link #markWindow()}, from
     * {@code /proc/<pid>/task/*}: thread names with digits folded ({@code http-N},
     * {@code slack-io-N}, {@code C2 CompilerThreN}). Threads that ended inside the window are
     * missing, so this undercounts short-lived threads.
     */
    Map<String, double[]> threadCpu() {
        Map<Long, long[]> start = windowThreads;
        Map<String, double[]> pools = new java.util.TreeMap<>();
        Map<Long, String> names = new java.util.HashMap<>();
        Map<Long, long[]> now = threads(names);
        now.forEach((tid, ticks) -> {
            long[] before = start.getOrDefault(tid, new long[2]);
            double[] pool = pools.computeIfAbsent(names.get(tid), name -> new double[2]);
            pool[0] += (ticks[0] - before[0]) / (double) CLOCK_TICKS_PER_SECOND;
            pool[1] += (ticks[1] - before[1]) / (double) CLOCK_TICKS_PER_SECOND;
        });
        pools.values().removeIf(cpu -> cpu[0] + cpu[1] < 0.005);
        return pools;
    }

    private Map<Long, long[]> threads() {
        return threads(null);
    }

    /** Per thread id: utime and stime in clock ticks; fills {@code names} when given. */
    private Map<Long, long[]> threads(Map<Long, String> names) {
        Map<Long, long[]> ticks = new java.util.HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid()), "task");
        try (java.util.stream.Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long tid = Long.parseLong(task.getFileName().toString());
                    ticks.put(tid, new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])});
                    if (names != null) {
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        names.put(tid, name.replaceAll("[0-9]+", "N"));
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while we looked
                }
            });
        } catch (IOException | RuntimeException gone) {
            // the process has ended
        }
        return ticks;
    }

    /** Busy CPU time of the whole machine ({@code /proc/stat}: all but idle and iowait). */
    static long machineBusyTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU time of this (the benchmark's) JVM. */
    static long benchCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** SIGTERM (the app's shutdown hook closes the database), then waits; returns the exit code. */
    int stop() {
        sampler.shutdownNow();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        } catch (IllegalThreadStateException stillRunning) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }
}
