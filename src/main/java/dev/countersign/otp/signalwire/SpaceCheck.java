package dev.countersign.otp.signalwire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Start-up's check of {@code SIGNALWIRE_SPACE}: a DNS lookup of the space's host, and nothing
 * more. SignalWire's MFA API has no call that checks credentials without sending a code, so no
 * request (and no credential) leaves the machine here; a mistyped space, the usual mistake, is
 * caught at start instead of at the first person's approval.
 */
public final class SpaceCheck {

    private SpaceCheck() {
    }

    /** Why the space's host cannot be used; empty when it resolves. */
    public static Optional<String> problem(SignalWireConfig config, Duration timeout) {
        String host = config.baseUrl().host();
        CompletableFuture<Void> lookup = CompletableFuture.runAsync(() -> {
            try {
                InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> Thread.ofVirtual().name("signalwire-dns").start(runnable));
        try {
            lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of("SIGNALWIRE_SPACE: " + host + " does not resolve (DNS). Check "
                    + "the space name, like example.signalwire.com, and this machine's DNS.");
        } catch (TimeoutException e) {
            return Optional.of("SIGNALWIRE_SPACE: looking up " + host + " took more than "
                    + timeout.toSeconds() + " s. Check this machine's DNS.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("SIGNALWIRE_SPACE: start-up was interrupted while looking up "
                    + host);
        }
    }
}
