package dev.countersign.people;

import java.util.Objects;

/** A person in a Slack workspace: ids, never names (names change; ids are what Slack signs). */
public record Actor(String teamId, String userId) {

    public Actor {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(userId, "userId");
    }

    /** {@code <@U123>}: how Slack shows a mention of this person. */
    public String mention() {
        return "<@" + userId + ">";
    }

    @Override
    public String toString() {
        return teamId + "/" + userId;
    }
}
