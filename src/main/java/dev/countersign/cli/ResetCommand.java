package dev.countersign.cli;

import dev.countersign.approval.PhoneAdministration;
import dev.countersign.config.ToolSettings;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reset <user-id> [--team T…]}: removes a lost phone and ends its open requests. */
@Command(name = "reset",
        footer = {"", OperatorTools.SETTINGS_HELP},
        description = "Remove a person's phone (lost or replaced) and cancel "
        + "their open requests. They enroll again with /approve enroll. Audited.")
final class ResetCommand implements Callable<Integer> {

    @ParentCommand
    private CountersignCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private PersonArguments person;

    @Override
    public Integer call() {
        Optional<ToolSettings> settings = person.settings(root, spec);
        if (settings.isEmpty()) {
            return CountersignCommand.USAGE;
        }
        return person.run(spec, settings.get(), (store, user) -> {
            PhoneAdministration.Reset.Done done = OperatorTools.approvals(store).phones()
                    .resetPhone(OperatorTools.operator(), user);
            int cancelled = done.cancelled().size();
            spec.commandLine().getOut().println("reset " + user + ": "
                    + (done.hadPhone() ? "phone removed" : "no phone was enrolled") + ", "
                    + cancelled + (cancelled == 1 ? " open request" : " open requests")
                    + " cancelled");
            return CountersignCommand.OK;
        });
    }
}
