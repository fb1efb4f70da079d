package dev.countersign.approval;

import dev.countersign.people.PhoneNumber;
import java.util.Objects;

/**
 * What a person asked for with {@code /approve}, as read by {@link CommandParser}. Every text
 * becomes exactly one of these; text that cannot be read becomes {@link Invalid}.
 */
public sealed interface Command {

    /** {@code /approve pay …}, {@code /approve sign …} or any other text: approve this action. */
    record RequestApproval(Action action) implements Command {
        public RequestApproval {
            Objects.requireNonNull(action, "action");
        }
    }

    /** {@code /approve} with no text: open the request form. */
    record OpenForm() implements Command {
    }

    /**
     * {@code /approve enroll +1 201 555 0123}: enroll this phone.
     *
     * @param phone the text after the keyword, as typed; not yet checked (see {@code PhonePolicy})
     */
    record Enroll(String phone) implements Command {
        public Enroll {
            Objects.requireNonNull(phone, "phone");
        }

        @Override
        public String toString() {
            // Commands end up in logs: never print the full number.
            return "Enroll[phone=" + PhoneNumber.mask(phone) + "]";
        }
    }

    /** {@code /approve help}: show the usage. */
    record Help() implements Command {
    }

    /** {@code /approve status}: the caller's open and recent requests. */
    record Status() implements Command {
    }

    /**
     * {@code /approve cancel CS-7K3P9Q}: cancel one of the caller's requests.
     *
     * @param reference {@code CS-} and six characters of {@value Reference#ALPHABET}
     */
    record Cancel(String reference) implements Command {
        public Cancel {
            if (!Reference.isValid(reference)) {
                throw new IllegalArgumentException("reference must look like CS-7K3P9Q");
            }
        }
    }

    /**
     * {@code /approve admin reset @person}: forget a person's enrolled phone. Whether the caller
     * may do this is decided elsewhere.
     *
     * @param userId a Slack user id such as {@code U024BE7LH}
     */
    record AdminReset(String userId) implements Command {
        public AdminReset {
            if (userId == null || !CommandParser.USER_ID.matcher(userId).matches()) {
                throw new IllegalArgumentException("userId must be a Slack user id like U024BE7LH");
            }
        }
    }

    /**
     * FreeText that could not be read.
     *
     * @param problem one or two sentences of Slack mrkdwn saying what was wrong; anything quoted
     *                from the input is shortened and escaped, so it cannot mention or link
     */
    record Invalid(String problem) implements Command {
        public Invalid {
            if (problem == null || problem.isBlank()) {
                throw new IllegalArgumentException("problem must not be empty");
            }
        }
    }
}
