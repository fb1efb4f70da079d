package dev.countersign.cli;

import dev.countersign.approval.Actor;
import dev.countersign.config.ToolSettings;
import dev.countersign.enrollment.Enrollment;
import dev.countersign.enrollment.PhoneCheck;
import dev.countersign.enrollment.PhonePolicy;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code enroll <user-id> <phone> [--team T…]}: stores a phone with no code; audited. */
@Command(name = "enroll", description = "Enroll (or change) a person's phone without a code: "
        + "you vouch that the number is theirs. Audited as done by the operator.")
final class EnrollCommand implements Callable<Integer> {

    @ParentCommand
    private CountersignCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", paramLabel = "USER_ID", description = "Slack user id, like U024BE7LH.")
    private String userId;

    @Parameters(index = "1", paramLabel = "PHONE",
            description = "The phone in international form, like +12015550123.")
    private String phone;

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
        PrintWriter err = spec.commandLine().getErr();
        PhoneCheck check = new PhonePolicy(settings.get().allowedCountries()).check(phone);
        if (check instanceof PhoneCheck.Refused refused) {
            err.println("PHONE refused: " + refused.reason());
            return CountersignCommand.USAGE;
        }
        PhoneCheck.Accepted accepted = (PhoneCheck.Accepted) check;
        return OperatorTools.withDatabase(spec, settings.get(), store -> {
            Optional<String> teamId = OperatorTools.team(store, team, err);
            if (teamId.isEmpty()) {
                return CountersignCommand.USAGE;
            }
            Actor user = new Actor(teamId.get(), userId);
            Enrollment enrollment = OperatorTools.approvals(store).desk()
                    .enrollDirectly(OperatorTools.OPERATOR, user, accepted.phone());
            spec.commandLine().getOut().println("enrolled " + enrollment.phone().masked()
                    + " for " + user + (enrollment.changedAt() == null ? ""
                            : " (a change: large payments wait 24 hours, as after any change)"));
            return CountersignCommand.OK;
        });
    }
}
