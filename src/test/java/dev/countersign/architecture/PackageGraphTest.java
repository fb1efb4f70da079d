package dev.countersign.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package graph, read from the sources' imports: packages by feature with no cycles, and a
 * domain that knows nothing of Slack, HTTP clients or JDBC.
 */
class PackageGraphTest {

    private static final Path MAIN = Path.of("src/main/java/dev/countersign");
    private static final Pattern IMPORT = Pattern.compile(
            "^import (?:static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);
    private static final Pattern OWN = Pattern.compile("dev\\.countersign\\.([a-z]+)");

    @Test
    void featurePackagesFormNoCycle() {
        Map<String, Set<String>> graph = ownGraph();

        List<List<String>> cycles = cycles(graph);

        assertThat(cycles).as("package cycles in %s", graph).isEmpty();
    }

    @Test
    void theDomainImportsNoSlackHttpOrJdbc() {
        Set<String> imports = importsOf("approval");

        assertThat(imports).noneMatch(name -> name.startsWith("com.slack")
                || name.startsWith("okhttp3") || name.startsWith("java.sql")
                || name.startsWith("javax.sql") || name.startsWith("org.sqlite")
                || name.startsWith("dev.countersign.slack")
                || name.startsWith("dev.countersign.store")
                || name.startsWith("dev.countersign.webhook"));
    }

    @Test
    void theApiSpeaksHttpButNeitherSlackNorJdbc() {
        Set<String> imports = importsOf("api");

        assertThat(imports).noneMatch(name -> name.startsWith("com.slack")
                || name.startsWith("okhttp3") || name.startsWith("java.sql")
                || name.startsWith("org.sqlite") || name.startsWith("org.eclipse.jetty")
                || name.startsWith("dev.countersign.slack")
                || name.startsWith("dev.countersign.store")
                || name.startsWith("dev.countersign.web"));
        assertThat(ownGraph().get("api")).containsOnly("approval", "json", "otp", "people");
    }

    @Test
    void peopleAndAuditAreLeavesOfTheDomain() {
        Map<String, Set<String>> graph = ownGraph();

        assertThat(graph.getOrDefault("people", Set.of())).isEmpty();
        assertThat(graph.getOrDefault("audit", Set.of())).doesNotContain("approval", "store");
    }

    /**
     * {@code metrics} is a leaf that only the composition root wires: it implements the small
     * listener interfaces the other packages declare (ApprovalEvents, SlackCalls, DeliveryCounts,
     * WriteTimings, Telemetry), so no package depends on it, and Micrometer stays inside it.
     */
    @Test
    void onlyTheCompositionRootWiresMetricsAndOnlyMetricsSeesMicrometer() {
        Map<String, Set<String>> graph = ownGraph();

        assertThat(graph).containsKey("metrics");
        graph.forEach((pkg, uses) -> assertThat(uses).as("%s imports", pkg)
                .doesNotContain("metrics"));
        assertThat(graph.get("metrics")).doesNotContain("cli", "config", "audit");
        for (String pkg : featurePackages()) {
            if (!pkg.equals("metrics")) {
                assertThat(importsOf(pkg)).as("%s imports", pkg).noneMatch(name ->
                        name.startsWith("io.micrometer") || name.startsWith("io.prometheus"));
            }
        }
    }

    /** Package → the other dev.countersign packages it imports. */
    static Map<String, Set<String>> ownGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String pkg : featurePackages()) {
            Set<String> uses = new TreeSet<>();
            for (String imported : importsOf(pkg)) {
                Matcher own = OWN.matcher(imported);
                if (own.lookingAt() && !own.group(1).equals(pkg)) {
                    uses.add(own.group(1));
                }
            }
            graph.put(pkg, uses);
        }
        return graph;
    }

    private static List<String> featurePackages() {
        try (Stream<Path> dirs = Files.list(MAIN)) {
            return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> importsOf(String pkg) {
        Set<String> imports = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = IMPORT.matcher(Files.readString(file));
                while (matcher.find()) {
                    imports.add(matcher.group(1));
                }
                // Fully qualified uses in code count as imports too.
                Matcher qualified = Pattern.compile("\\b(dev\\.countersign\\.[a-z]+)\\.[A-Z]")
                        .matcher(Files.readString(file));
                while (qualified.find()) {
                    imports.add(qualified.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return imports;
    }

    private static List<List<String>> cycles(Map<String, Set<String>> graph) {
        List<List<String>> found = new ArrayList<>();
        for (String start : graph.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>();
            paths.push(List.of(start));
            while (!paths.isEmpty()) {
                List<String> path = paths.pop();
                for (String next : graph.getOrDefault(path.getLast(), Set.of())) {
                    if (next.equals(start)) {
                        List<String> cycle = new ArrayList<>(path);
                        cycle.add(start);
                        found.add(cycle);
                    } else if (!path.contains(next) && next.compareTo(start) > 0) {
                        List<String> longer = new ArrayList<>(path);
                        longer.add(next);
                        paths.push(longer);
                    }
                }
            }
        }
        return found;
    }
}
