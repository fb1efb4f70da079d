package dev.countersign.cli;

import dev.countersign.people.Actor;
import dev.countersign.people.SlackUserId;
import dev.countersign.config.ToolSettings;
import dev.countersign.store.SqliteStore;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The person an operator command acts on ({@code enroll}, {@code reset}): a Slack user id and,
 * when the database holds more than one installation, the installation: the same principal the
 * Slack app keys people by ({@link dev.countersign.people.Installation#id()}).
 */
final class PersonArguments {

    private static final Pattern USER_ID = Pattern.compile(SlackUserId.REGEX);
    private static final Pattern TEAM_ID = Pattern.compile("[TE][A-Z0-9]{2,20}");

    /** Work on the tools' database for one person; returns the exit status. */
    @FunctionalInterface
    interface PersonWork {
        int run(SqliteStore store, Actor person);
    }

    @Parameters(index = "0", paramLabel = "USER_ID", description = "Slack user id, like U024BE7LH.")
    private String userId;

    @Option(names = "--team", paramLabel = "TEAM_ID",
            description = "The installation: the Slack team id it is installed in, like "
                    + "T0123ABCD, or for an org-wide install the enterprise id, like E0123ABCD; "
                    + "needed when the database holds more than one installation.")
    private String team;

    @Option(names = "--new-team",
            description = "Accept a --team the database has never seen (the first person of a "
                    + "new workspace).")
    private boolean newTeam;

    /** Checks the ids before anything is read, then reads the tools' settings for {@code work}. */
    int withSettings(ToolRun tool, ToolRun.SettingsWork work) {
        if (!USER_ID.matcher(userId).matches()) {
            throw tool.usageError("USER_ID must be a Slack user id like U024BE7LH (in Slack: the "
                    + "person's profile → ⋮ → Copy member ID)");
        }
        if (team != null && !TEAM_ID.matcher(team).matches()) {
            throw tool.usageError("--team must be the Slack team id Countersign is installed in, "
                    + "like T0123ABCD, or the enterprise id of an org-wide install, like "
                    + "E0123ABCD");
        }
        return tool.withSettings(work);
    }

    /** {@link #withSettings}, then {@link #run(ToolRun, ToolSettings, PersonWork)}. */
    int run(ToolRun tool, PersonWork work) {
        return withSettings(tool, settings -> run(tool, settings, work));
    }

    /** Opens the database, finds the person's installation and runs {@code work}. */
    int run(ToolRun tool, ToolSettings settings, PersonWork work) {
        return tool.withDatabase(settings, store -> {
            Optional<String> teamId = OperatorTools.team(store, team, newTeam, tool.err());
            if (teamId.isEmpty()) {
                return CountersignCommand.USAGE;
            }
            return work.run(store, new Actor(teamId.get(), userId));
        });
    }
}
