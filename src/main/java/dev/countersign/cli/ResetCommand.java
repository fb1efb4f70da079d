package dev.countersign.cli;

import dev.countersign.approval.PhoneAdministration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code reset <user-id> [--team T…]}: removes a lost phone and ends its open requests. */
@Command(name = "reset",
        footer = {"", OperatorTools.SETTINGS_HELP},
        description = "Remove a person's phone (lost or replaced) and cancel "
        + "their open requests. They enroll again with /approve enroll. Audited.")
final class ResetCommand implements Callable<Integer> {

    @Mixin
    private ToolRun tool;

    @Mixin
    private PersonArguments person;

    @Override
    public Integer call() {
        return person.run(tool, (store, user) -> {
            PhoneAdministration.Reset.Done done = OperatorTools.approvals(store).phones()
                    .resetPhone(OperatorTools.operator(), user);
            int cancelled = done.cancelled().size();
            tool.out().println("reset " + user + ": "
                    + (done.hadPhone() ? "phone removed" : "no phone was enrolled") + ", "
                    + cancelled + (cancelled == 1 ? " open request" : " open requests")
                    + " cancelled");
            return CountersignCommand.OK;
        });
    }
}
