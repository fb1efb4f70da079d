package dev.countersign.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's knobs: defaults here, overridden by system properties {@code -Dbench.<key>=…}
 * and then by arguments {@code <key>=<value>}, one per argument (with Maven:
 * {@code -Dbench.args="s1.seconds=20 'jvm=-Xmx256m -XX:+UseSerialGC'"}).
 */
final class BenchOptions {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("jar", "target/countersign.jar");
        // The Dockerfile's ENTRYPOINT flags: the app as it ships.
        DEFAULTS.put("jvm", "-XX:+UseSerialGC -Xss512k -Xmn256m -Xmx512m");
        DEFAULTS.put("scenarios", "1,2,3");
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
        return Arrays.stream(values.get("scenarios").split(",")).map(String::trim)
                .anyMatch(Integer.toString(scenario)::equals);
    }

    Map<String, String> all() {
        return Map.copyOf(values);
    }
}
