package dev.countersign.cli;

import dev.countersign.approval.Actor;
import dev.countersign.approval.RequestDesk;
import dev.countersign.config.ToolSettings;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reset <user-id> [--team T…]}: removes a lost phone and ends its open requests. */
@Command(name = "reset", description = "Remove a person's phone (lost or replaced) and cancel "
        + "their open requests. They enroll again with /approve enroll. Audited.")
final class ResetCommand implements Callable<Integer> {

    @ParentCommand
    private CountersignCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", paramLabel = "USER_ID", description = "Slack user id, like U024BE7LH.")
    private String userId;

    @Option(names = "--team", paramLabel = "TEAM_ID",
            description = "Slack team id, like T0123ABCD; needed when the database holds more "
                    + "than one workspace.")
    private String team;

    @Override
    public Integer call() {
        OperatorTools.checkUserId(spec, userId);
        OperatorTools.checkTeamId(spec, team);
        Optional<ToolSettings> settings = OperatorTools.settings(root, spec);
        if (settings.isEmpty()) {
            return CountersignCommand.USAGE;
        }
        return OperatorTools.withDatabase(spec, settings.get(), store -> {
            Optional<String> teamId = OperatorTools.team(store, team, spec.commandLine().getErr());
            if (teamId.isEmpty()) {
                return CountersignCommand.USAGE;
            }
            Actor user = new Actor(teamId.get(), userId);
            RequestDesk.Reset.Done done = OperatorTools.approvals(store).desk()
                    .resetPhone(OperatorTools.OPERATOR, user);
            int cancelled = done.cancelled().size();
            spec.commandLine().getOut().println("reset " + user + ": "
                    + (done.hadPhone() ? "phone removed" : "no phone was enrolled") + ", "
                    + cancelled + (cancelled == 1 ? " open request" : " open requests")
                    + " cancelled");
            return CountersignCommand.OK;
        });
    }
}
