package dev.countersign.cli;

import dev.countersign.approval.ActionBinding;
import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.approval.ApprovalServices;
import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.approval.ApproverDirectory;
import dev.countersign.config.ToolSettings;
import dev.countersign.keys.KeyFile;
import dev.countersign.store.Database;
import dev.countersign.store.JdbcSlackSurfaces;
import dev.countersign.store.SqliteStore;
import dev.countersign.store.StoreException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the operator's tools share besides picocli ({@link ToolRun}): the database, references,
 * the operator's name and the approval domain.
 */
final class OperatorTools {

    /** What every tool's help says about where its settings come from. */
    static final String SETTINGS_HELP = "The tools read DATABASE_URL (and, for requests cancel, "
            + "SLACK_BOT_TOKEN and SLACK_API_URL) from the environment, with a .env file in the "
            + "working directory as defaults, like the server. Run them from the server's "
            + "directory.";

    private static final Pattern UNSAFE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

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

    /** Work that also needs what the Slack adapter keeps in the database (modal view ids). */
    @FunctionalInterface
    interface DatabaseWork {
        int run(SqliteStore store, JdbcSlackSurfaces surfaces);
    }

    private OperatorTools() {
    }

    /**
     * Who the audit trail names for what the operator does from the command line:
     * {@code operator:alice@host1}, the operating-system user and this machine, so a row says
     * which person at which machine acted, not only that someone with the database did.
     */
    static String operator() {
        return "operator:" + safe(System.getProperty("user.name", "unknown")) + "@"
                + safe(hostName());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    private static String safe(String name) {
        String cleaned = UNSAFE_NAME.matcher(name).replaceAll("_");
        return cleaned.isEmpty() ? "unknown" : cleaned;
    }

    /**
     * Opens the database {@code DATABASE_URL} names, runs {@code work}, closes it. The file must
     * exist already: a mistyped path would otherwise make an empty database, whose trail then
     * "verifies".
     */
    static int withDatabase(PrintWriter err, ToolSettings settings, StoreWork work) {
        return withDatabase(err, settings, (store, surfaces) -> work.run(store));
    }

    /** {@link #withDatabase(PrintWriter, ToolSettings, StoreWork)}, with the Slack surfaces. */
    static int withDatabase(PrintWriter err, ToolSettings settings, DatabaseWork work) {
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
            if (!Database.hasSchema(settings.databaseUrl())) {
                err.println("DATABASE_URL: " + Database.redacted(settings.databaseUrl())
                        + " has no Countersign tables (the server makes them when it first "
                        + "starts; check the database and currentSchema)");
                return CountersignCommand.USAGE;
            }
            database = Database.open(settings.databaseUrl(), settings.keys());
        } catch (StoreException e) {
            err.println("DATABASE_URL: " + e.getMessage());
            return CountersignCommand.USAGE;
        }
        try (database) {
            return work.run(new SqliteStore(database), new JdbcSlackSurfaces(database));
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

    /** A reference as typed: {@code cs-7k3p9q} finds {@code CS-7K3P9Q}. */
    static String reference(String typed) {
        return typed.strip().toUpperCase(Locale.ROOT);
    }

    /**
     * {@code given}, or the only installation the database knows (its team id, or enterprise id
     * for an org-wide install); empty after saying why on standard error when that is not clear.
     * An installation the database has never seen is refused unless {@code newTeam}: a mistyped
     * id would otherwise enroll someone where their requests never find their phone.
     */
    static Optional<String> team(SqliteStore store, String given, boolean newTeam,
                                 PrintWriter err) {
        Set<String> teams = store.teamIds();
        if (given != null) {
            if (newTeam || teams.contains(given)) {
                return Optional.of(given);
            }
            err.println("--team " + given + " is not a workspace this database has seen ("
                    + (teams.isEmpty() ? "it has none yet" : "it knows " + String.join(", ", teams))
                    + "). Check the id, or add --new-team to start a new workspace.");
            return Optional.empty();
        }
        if (teams.size() == 1) {
            return Optional.of(teams.iterator().next());
        }
        err.println(teams.isEmpty()
                ? "--team is needed: the database has no installation yet (give the team id, "
                        + "or an org-wide install's enterprise id, with --new-team, like "
                        + "--team T0123ABCD --new-team)"
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
