package dev.countersign.otp.console;

import dev.countersign.otp.DeliveryChannel;

/** Where the console provider puts a fresh code instead of a phone: the log, or a test. */
@FunctionalInterface
public interface CodeSink {

    /**
     * @param maskedPhone the phone as {@code •••• 0123}; the full number never reaches a sink
     * @param channel     how the code would have travelled
     * @param message     the text that would precede the code, or {@code null} for the default
     * @param code        the clear code; the sink is the only place it ever goes
     */
    void deliver(String maskedPhone, DeliveryChannel channel, String message, String code);
}
