package dev.countersign.approval;

import dev.countersign.people.Actor;

/** Who may give a second approval (configured ids, a Slack user group, or both). */
@FunctionalInterface
public interface ApproverDirectory {

    ApproverDirectory NOBODY = actor -> false;

    boolean isApprover(Actor actor);
}
