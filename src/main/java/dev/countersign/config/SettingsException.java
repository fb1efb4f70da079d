package dev.countersign.config;

import java.util.List;

/** Settings that stop start-up, all of them at once so an operator fixes everything in one pass. */
public final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public SettingsException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        StringBuilder text = new StringBuilder("Countersign cannot start: ")
                .append(problems.size() == 1 ? "1 setting needs" : problems.size()
                        + " settings need")
                .append(" attention.\n");
        for (String problem : problems) {
            text.append("  - ").append(problem).append('\n');
        }
        return text.append(
                "Set them in the environment or in .env (example.env lists every setting).")
                .toString();
    }
}
