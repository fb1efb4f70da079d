package dev.countersign.cli;

import dev.countersign.people.Actor;
import dev.countersign.config.ToolSettings;
import dev.countersign.store.SqliteStore;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The person an operator command acts on ({@code enroll}, {@code reset}): a Slack user id and,
 * when the database holds more than one installation, the installation: the same principal the
 * Slack app keys people by ({@link dev.countersign.people.Installation#id()}).
 */
final class PersonArguments {

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

    /** Checks the ids, then reads the tools' settings (empty after saying what to fix). */
    Optional<ToolSettings> settings(CountersignCommand root, CommandSpec spec) {
        OperatorTools.checkUserId(spec, userId);
        OperatorTools.checkTeamId(spec, team);
        return OperatorTools.settings(root, spec);
    }

    /** Opens the database, finds the person's installation and runs {@code work}. */
    int run(CommandSpec spec, ToolSettings settings, PersonWork work) {
        return OperatorTools.withDatabase(spec, settings, store -> {
            Optional<String> teamId = OperatorTools.team(store, team, newTeam,
                    spec.commandLine().getErr());
            if (teamId.isEmpty()) {
                return CountersignCommand.USAGE;
            }
            return work.run(store, new Actor(teamId.get(), userId));
        });
    }
}
