package dev.countersign.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags of the Dockerfile's {@code ENTRYPOINT} (exec form, {@code ["java", <flags…>,
 * "-jar", …]}): what the container runs, read when the benchmark starts so that a run with
 * {@code flags=dockerfile} never measures flags the image no longer uses.
 */
final class DockerfileFlags {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerfileFlags() {
    }

    /** The flags between {@code java} and {@code -jar}; fails with the reason it could not. */
    static List<String> read(Path dockerfile) throws IOException {
        String entrypoint = Files.readAllLines(dockerfile).stream()
                .map(String::strip)
                .filter(line -> line.startsWith("ENTRYPOINT"))
                .reduce((first, last) -> last) // Docker uses the last ENTRYPOINT
                .orElseThrow(() -> new IOException("no ENTRYPOINT in " + dockerfile));
        List<String> words = words(entrypoint.substring("ENTRYPOINT".length()).strip(),
                dockerfile);
        int jar = words.indexOf("-jar");
        if (words.isEmpty() || !words.get(0).endsWith("java") || jar < 0) {
            throw new IOException("ENTRYPOINT of " + dockerfile + " is not [\"java\", …, \"-jar\", "
                    + "…]: " + words);
        }
        return List.copyOf(words.subList(1, jar));
    }

    private static List<String> words(String execForm, Path dockerfile) throws IOException {
        try {
            return Arrays.asList(JSON.readValue(execForm, String[].class));
        } catch (JsonProcessingException shellForm) {
            throw new IOException("ENTRYPOINT of " + dockerfile + " is not in exec form (a JSON "
                    + "array): " + execForm);
        }
    }
}
