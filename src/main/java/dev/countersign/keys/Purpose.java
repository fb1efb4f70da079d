package dev.countersign.keys;

/**
 * What a derived key is for. Each purpose gets a key of its own (HKDF info = the label), so a
 * MAC made for one can never be replayed as another, and a key leaked from one use says nothing
 * about the others. Labels are part of the stored data's format: never change one.
 */
public enum Purpose {
    ACTION_BINDING("countersign action binding v1"),
    AUDIT_CHAIN("countersign audit chain v1"),
    AUDIT_ANCHOR("countersign audit anchor v1"),
    OUTBOX("countersign outbox v1"),
    PHONE_ENCRYPTION("countersign phone encryption v1"),
    PHONE_LOOKUP("countersign phone lookup v1");

    private final String label;

    Purpose(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
