package dev.countersign.cli;

import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import dev.countersign.enrollment.PhoneCheck;
import dev.countersign.enrollment.PhonePolicy;
import dev.countersign.store.SqliteStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code enroll <user-id> <phone> [--team T…]}: stores a phone with no code; audited. */
@Command(name = "enroll",
        footer = {"", OperatorTools.SETTINGS_HELP},
        description = "Enroll (or change) a person's phone without a code: "
        + "you vouch that the number is theirs. Audited as done by the operator.")
final class EnrollCommand implements Callable<Integer> {

    @Mixin
    private ToolRun tool;

    @Mixin
    private PersonArguments person;

    @Parameters(index = "1", paramLabel = "PHONE",
            description = "The phone in international form, like +12015550123.")
    private String phone;

    @Override
    public Integer call() {
        return person.withSettings(tool, settings -> {
            return switch (new PhonePolicy(settings.allowedCountries()).check(phone)) {
                case PhoneCheck.Refused refused -> {
                    tool.err().println("PHONE refused: " + refused.reason());
                    yield CountersignCommand.USAGE;
                }
                case PhoneCheck.Accepted accepted -> person.run(tool, settings,
                        (store, user) -> enroll(store, user, accepted.phone()));
            };
        });
    }

    private int enroll(SqliteStore store, Actor user, PhoneNumber number) {
        Enrollment enrollment = OperatorTools.approvals(store).phones()
                .enrollDirectly(OperatorTools.operator(), user, number);
        tool.out().println("enrolled " + enrollment.phone().masked() + " for " + user
                + (enrollment.changedAt() == null ? ""
                        : " (a change: large payments wait 24 hours, as after any change)"));
        return CountersignCommand.OK;
    }
}
