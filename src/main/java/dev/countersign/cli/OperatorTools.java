package dev.countersign.cli;

import dev.countersign.people.SlackUserId;
import dev.countersign.approval.ActionBinding;
import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.approval.ApprovalServices;
import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.approval.ApproverDirectory;
import dev.countersign.config.SettingsException;
import dev.countersign.config.ToolSettings;
import dev.countersign.keys.KeyFile;
import dev.countersign.store.Database;
import dev.countersign.store.SqliteStore;
import dev.countersign.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the operator's tools share: settings, the database, ids, the approval domain. */
final class OperatorTools {

    /** Who the audit trail names for what the operator does from the command line. */
    static final String OPERATOR = "operator";

    private static final Pattern USER_ID = Pattern.compile(SlackUserId.REGEX);
    private static final Pattern TEAM_ID = Pattern.compile("[TE][A-Z0-9]{2,20}");
    private static final String JDBC_SQLITE = "jdbc:sqlite:";

    /**
     * Only the rules the tools' paths use matter here (an operator's enrollment and reset send no
     * code); the rest are the server's defaults, so nothing here can loosen them.
     */
    private static final ApprovalPolicy POLICY = ApprovalPolicy.DEFAULTS;

    @FunctionalInterface
    interface StoreWork {
        int run(SqliteStore store);
    }

    private OperatorTools() {
    }

    /** The tool settings, or empty after saying on standard error which one to fix. */
    static Optional<ToolSettings> settings(CountersignCommand root, CommandSpec spec) {
        root.toolLogging().run();
        try {
            return Optional.of(root.settings().get());
        } catch (SettingsException e) {
            PrintWriter err = spec.commandLine().getErr();
            int count = e.problems().size();
            err.println("Cannot run: " + (count == 1 ? "1 setting needs" : count
                    + " settings need") + " attention.");
            e.problems().forEach(problem -> err.println("  - " + problem));
            err.println("Set them in the environment or in .env (example.env lists them).");
            return Optional.empty();
        }
    }

    /** Reads the settings, then {@link #withDatabase(CommandSpec, ToolSettings, StoreWork)}. */
    static int withDatabase(CountersignCommand root, CommandSpec spec, StoreWork work) {
        Optional<ToolSettings> settings = settings(root, spec);
        return settings.isEmpty() ? CountersignCommand.USAGE
                : withDatabase(spec, settings.get(), work);
    }

    /**
     * Opens the database {@code DATABASE_URL} names, runs {@code work}, closes it. The file must
     * exist already: a mistyped path would otherwise make an empty database, whose trail then
     * "verifies".
     */
    static int withDatabase(CommandSpec spec, ToolSettings settings, StoreWork work) {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> file = sqliteFile(settings.databaseUrl());
        if (file.isPresent() && !Files.isRegularFile(file.get())) {
            err.println("DATABASE_URL: there is no database at " + file.get().toAbsolutePath()
                    + " (the server makes it when it first starts; check the path)");
            return CountersignCommand.USAGE;
        }
        if (file.isPresent() && settings.keys().current().isEmpty()
                && !Files.isRegularFile(file.get().resolveSibling(KeyFile.NAME))) {
            // Making a key here would only make a trail that "was not written with this key".
            err.println("COUNTERSIGN_SECRET_KEY is not set and there is no " + KeyFile.NAME
                    + " beside the database: give the tools the key the server uses");
            return CountersignCommand.USAGE;
        }
        Database database;
        try {
            database = Database.open(settings.databaseUrl(), settings.keys());
        } catch (StoreException e) {
            err.println("DATABASE_URL: " + e.getMessage());
            return CountersignCommand.USAGE;
        }
        try (database) {
            return work.run(new SqliteStore(database));
        } catch (StoreException e) {
            err.println("database error: " + e.getMessage());
            return CountersignCommand.FAILED;
        }
    }

    /** The approval domain for the tools: nothing it does here sends a code or a webhook. */
    static ApprovalServices approvals(SqliteStore store) {
        return ApprovalServices.create(store, new NoCodes(), POLICY, Clock.systemUTC(),
                ApproverDirectory.NOBODY, ApprovalOutbox.NONE, new ActionBinding(store.keys()));
    }

    static void checkUserId(CommandSpec spec, String userId) {
        if (!USER_ID.matcher(userId).matches()) {
            throw new ParameterException(spec.commandLine(), "USER_ID must be a Slack user id "
                    + "like U024BE7LH (in Slack: the person's profile → ⋮ → Copy member ID)");
        }
    }

    static void checkTeamId(CommandSpec spec, String teamId) {
        if (teamId != null && !TEAM_ID.matcher(teamId).matches()) {
            throw new ParameterException(spec.commandLine(), "--team must be the Slack team id "
                    + "Countersign is installed in, like T0123ABCD, or the enterprise id of an "
                    + "org-wide install, like E0123ABCD");
        }
    }

    /**
     * {@code given}, or the only installation the database knows (its team id, or enterprise id
     * for an org-wide install); empty after saying why on standard error when that is not clear.
     */
    static Optional<String> team(SqliteStore store, String given, PrintWriter err) {
        if (given != null) {
            return Optional.of(given);
        }
        Set<String> teams = store.teamIds();
        if (teams.size() == 1) {
            return Optional.of(teams.iterator().next());
        }
        err.println(teams.isEmpty()
                ? "--team is needed: the database has no installation yet (give the team id, "
                        + "like --team T0123ABCD, or an org-wide install's enterprise id)"
                : "--team is needed: the database holds " + teams.size() + " installations ("
                        + String.join(", ", teams) + ")");
        return Optional.empty();
    }

    /** The file of a plain {@code jdbc:sqlite:path} URL; empty for in-memory or URI forms. */
    static Optional<Path> sqliteFile(String jdbcUrl) {
        if (!jdbcUrl.startsWith(JDBC_SQLITE)) {
            return Optional.empty();
        }
        String path = jdbcUrl.substring(JDBC_SQLITE.length());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path));
    }
}
