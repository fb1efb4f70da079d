package dev.countersign.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .env} file, read line by line: {@code KEY=value}, optionally after {@code export }, the
 * value bare or in single or double quotes; blank lines and {@code #} comments are skipped, and a
 * bare value ends at a {@code " #"} comment. A line that is none of these is reported with its
 * number and the rest of the file is still read, so one typo does not hide every other setting.
 * (dotenv-java stopped at the first bad line and quoted it, secret and all.)
 */
final class DotenvFile {

    private static final Pattern LINE = Pattern.compile(
            "(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*)");

    private DotenvFile() {
    }

    /**
     * The file's settings in file order (a later line wins); each bad line goes to
     * {@code problem}. A missing file is no settings and no problem.
     */
    static Map<String, String> read(Path file, Consumer<String> problem) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problem.accept(file + " could not be read: " + e.getClass().getSimpleName());
            return values;
        }
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            String value = matcher.matches() ? value(matcher.group(2)) : null;
            if (value == null) {
                // The line is not quoted back: it may hold a secret.
                problem.accept(file + " line " + number + " is not KEY=value (check the = and "
                        + "the quotes); the other lines were read");
                continue;
            }
            values.put(matcher.group(1), value);
        }
        return values;
    }

    /** The value without its quotes or trailing comment; null if a quote is left open. */
    private static String value(String raw) {
        if (raw.startsWith("\"") || raw.startsWith("'")) {
            char quote = raw.charAt(0);
            int end = raw.indexOf(quote, 1);
            if (end < 0) {
                return null;
            }
            String rest = raw.substring(end + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                return null;
            }
            String inside = raw.substring(1, end);
            return quote == '"' ? inside.replace("\\n", "\n") : inside;
        }
        int comment = raw.indexOf(" #");
        return (comment < 0 ? raw : raw.substring(0, comment)).strip();
    }
}
