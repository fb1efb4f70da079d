package dev.countersign.approval;

/** Whose code a challenge asks for, and to which phone it goes. */
public enum ChallengePurpose {
    /** The requester confirms their own request with their enrolled phone. */
    REQUESTER,
    /** A new enrollment: the code goes to the phone being enrolled. */
    NEW_PHONE,
    /** A phone change, first step: the code goes to the phone enrolled now. */
    CURRENT_PHONE,
    /** Dual control: a second approver confirms with their own enrolled phone. */
    SECOND_APPROVER;

    /** Whether the code goes to the phone waiting to be enrolled rather than an enrolled one. */
    public boolean toPendingPhone() {
        return this == NEW_PHONE;
    }
}
