package dev.countersign.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's knobs: defaults here, overridden by system properties {@code -Dbench.<key>=…}
 * and then by arguments {@code <key>=<value>}, one per argument (with Maven:
 * {@code -Dbench.args="s1.seconds=20 'jvm=-Xmx256m -XX:+UseSerialGC'"}).
 *
 * <p>{@code flags}: {@code plain} runs the app as the README does ({@code java -jar …}, no JVM
 * flags); {@code dockerfile} adds the flags of the Dockerfile's {@code ENTRYPOINT}, read when the
 * benchmark starts. {@code jvm} adds flags after either (experiments). {@code jfr}: {@code true}
 * records every measured scenario of the app, or a list of scenarios ({@code jfr=2}).
 */
final class BenchOptions {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("jar", "target/countersign.jar");
        DEFAULTS.put("flags", "plain");
        DEFAULTS.put("dockerfile", "Dockerfile");
        DEFAULTS.put("jvm", "");
        DEFAULTS.put("scenarios", "1,2,3,5");
        DEFAULTS.put("s1.rate", "100");
        DEFAULTS.put("s1.seconds", "60");
        DEFAULTS.put("s1.slackLatencyMs", "300");
        DEFAULTS.put("s1.signalWireLatencyMs", "2000");
        DEFAULTS.put("s1.drainSeconds", "15");
        DEFAULTS.put("s2.rates", "50,100,150,200,300,400,500,600,800,1000");
        DEFAULTS.put("s2.stepSeconds", "4");
        DEFAULTS.put("s2.maxSeconds", "32");
        DEFAULTS.put("s2.drainSeconds", "5");
        DEFAULTS.put("bare.rates", "200,400,600,800,1000,1200,1500,2000,2500,3000");
        DEFAULTS.put("bare.stepSeconds", "5");
        DEFAULTS.put("bare.maxSeconds", "50");
        DEFAULTS.put("s5.rate", "300");
        DEFAULTS.put("s5.seconds", "20");
        DEFAULTS.put("s5.slackLatencyMs", "300");
        DEFAULTS.put("s5.signalWireLatencyMs", "2000");
        DEFAULTS.put("s5.drainSeconds", "30");
        DEFAULTS.put("s5.ackWithinMs", "3000");
        DEFAULTS.put("s5.modalWithinMs", "3000");
        DEFAULTS.put("s5.busyWithinMs", "5000");
        DEFAULTS.put("s5.idleSeconds", "60");
        DEFAULTS.put("ackLimitMs", "100");
        DEFAULTS.put("users", "400");
        DEFAULTS.put("enroll.rate", "100");
        DEFAULTS.put("warmup.rate", "60");
        DEFAULTS.put("warmup.seconds", "10");
        DEFAULTS.put("bare.warmupRate", "500");
        DEFAULTS.put("bare.warmupSeconds", "5");
        DEFAULTS.put("idleSeconds", "2");
        DEFAULTS.put("thinkMs", "0");
        DEFAULTS.put("triggerTtlMs", "3000");
        DEFAULTS.put("jfr", "false");
        DEFAULTS.put("auditVerify", "true");
        DEFAULTS.put("keep", "false");
        DEFAULTS.put("failOnMiss", "false");
        DEFAULTS.put("quietWaitSeconds", "60");
        // 0: one app on a SQLite file; n: n apps on one PostgreSQL database (the tests' server,
        // a fresh schema), every Slack request sent to the next app in turn.
        DEFAULTS.put("postgres", "0");
    }

    private final Map<String, String> values = new LinkedHashMap<>(DEFAULTS);

    static BenchOptions from(String[] args) {
        BenchOptions options = new BenchOptions();
        for (String key : DEFAULTS.keySet()) {
            String property = System.getProperty("bench." + key);
            if (property != null && !property.isBlank()) {
                options.values.put(key, property.trim());
            }
        }
        for (String arg : args) {
            String word = arg.trim();
            if (word.isEmpty()) {
                continue;
            }
            int eq = word.indexOf('=');
            if (eq <= 0 || !DEFAULTS.containsKey(word.substring(0, eq))) {
                throw new IllegalArgumentException("unknown option " + word + "; known: "
                        + DEFAULTS.keySet());
            }
            options.values.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return options;
    }

    String text(String key) {
        return values.get(key);
    }

    int integer(String key) {
        return Integer.parseInt(values.get(key));
    }

    double decimal(String key) {
        return Double.parseDouble(values.get(key));
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(values.get(key));
    }

    List<Integer> integers(String key) {
        return Arrays.stream(values.get(key).split(",")).map(String::trim)
                .filter(value -> !value.isEmpty()).map(Integer::parseInt).toList();
    }

    List<String> words(String key) {
        return Arrays.stream(values.get(key).trim().split("\\s+")).filter(word -> !word.isEmpty())
                .toList();
    }

    boolean runs(int scenario) {
        return listed("scenarios", scenario);
    }

    /** Whether {@code scenario} is recorded with JFR: {@code jfr=true}, or listed in it. */
    boolean profiles(int scenario) {
        return flag("jfr") || listed("jfr", scenario);
    }

    private boolean listed(String key, int scenario) {
        return Arrays.stream(values.get(key).split(",")).map(String::trim)
                .anyMatch(Integer.toString(scenario)::equals);
    }

    Map<String, String> all() {
        return Map.copyOf(values);
    }
}
