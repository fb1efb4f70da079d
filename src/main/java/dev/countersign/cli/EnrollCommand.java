package dev.countersign.cli;

import dev.countersign.config.ToolSettings;
import dev.countersign.people.Enrollment;
import dev.countersign.enrollment.PhoneCheck;
import dev.countersign.enrollment.PhonePolicy;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code enroll <user-id> <phone> [--team T…]}: stores a phone with no code; audited. */
@Command(name = "enroll",
        footer = {"", OperatorTools.SETTINGS_HELP},
        description = "Enroll (or change) a person's phone without a code: "
        + "you vouch that the number is theirs. Audited as done by the operator.")
final class EnrollCommand implements Callable<Integer> {

    @ParentCommand
    private CountersignCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private PersonArguments person;

    @Parameters(index = "1", paramLabel = "PHONE",
            description = "The phone in international form, like +12015550123.")
    private String phone;

    @Override
    public Integer call() {
        Optional<ToolSettings> settings = person.settings(root, spec);
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
        return person.run(spec, settings.get(), (store, user) -> {
            Enrollment enrollment = OperatorTools.approvals(store).phones()
                    .enrollDirectly(OperatorTools.operator(), user, accepted.phone());
            spec.commandLine().getOut().println("enrolled " + enrollment.phone().masked()
                    + " for " + user + (enrollment.changedAt() == null ? ""
                            : " (a change: large payments wait 24 hours, as after any change)"));
            return CountersignCommand.OK;
        });
    }
}
