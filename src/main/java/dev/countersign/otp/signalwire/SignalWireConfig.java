package dev.countersign.otp.signalwire;

import dev.countersign.people.PhoneNumber;
import java.util.Locale;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Where SignalWire lives and how to sign in to it.
 *
 * @param baseUrl    the space's root, e.g. {@code https://example.signalwire.com/}
 * @param projectKey HTTP Basic user
 * @param token      HTTP Basic password; never printed
 * @param from       the sender number (E.164), or {@code null}; SignalWire needs it for custom text
 */
public record SignalWireConfig(HttpUrl baseUrl, String projectKey, String token, String from) {

    public SignalWireConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        requireText(projectKey, "projectKey");
        requireText(token, "token");
        if (from != null && !PhoneNumber.isE164(from)) {
            throw new IllegalArgumentException("from must be E.164, like +12015550123");
        }
    }

    /**
     * Reads the settings as an operator writes them.
     *
     * @param space a bare host ({@code example.signalwire.com}, served over HTTPS) or a full
     *              {@code http(s)://host:port} base URL, which tests use to point at a local fake
     */
    public static SignalWireConfig of(String space, String projectKey, String token, String from) {
        return new SignalWireConfig(baseUrl(space), projectKey, token, from);
    }

    static HttpUrl baseUrl(String space) {
        requireText(space, "space");
        String trimmed = space.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        boolean hasScheme = lower.startsWith("http://") || lower.startsWith("https://");
        if (!hasScheme && trimmed.contains("/")) {
            throw new IllegalArgumentException("space must be a host like example.signalwire.com "
                    + "or an http(s):// URL");
        }
        HttpUrl url = HttpUrl.parse(hasScheme ? trimmed : "https://" + trimmed + "/");
        if (url == null) {
            throw new IllegalArgumentException("space must be a host like example.signalwire.com "
                    + "or an http(s):// URL");
        }
        // Query and fragment would end up in every request; a path prefix is kept on purpose.
        return url.newBuilder().query(null).fragment(null).build();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    @Override
    public String toString() {
        // The token is a secret: it must not reach a log through a careless "config = {}".
        return "SignalWireConfig[baseUrl=" + baseUrl + ", projectKey=" + projectKey
                + ", token=(hidden), from=" + (from == null ? "(none)" : from) + "]";
    }
}
