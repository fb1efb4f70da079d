package dev.countersign.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's text exposition, parsed: one {@link Sample} per line that is not a comment. Enough
 * of the format (0.0.4) for tests: names, labels with escaped quotes, and values.
 */
record Exposition(int status, String contentType, String text, List<Sample> samples) {

    private static final Pattern LINE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One line: a name, its labels, its value. */
    record Sample(String name, Map<String, String> labels, double value) {
        boolean has(Map<String, String> wanted) {
            return labels.entrySet().containsAll(wanted.entrySet());
        }
    }

    /** {@code GET /metrics} on the server at {@code port}, over real HTTP, with no headers. */
    static Exposition scrape(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request,
                    HttpResponse.BodyHandlers.ofString());
            return parse(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static Exposition parse(int status, String contentType, String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (matcher.group(2) != null) {
                Matcher label = LABEL.matcher(matcher.group(2));
                int end = 0;
                while (label.find()) {
                    if (label.start() != end) {
                        throw new AssertionError("bad labels: " + line);
                    }
                    labels.put(label.group(1), label.group(2));
                    end = label.end();
                }
                if (end != matcher.group(2).length()) {
                    throw new AssertionError("bad labels: " + line);
                }
            }
            samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(
                    matcher.group(3).replace("+Inf", "Infinity"))));
        }
        return new Exposition(status, contentType, text, List.copyOf(samples));
    }

    /** The samples named {@code name} whose labels include {@code labels}. */
    List<Sample> all(String name, Map<String, String> labels) {
        return samples.stream().filter(sample -> sample.name().equals(name) && sample.has(labels))
                .toList();
    }

    /** The sum of the matching samples' values; 0 when none match (a counter not yet moved). */
    double value(String name, Map<String, String> labels) {
        return all(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    double value(String name) {
        return value(name, Map.of());
    }

    boolean hasName(String name) {
        return samples.stream().anyMatch(sample -> sample.name().equals(name));
    }
}
