package dev.countersign.otp;

import java.util.Locale;

/** How a code reaches the phone. */
public enum DeliveryChannel {
    SMS("sms", "SMS"),
    CALL("call", "voice call");

    private final String wireName;
    private final String label;

    DeliveryChannel(String wireName, String label) {
        this.wireName = wireName;
        this.label = label;
    }

    /** The name SignalWire uses in paths and replies: {@code sms} or {@code call}. */
    public String wireName() {
        return wireName;
    }

    /** For people: "SMS" or "voice call". */
    public String label() {
        return label;
    }

    public static DeliveryChannel fromWireName(String name) {
        for (DeliveryChannel channel : values()) {
            if (channel.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return channel;
            }
        }
        throw new IllegalArgumentException("unknown channel " + name);
    }
}
