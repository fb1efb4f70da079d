package dev.countersign.people;

import java.util.Objects;

/**
 * A person: the installation they use Countersign through ({@link Installation#id()}) and their
 * Slack user id. Ids, never names (names change; ids are what Slack signs). Never built from the
 * team id a request carries: in Enterprise Grid that is whichever workspace the person acted in.
 */
public record Actor(String installationId, String userId) {

    public Actor {
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(userId, "userId");
    }

    /** {@code <@U123>}: how Slack shows a mention of this person. */
    public String mention() {
        return "<@" + userId + ">";
    }

    @Override
    public String toString() {
        return installationId + "/" + userId;
    }
}
