package dev.countersign.enrollment;

import dev.countersign.people.PhoneNumber;
import java.util.Objects;

/** Whether a typed phone number may receive codes: see {@link PhonePolicy#check(String)}. */
public sealed interface PhoneCheck {

    /** The number may be enrolled (once a code sent to it comes back). */
    record Accepted(PhoneNumber phone) implements PhoneCheck {
        public Accepted {
            Objects.requireNonNull(phone, "phone");
        }
    }

    /**
     * The number may not be enrolled.
     *
     * @param reason a sentence for the person who typed it; never contains the number
     */
    record Refused(String reason) implements PhoneCheck {
        public Refused {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("reason must not be empty");
            }
        }
    }
}
